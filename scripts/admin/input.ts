/**
 * What the CLI alone needs around its arguments: stdin and tables. The arguments themselves are
 * checked by the admin API's own schemas (server/services/admin/inputs.ts).
 */

/** Reads all of stdin and drops one trailing newline, as `echo pw | ...` and `docker login --password-stdin` do. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Left-aligned columns, two spaces apart, with a header row. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function isoOrDash(date: Date | undefined): string {
  return date ? date.toISOString() : '-';
}
