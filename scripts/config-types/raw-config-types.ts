import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes the TypeScript types of the alliance configuration files from their JSON schemas, so the
 * schemas in schemas/config/ stay the one definition of what a file may hold and the types the
 * loader reads them with cannot drift from them. Only the subset of JSON Schema those files use is
 * understood; anything else stops the generator rather than being typed loosely.
 */

/** The part of a JSON Schema node this generator reads. */
interface SchemaNode {
  type?: unknown;
  enum?: unknown;
  const?: unknown;
  oneOf?: unknown;
  anyOf?: unknown;
  properties?: unknown;
  required?: unknown;
  items?: unknown;
  $ref?: unknown;
  title?: unknown;
  description?: unknown;
  additionalProperties?: unknown;
  definitions?: unknown;
}

/** A schema file and the name its document's type gets. */
export interface ConfigSchemaFile {
  readonly path: string;
  readonly typeName: string;
}

export const CONFIG_SCHEMA_FILES: readonly ConfigSchemaFile[] = [
  { path: 'schemas/config/alliance.schema.json', typeName: 'RawAllianceFile' },
  { path: 'schemas/config/organisation.schema.json', typeName: 'RawOrganisationFile' },
];

export const RAW_CONFIG_TYPES_PATH = 'server/config/raw-config.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asNode(value: unknown, at: string): SchemaNode {
  if (!isRecord(value)) throw new Error(`${at}: a schema must be an object`);
  return value;
}

function typeNameOfDefinition(name: string): string {
  return `Raw${name.replace(/(^|[-_])([a-z])/g, (_match, _sep: string, letter: string) => letter.toUpperCase())}`;
}

function quoteKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `'${key}'`;
}

function docComment(node: SchemaNode, indent: string): string {
  return typeof node.description === 'string' ? `${indent}/** ${node.description} */\n` : '';
}

class SchemaRenderer {
  constructor(
    private readonly definitions: Record<string, unknown>,
    private readonly file: string,
  ) {}

  /** Object definitions become named interfaces; other definitions are written out where they are used. */
  isNamedDefinition(name: string): boolean {
    return asNode(this.definitions[name], `${this.file}#/definitions/${name}`).type === 'object';
  }

  renderType(node: SchemaNode, indent: string, at: string): string {
    if (node.$ref !== undefined) return this.renderRef(node.$ref, indent, at);
    // A choice of shapes (feed credentials: one secret source each) is their union.
    const alternatives = node.oneOf ?? node.anyOf;
    if (alternatives !== undefined) {
      if (!Array.isArray(alternatives)) throw new Error(`${at}: oneOf/anyOf must be a list`);
      const keyword = node.oneOf !== undefined ? 'oneOf' : 'anyOf';
      return alternatives.map((alternative, index) => this.renderType(asNode(alternative, `${at}/${keyword}/${index}`), indent, `${at}/${keyword}/${index}`)).join(' | ');
    }
    if (node.const !== undefined) {
      if (typeof node.const !== 'string') throw new Error(`${at}: only string constants are understood`);
      return `'${node.const.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    }
    if (node.enum !== undefined) {
      if (!Array.isArray(node.enum) || !node.enum.every((value) => typeof value === 'string')) throw new Error(`${at}: only string enums are understood`);
      return node.enum.map((value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(' | ');
    }
    switch (node.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const item = this.renderType(asNode(node.items, `${at}/items`), indent, `${at}/items`);
        return /^[A-Za-z]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case 'object':
        return this.renderObject(node, indent, at);
      default:
        throw new Error(`${at}: type ${JSON.stringify(node.type)} is not understood`);
    }
  }

  renderObject(node: SchemaNode, indent: string, at: string): string {
    if (node.additionalProperties !== false) throw new Error(`${at}: objects must say additionalProperties: false`);
    const properties = isRecord(node.properties) ? node.properties : {};
    const required = Array.isArray(node.required) ? node.required : [];
    const inner = `${indent}  `;
    const lines = Object.entries(properties).map(([key, value]) => {
      const child = asNode(value, `${at}/properties/${key}`);
      const optional = required.includes(key) ? '' : '?';
      return `${docComment(child, inner)}${inner}${quoteKey(key)}${optional}: ${this.renderType(child, inner, `${at}/properties/${key}`)};\n`;
    });
    return `{\n${lines.join('')}${indent}}`;
  }

  private renderRef(ref: unknown, indent: string, at: string): string {
    const name = typeof ref === 'string' ? /^#\/definitions\/([A-Za-z0-9_-]+)$/.exec(ref)?.[1] : undefined;
    if (name === undefined || !(name in this.definitions)) throw new Error(`${at}: $ref ${JSON.stringify(ref)} is not a local definition`);
    if (this.isNamedDefinition(name)) return typeNameOfDefinition(name);
    return this.renderType(asNode(this.definitions[name], `${this.file}#/definitions/${name}`), indent, `${this.file}#/definitions/${name}`);
  }
}

/** The types of one schema file's document and of its object definitions. */
export function renderSchemaTypes(document: unknown, file: ConfigSchemaFile): string {
  const schema = asNode(document, file.path);
  const definitions = isRecord(schema.definitions) ? schema.definitions : {};
  const renderer = new SchemaRenderer(definitions, file.path);
  const title = typeof schema.title === 'string' ? schema.title : file.path;
  const blocks = [`/** \`${title}\` as written, once it has passed ${file.path}. */\nexport interface ${file.typeName} ${renderer.renderObject(schema, '', file.path)}\n`];
  for (const name of Object.keys(definitions).filter((candidate) => renderer.isNamedDefinition(candidate))) {
    const definition = asNode(definitions[name], `${file.path}#/definitions/${name}`);
    blocks.push(`${docComment(definition, '')}export interface ${typeNameOfDefinition(name)} ${renderer.renderObject(definition, '', `${file.path}#/definitions/${name}`)}\n`);
  }
  return blocks.join('\n');
}

/** The whole text of RAW_CONFIG_TYPES_PATH for the schemas as they are now under `projectRoot`. */
export function generateRawConfigTypes(projectRoot: string): string {
  const header = '// Generated from schemas/config/*.schema.json by `npm run config-types`: edit the schemas, not this file.\n';
  const files = CONFIG_SCHEMA_FILES.map((file) => renderSchemaTypes(JSON.parse(readFileSync(join(projectRoot, file.path), 'utf8')), file));
  return `${header}\n${files.join('\n')}`;
}
