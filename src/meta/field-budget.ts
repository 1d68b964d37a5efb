/**
 * Fields one object of a request costs against Meta's "reduce the amount of data" budget: every
 * field counts once and an expansion (`creative{id,name}`) counts itself plus its subfields,
 * recursively; modifiers (`.limit(5)`) are free. An empty list still returns `id`, so it costs 1.
 */
export function countRequestedFields(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) count += countFieldSpec(field);
  return Math.max(1, count);
}

/** Counts one comma-separated `fields` expression (top-level commas split fields, braces nest). */
function countFieldSpec(text: string): number {
  let count = 0;
  let parens = 0;
  let named = false;
  for (const c of text) {
    if (c === '(') parens++;
    else if (c === ')') parens--;
    else if (parens > 0) continue;
    else if (c === '{' || c === '}' || c === ',') named = false;
    else if (!named && /[A-Za-z0-9_:]/.test(c)) {
      // The first identifier character of a field name (not of a `.modifier`) starts a new field.
      named = true;
      count++;
    } else if (c === '.') named = true;
  }
  return count;
}

/**
 * Largest page size that can work for a field list: `min(maxLimit, floor(dataBudget / fields))`,
 * where `dataBudget` is the most `limit × fields` one request may ask for.
 */
export function largestWorkingPageSize(input: { fields: readonly string[]; maxLimit: number; dataBudget: number }): number {
  return Math.max(1, Math.min(input.maxLimit, Math.floor(input.dataBudget / countRequestedFields(input.fields))));
}
