/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Chinese text correctly),
 * CRLF line ends, and fields quoted where RFC 4180 asks.
 */
export const BOM = '\uFEFF';

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Text a spreadsheet would read as a formula (=, +, -, @) is kept as text.
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV document of a header and rows, BOM first. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return BOM + [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
