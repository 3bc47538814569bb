import { z } from 'zod';
import { InvalidBody, InvalidParameter, type TaxiiError } from '../../errors';

/**
 * Where an admin input came from. It decides the error: a path segment or query parameter gives
 * `invalid-parameter`, a body field `invalid-body` (docs/access-model.md, Admin API). The CLI
 * says which of the two its arguments stand for, so it prints the API's sentence.
 */
export type InputSource = 'path' | 'query' | 'body';

type RawIssue = z.core.$ZodRawIssue;

function fieldOf(issue: RawIssue): string {
  return (issue.path ?? []).map(String).join('.');
}

function allowedKeys(issue: RawIssue): string {
  const keys = issue.schema instanceof z.ZodObject ? Object.keys(issue.schema.shape) : [];
  return keys.length > 0 ? keys.join(', ') : 'none';
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

/** Sentences for the issues a field's own schema leaves without one (./input-fields.ts words the rest). */
function sentenceFor(source: InputSource, issue: RawIssue): string {
  const field = fieldOf(issue);
  const named = source === 'body' ? `'${field}'` : `parameter '${field}'`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys as string[];
      return source === 'body'
        ? `unknown field(s) ${keys.join(', ')}; this endpoint takes ${allowedKeys(issue)}`
        : `unknown parameter${keys.length > 1 ? 's' : ''} ${quoted(keys)}; this endpoint takes ${allowedKeys(issue)}`;
    }
    case 'invalid_type':
      if (field === '') return source === 'body' ? 'the body must be a JSON object' : 'the parameters must be an object';
      if (issue.input === undefined) return `${named} is required`;
      if (issue.expected === 'boolean') return `${named} must be true or false`;
      return `${named} must be a ${String(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return `${named} is required`;
      return `${named} is too short`;
    default:
      return `${named} is not valid`;
  }
}

function errorFor(source: InputSource, description: string): TaxiiError {
  return source === 'body' ? new InvalidBody(description) : new InvalidParameter(description);
}

/**
 * Parses one admin input with its schema (./inputs.ts) or throws the TAXII error that says, field by
 * field, what is wrong. The one place a zod issue becomes a sentence; http/error-handler.ts then
 * turns the error into a TAXII error resource and the CLI prints its description.
 */
export function parseAdminInput<Schema extends z.ZodType>(schema: Schema, value: unknown, source: InputSource): z.output<Schema> {
  const result = schema.safeParse(value, { error: (issue) => sentenceFor(source, issue) });
  if (result.success) return result.data;
  throw errorFor(source, result.error.issues.map((issue) => issue.message).join('; '));
}
