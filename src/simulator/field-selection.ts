/**
 * The `fields` mini-language: `a,b,creative{id,name},insights.date_preset(last_7d){spend}`.
 * Modifiers (`.name(args)`) may sit before or after the braces, args may nest brackets.
 */
import { invalidParameter } from './graph-errors';

/** One requested field with its modifiers and expanded subfields. */
export interface FieldSpec {
  name: string;
  modifiers: Record<string, string>;
  subfields?: FieldSpec[];
}

/** Parse a `fields` parameter; throws code 100 on a syntax error. */
export function parseFields(text: string | undefined): FieldSpec[] {
  if (text === undefined || text.trim() === '') return [];
  const parser = new Parser(text);
  const specs = parser.list();
  if (parser.pos < text.length) throw syntax(text);
  return specs;
}

/** Count requested fields the way the data budget does: every leaf, expanded subfields included. */
export function countFields(specs: readonly FieldSpec[]): number {
  let n = 0;
  for (const s of specs) n += s.subfields && s.subfields.length ? 1 + countFields(s.subfields) : 1;
  return n;
}

function syntax(text: string): Error {
  return invalidParameter(`(#100) Syntax error "Expected end of string instead of \\"${text.slice(0, 40)}\\"." at character 0: ${text}`);
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  list(): FieldSpec[] {
    const out: FieldSpec[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length || this.text[this.pos] === '}') break;
      out.push(this.field());
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      break;
    }
    return out;
  }

  private field(): FieldSpec {
    const name = this.ident();
    if (!name) throw syntax(this.text);
    const spec: FieldSpec = { name, modifiers: {} };
    for (;;) {
      const c = this.text[this.pos];
      if (c === '.') {
        this.pos++;
        const mod = this.ident();
        if (!mod || this.text[this.pos] !== '(') throw syntax(this.text);
        spec.modifiers[mod] = this.parenthesised();
      } else if (c === '{') {
        this.pos++;
        spec.subfields = this.list();
        if (this.text[this.pos] !== '}') throw syntax(this.text);
        this.pos++;
      } else break;
    }
    return spec;
  }

  private parenthesised(): string {
    // Caller checked the '('; args may contain nested (), [], {} and quoted strings.
    this.pos++;
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0 && c === ')') {
          const arg = this.text.slice(start, this.pos);
          this.pos++;
          return arg;
        }
        depth--;
      }
    }
    throw syntax(this.text);
  }

  private ident(): string {
    this.skipSpace();
    const m = /^[A-Za-z0-9_:]+/.exec(this.text.slice(this.pos));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  private skipSpace(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}
