/** What a command prints: a human table by default, the API's JSON with `--json` (for scripts). */
export interface Output {
  json: boolean;
  /** stdout: results. */
  write(text: string): void;
  /** stderr: progress, hints, errors (keeps stdout parseable). */
  note(text: string): void;
  /** Whether stderr is a terminal (a progress bar redraws one line there). */
  interactive: boolean;
}

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Prints the value as JSON, or as the human rendering. */
export function emit<T>(out: Output, value: T, human: (value: T) => string): void {
  out.write(out.json ? `${JSON.stringify(value, null, 2)}\n` : ensureNewline(human(value)));
}

/** A plain-text table: one header row, columns padded to their widest cell; `-` for nothing. */
export function table<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
  const render = (line: string[]) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[render(columns.map((c) => c.header.toUpperCase())), ...cells.map(render)].join('\n')}\n`;
}

/** `key  value` lines for one object. */
export function fields(pairs: ReadonlyArray<[string, unknown]>): string {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return `${pairs.map(([key, value]) => `${key.padEnd(width)}  ${cellText(value)}`).join('\n')}\n`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cellText).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\s+/g, ' ');
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Tells how to get the next page of a list, on stderr (stdout keeps the table alone). */
export function notePaging(out: Output, page: { nextCursor: string | null }): void {
  if (!out.json && page.nextCursor) out.note(`more: repeat with --cursor ${page.nextCursor}\n`);
}
