import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../server/config/settings';
import { generateRawConfigTypes, RAW_CONFIG_TYPES_PATH, renderSchemaTypes } from '../../../scripts/config-types/raw-config-types';

const FILE = { path: 'test.schema.json', typeName: 'RawTest' };

describe('the configuration types generated from schemas/config/', () => {
  it('are what server/config/raw-config.ts holds: a schema changed without `npm run config-types` fails here', () => {
    expect(readFileSync(join(PROJECT_ROOT, RAW_CONFIG_TYPES_PATH), 'utf8')).toBe(generateRawConfigTypes(PROJECT_ROOT));
  });

  it('types required and optional properties, enums, arrays and integers', () => {
    const text = renderSchemaTypes({
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', description: 'who' },
        level: { enum: ['low', 'high'] },
        sizes: { type: 'array', items: { type: 'integer' } },
        'odd-key': { type: 'boolean' },
      },
    }, FILE);
    expect(text).toContain('export interface RawTest {\n  /** who */\n  name: string;\n  level?: \'low\' | \'high\';\n  sizes?: number[];\n  \'odd-key\'?: boolean;\n}');
  });

  it('names object definitions and writes other definitions where they are used', () => {
    const text = renderSchemaTypes({
      type: 'object',
      additionalProperties: false,
      properties: { path: { $ref: '#/definitions/path' }, items: { type: 'array', items: { $ref: '#/definitions/item' } } },
      definitions: {
        path: { type: 'string', pattern: '^[a-z]+$' },
        item: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string' } } },
      },
    }, FILE);
    expect(text).toContain('  path?: string;\n  items?: RawItem[];\n');
    expect(text).toContain('export interface RawItem {\n  id: string;\n}');
  });

  it.each([
    ['an object open to other properties', { type: 'object', properties: {} }],
    ['a type it does not know', { type: 'object', additionalProperties: false, properties: { when: { type: 'null' } } }],
    ['a reference outside the file', { type: 'object', additionalProperties: false, properties: { x: { $ref: 'other.json#/x' } } }],
    ['an enum of numbers', { type: 'object', additionalProperties: false, properties: { x: { enum: [1, 2] } } }],
  ])('stops at %s rather than typing it loosely', (_case, schema) => {
    expect(() => renderSchemaTypes(schema, FILE)).toThrow(/test\.schema\.json/);
  });
});
