import { z } from 'zod';
import { ROLES, type Role } from '../../auth/principal';
import { AUDIT_ACTIONS } from '../../storage/audit-log';
import { DEFAULT_ADMIN_LIMIT, MAX_ADMIN_LIMIT } from './admin-dependencies';

/**
 * The fields admin inputs are made of, each with its rule and its sentence for a person. The admin
 * API and the admin CLI both parse with these (through ./inputs.ts), so a rule has one spelling.
 * A field's name in a sentence is the last element of the issue's path, as the caller wrote it.
 */

export const MIN_PASSWORD_LENGTH = 12;
// Bounds the scrypt input and catches a file piped by mistake.
export const MAX_PASSWORD_LENGTH = 1024;
// HTTP Basic (RFC 7617) cannot carry a ':' in the user-id; spaces and controls would make logs ambiguous.
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function fieldName(issue: { path?: PropertyKey[] | undefined }): string {
  return String(issue.path?.at(-1) ?? 'value');
}

const characters = (text: string): number => [...text].length;

/** A name for a new account; the brand says it passed this check, so a use case cannot be handed an unchecked one. */
export const newUsername = z
  .string()
  .regex(USERNAME, {
    error: (issue) => `invalid username '${String(issue.input)}': use up to 128 letters, digits and . _ @ + -, starting with a letter or digit`,
  })
  .brand<'NewUsername'>()
  .describe('up to 128 letters, digits and . _ @ + -, starting with a letter or digit');
export type NewUsername = z.output<typeof newUsername>;

/** Length in characters, not UTF-16 units or bytes, so an umlaut counts once. */
export const newPassword = z
  .string()
  .refine((text) => characters(text) >= MIN_PASSWORD_LENGTH, {
    error: (issue) => `the password must be at least ${MIN_PASSWORD_LENGTH} characters long (got ${characters(String(issue.input))})`,
  })
  .refine((text) => characters(text) <= MAX_PASSWORD_LENGTH, `the password must be at most ${MAX_PASSWORD_LENGTH} characters long`)
  .brand<'NewPassword'>()
  .describe(`${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
export type NewPassword = z.output<typeof newPassword>;

// ROLES is typed as a list, not a tuple; it is the one list of roles all the same.
export const role = z.enum(ROLES as readonly [Role, ...Role[]], { error: `role must be one of ${ROLES.join(', ')}` });

const instantMessage = (issue: { path?: PropertyKey[] | undefined; input?: unknown }): string =>
  `${fieldName(issue)} must be an ISO 8601 instant such as 2026-01-31T00:00:00Z, got '${String(issue.input)}'`;

/** An ISO 8601 instant with a zone, e.g. 2026-01-31T00:00:00Z, or a bare date (midnight UTC). */
export const instant = z
  .string()
  .regex(INSTANT, { error: instantMessage, abort: true })
  .refine((text) => !Number.isNaN(Date.parse(text)), { error: instantMessage })
  .transform((text) => new Date(text))
  .describe('ISO 8601 instant with a zone, or a date meaning midnight UTC');

const limitMessage = `limit must be an integer from 1 to ${MAX_ADMIN_LIMIT}`;

/** How many records a list may hold; query strings and CLI options carry it as text. */
export const limit = z
  .string()
  .regex(/^\d+$/, limitMessage)
  .transform(Number)
  .refine((value) => value >= 1 && value <= MAX_ADMIN_LIMIT, limitMessage)
  .default(DEFAULT_ADMIN_LIMIT)
  .describe(`1 to ${MAX_ADMIN_LIMIT}; default ${DEFAULT_ADMIN_LIMIT}`);

/** Comma-separated audit actions, e.g. `user.add,token.create`. */
export const auditActions = z
  .string()
  .transform((text) => text.split(','))
  .pipe(z.array(z.enum(AUDIT_ACTIONS, { error: (issue) => `unknown action '${String(issue.input)}'; one of ${AUDIT_ACTIONS.join(', ')}` })))
  .describe(`comma-separated: ${AUDIT_ACTIONS.join(', ')}`);

const DURATION = /^(\d+)([hdw])$/;
const HOURS: Record<string, number> = { h: 1, d: 24, w: 24 * 7 };
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The CLI's `--expires`: `30d`, `12h`, `2w`, or an ISO 8601 date/time, as the instant it names. Only
 * the CLI takes durations, so it counts from `now`; whether the instant lies in the future is the
 * use case's rule (createToken), for the API's `expires_at` and this alike.
 */
export function expiresOption(now: Date) {
  return z.string().transform((text, context): Date => {
    const duration = DURATION.exec(text);
    if (duration?.[1] && duration[2]) {
      const amount = Number(duration[1]);
      if (amount > 0) return new Date(now.getTime() + amount * (HOURS[duration[2]] ?? 0) * 3_600_000);
      context.addIssue({ code: 'custom', message: `--expires must be a positive duration, got '${text}'` });
      return z.NEVER;
    }
    if (!LOCAL_DATE.test(text)) {
      context.addIssue({ code: 'custom', message: `--expires must be a duration such as 30d, 12h, 2w or an ISO date such as 2026-12-31, got '${text}'` });
      return z.NEVER;
    }
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
    context.addIssue({ code: 'custom', message: `--expires is not a valid date: '${text}'` });
    return z.NEVER;
  });
}
