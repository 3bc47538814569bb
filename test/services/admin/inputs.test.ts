import { z } from 'zod';
import { InvalidBody, InvalidParameter } from '../../../server/errors';
import { parseAdminInput } from '../../../server/services/admin/input-errors';
import { expiresOption } from '../../../server/services/admin/input-fields';
import * as inputs from '../../../server/services/admin/inputs';

const NOW = new Date('2026-06-01T00:00:00.000Z');

function refusal(run: () => unknown): { code: string; description: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidBody || error instanceof InvalidParameter) return { code: error.errorCode, description: error.description };
    throw error;
  }
  throw new Error('the input was accepted');
}

describe('admin input schemas', () => {
  it.each(Object.entries(inputs))('%s converts to a JSON Schema of its wire shape (for the OpenAPI document)', (_name, schema) => {
    const json = z.toJSONSchema(schema, { io: 'input' });
    expect(json).toMatchObject({ type: 'object' });
  });

  it('states the rules a client must know in the JSON Schema: strict bodies, required fields, patterns', () => {
    expect(z.toJSONSchema(inputs.addUserBody, { io: 'input' })).toMatchObject({
      additionalProperties: false,
      required: ['username', 'organisation', 'password'],
      properties: { username: { type: 'string', pattern: expect.any(String) }, role: { enum: ['member', 'org-admin', 'alliance-admin'] } },
    });
    expect(z.toJSONSchema(inputs.auditTrailQuery, { io: 'input' })).toMatchObject({ properties: { limit: { type: 'string', pattern: '^\\d+$' } } });
  });

  it('turns a query into the use case\'s input, with the default limit', () => {
    expect(parseAdminInput(inputs.auditTrailQuery, { org: 'de-bka', since: '2026-01-31', action: 'user.add,token.create' }, 'query')).toEqual({
      organisation: 'de-bka', collection: undefined, since: new Date('2026-01-31T00:00:00.000Z'), until: undefined,
      actions: ['user.add', 'token.create'], limit: 1000,
    });
  });

  it.each([
    ['an unknown parameter', inputs.listUsersQuery, { organisation: 'x' }, "unknown parameter 'organisation'; this endpoint takes org"],
    ['a parameter of an endpoint that takes none', inputs.noQuery, { org: 'x' }, "unknown parameter 'org'; this endpoint takes none"],
    ['a missing required parameter', inputs.provenanceQuery, { collection: 'c' }, "parameter 'object' is required"],
    ['an empty required parameter', inputs.provenanceQuery, { collection: 'c', object: '' }, "parameter 'object' is required"],
    ['a limit of 0', inputs.publicationsQuery, { org: 'x', limit: '0' }, 'limit must be an integer from 1 to 10000'],
    ['a limit that is not a number', inputs.publicationsQuery, { org: 'x', limit: '1e3' }, 'limit must be an integer from 1 to 10000'],
    ['an instant without a zone', inputs.publicationsQuery, { org: 'x', since: '2026-01-31T10:00' }, "since must be an ISO 8601 instant such as 2026-01-31T00:00:00Z, got '2026-01-31T10:00'"],
    ['an impossible date', inputs.auditTrailQuery, { until: '2026-13-45' }, "until must be an ISO 8601 instant such as 2026-01-31T00:00:00Z, got '2026-13-45'"],
    ['an unknown audit action', inputs.auditTrailQuery, { action: 'user.add,user.delete' }, expect.stringMatching(/^unknown action 'user.delete'; one of objects.add, /)],
  ])('refuses %s as invalid-parameter, naming the field', (_label, schema, value, description) => {
    expect(refusal(() => parseAdminInput(schema, value, 'query'))).toEqual({ code: 'invalid-parameter', description });
  });

  it.each([
    ['a body that is not an object', inputs.setPasswordBody, ['x'], 'the body must be a JSON object'],
    ['unknown fields', inputs.setGrantBody, { read: true, admin: true }, 'unknown field(s) admin; this endpoint takes read, write'],
    ['a missing field', inputs.createTokenBody, { label: 'x' }, "'username' is required"],
    ['a field of the wrong type', inputs.createTokenBody, { username: 7 }, "'username' must be a string"],
    ['a right that is not a boolean', inputs.setGrantBody, { read: 'yes' }, "'read' must be true or false"],
    ['an unknown role', inputs.addUserBody, { username: 'x@de-bka', organisation: 'de-bka', role: 'root', password: 'long enough password' }, 'role must be one of member, org-admin, alliance-admin'],
    ['a short password, counted in characters', inputs.setPasswordBody, { password: 'äöüäöüäöüäö' }, 'the password must be at least 12 characters long (got 11)'],
    ['a password over 1024 characters', inputs.setPasswordBody, { password: 'x'.repeat(1025) }, 'the password must be at most 1024 characters long'],
    ['a bad expires_at', inputs.createTokenBody, { username: 'x', expires_at: 'soon' }, "expires_at must be an ISO 8601 instant such as 2026-01-31T00:00:00Z, got 'soon'"],
  ])('refuses %s as invalid-body, naming the field', (_label, schema, value, description) => {
    expect(refusal(() => parseAdminInput(schema, value, 'body'))).toEqual({ code: 'invalid-body', description });
  });

  it('lists every problem of one input, in field order', () => {
    expect(refusal(() => parseAdminInput(inputs.addUserBody, { username: 'a:b', organisation: 'de-bka', password: 'short' }, 'body')).description).toBe(
      "invalid username 'a:b': use up to 128 letters, digits and . _ @ + -, starting with a letter or digit; the password must be at least 12 characters long (got 5)",
    );
  });

  it('counts a 12-character password of umlauts as long enough', () => {
    expect(parseAdminInput(inputs.setPasswordBody, { password: 'äöüäöüäöüäöü' }, 'body')).toEqual({ password: 'äöüäöüäöüäöü' });
  });

  it.each(['analyst@de-bka', 'svc.poller+1@europol', 'A1'])('accepts username %s', (username) => {
    expect(parseAdminInput(inputs.addUserBody.pick({ username: true }), { username }, 'body')).toEqual({ username });
  });

  it.each(['', 'a:b', 'with space', '-leading', 'x'.repeat(129)])('refuses username %p', (username) => {
    expect(refusal(() => parseAdminInput(inputs.addUserBody.pick({ username: true }), { username }, 'body')).description).toMatch(/^invalid username/);
  });
});

describe('the CLI\'s --expires', () => {
  it.each([
    ['30d', '2026-07-01T00:00:00.000Z'],
    ['12h', '2026-06-01T12:00:00.000Z'],
    ['2w', '2026-06-15T00:00:00.000Z'],
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
    ['2026-12-31T08:30:00Z', '2026-12-31T08:30:00.000Z'],
    ['2026-12-31T10:30:00+02:00', '2026-12-31T08:30:00.000Z'],
  ])('reads %s', (text, expected) => {
    expect(parseAdminInput(expiresOption(NOW), text, 'body').toISOString()).toBe(expected);
  });

  it.each([
    ['0d', /positive/],
    ['30', /must be a duration/],
    ['next week', /must be a duration/],
    ['2026-13-45', /not a valid date/],
  ])('refuses %s', (text, message) => {
    expect(refusal(() => parseAdminInput(expiresOption(NOW), text, 'body')).description).toMatch(message);
  });
});
