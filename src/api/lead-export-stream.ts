import { Readable } from 'node:stream';
import type { LeadExport } from '../operations/lead-exports';
import { csvField } from './report-csv';

/**
 * A lead export as bytes, one line at a time (an export of 100,000 leads is never one string):
 * CSV (RFC 4180, a header line of the columns) or NDJSON (one object per lead keyed by column).
 */
export function leadExportStream(exported: LeadExport, format: 'csv' | 'ndjson'): Readable {
  const { columns } = exported;
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield `${columns.map(csvField).join(',')}\r\n`;
    for await (const row of exported.rows) {
      if (format === 'csv') yield `${row.map(csvField).join(',')}\r\n`;
      else yield `${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])))}\n`;
    }
  }
  return Readable.from(lines());
}
