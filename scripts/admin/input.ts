import { CliError } from './context';

export const MIN_PASSWORD_LENGTH = 12;
// Bounds the scrypt input and catches a file piped by mistake.
const MAX_PASSWORD_LENGTH = 1024;

/** Reads all of stdin and drops one trailing newline, as `echo pw | ...` and `docker login --password-stdin` do. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function checkPassword(password: string): string {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw new CliError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long (got ${length})`);
  if (length > MAX_PASSWORD_LENGTH) throw new CliError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  return password;
}

// HTTP Basic (RFC 7617) cannot carry a ':' in the user-id; spaces and controls would make logs ambiguous.
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

export function checkUsername(username: string): string {
  if (!USERNAME.test(username)) {
    throw new CliError(`invalid username '${username}': use up to 128 letters, digits and . _ @ + -, starting with a letter or digit`);
  }
  return username;
}

const DURATION = /^(\d+)([hdw])$/;
const HOURS: Record<string, number> = { h: 1, d: 24, w: 24 * 7 };

/** `30d`, `12h`, `2w`, or an ISO 8601 date/time; must lie in the future. */
export function parseExpiry(text: string, now: Date = new Date()): Date {
  const duration = DURATION.exec(text);
  let expiresAt: Date;
  if (duration?.[1] && duration[2]) {
    const amount = Number(duration[1]);
    if (amount <= 0) throw new CliError(`--expires must be a positive duration, got '${text}'`);
    expiresAt = new Date(now.getTime() + amount * (HOURS[duration[2]] ?? 0) * 3_600_000);
  } else if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    expiresAt = new Date(text);
  } else {
    throw new CliError(`--expires must be a duration such as 30d, 12h, 2w or an ISO date such as 2026-12-31, got '${text}'`);
  }
  if (Number.isNaN(expiresAt.getTime())) throw new CliError(`--expires is not a valid date: '${text}'`);
  if (expiresAt.getTime() <= now.getTime()) throw new CliError(`--expires must lie in the future, got ${expiresAt.toISOString()}`);
  return expiresAt;
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

/** `--since`/`--until`: an ISO 8601 instant with a zone, or a bare date meaning midnight UTC. */
export function parseInstant(option: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text) ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new CliError(`${option} must be an ISO 8601 instant such as 2026-01-31T00:00:00Z or a date, got '${text}'`);
  return date;
}

export function parseLimit(text: string | undefined, fallback: number, maximum: number): number {
  if (text === undefined) return fallback;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > maximum) throw new CliError(`--limit must be an integer from 1 to ${maximum}`);
  return limit;
}
