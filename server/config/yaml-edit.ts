import { isMap, isNode, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { ConfigError } from '../errors';

/** What a grant change asks for; `undefined` rights means: remove the grant. */
export interface GrantRights {
  read: boolean;
  write: boolean;
}

export interface YamlEdit {
  text: string;
  changed: boolean;
}

/** One collection of an organisation file, found in the parsed YAML document that holds it. */
interface CollectionInYaml {
  document: Document;
  collection: YAMLMap;
  grants?: YAMLSeq;
}

function locate(text: string, file: string, collectionId: string): CollectionInYaml {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new ConfigError(`${file}: is not valid YAML: ${document.errors[0]?.message ?? ''}`);
  const collections = document.get('collections');
  const collection = isSeq(collections) ? collections.items.find((item) => isMap(item) && item.get('id') === collectionId) : undefined;
  if (!isMap(collection)) throw new ConfigError(`${file}: declares no collection ${collectionId}`);
  const grants = collection.get('grants', true);
  return { document, collection, ...(isSeq(grants) && { grants }) };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function rangeOf(node: unknown): [number, number] {
  if (!isNode(node) || !node.range) throw new ConfigError('cannot locate a YAML node in its file');
  return [node.range[0], node.range[1]];
}

function accessText(rights: GrantRights): string {
  return `[${[rights.read && 'read', rights.write && 'write'].filter(Boolean).join(', ')}]`;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The grants the collection declares after the edit, read back through the parser. */
function grantsOf(text: string, file: string, collectionId: string): unknown {
  return locate(text, file, collectionId).grants?.toJSON() ?? [];
}

/**
 * Sets or removes one grant in an organisation's YAML file. The `yaml` Document API finds the
 * nodes; the text is then changed only inside their source ranges, because re-printing the
 * whole document would re-fold descriptions and re-space flow lists the partner wrote by hand.
 * The result is parsed again and must hold exactly the intended grants.
 */
export function editGrant(text: string, file: string, collectionId: string, organisation: string, rights: GrantRights | undefined): YamlEdit {
  const { collection, grants } = locate(text, file, collectionId);
  const items = grants?.items ?? [];
  const index = items.findIndex((item) => isMap(item) && item.get('organisation') === organisation);
  const before = (grants?.toJSON() ?? []) as { organisation: string; access: string[] }[];
  let edited: string;

  if (!rights) {
    if (!grants || index < 0) return { text, changed: false };
    if (items.length === 1) {
      // The last grant goes with its `grants:` key, so the file reads "owner only" as written by hand.
      const key = collection.items.find((pair) => isNode(pair.key) && (pair.key.toJSON() as unknown) === 'grants')?.key;
      edited = splice(text, lineStart(text, rangeOf(key)[0]), rangeOf(grants)[1], '');
    } else {
      const start = lineStart(text, rangeOf(items[index])[0]);
      const next = items[index + 1];
      const end = next ? lineStart(text, rangeOf(next)[0]) : rangeOf(grants)[1];
      edited = splice(text, start, end, '');
    }
  } else if (index >= 0) {
    const grant = items[index];
    const access = isMap(grant) ? grant.get('access', true) : undefined;
    const [start, end] = rangeOf(access);
    edited = splice(text, start, end, accessText(rights));
    if (edited === text) return { text, changed: false };
  } else if (grants) {
    const first = rangeOf(items[0])[0];
    const dashIndent = ' '.repeat(text.lastIndexOf('-', first) - lineStart(text, first));
    const at = rangeOf(grants)[1];
    const newline = text[at - 1] === '\n' ? '' : '\n';
    edited = splice(text, at, at, `${newline}${dashIndent}- organisation: ${organisation}\n${dashIndent}  access: ${accessText(rights)}\n`);
  } else {
    const keyStart = rangeOf(collection)[0];
    const indent = ' '.repeat(keyStart - lineStart(text, keyStart));
    const at = rangeOf(collection)[1];
    const newline = text[at - 1] === '\n' ? '' : '\n';
    edited = splice(text, at, at, `${newline}${indent}grants:\n${indent}  - organisation: ${organisation}\n${indent}    access: ${accessText(rights)}\n`);
  }

  const expected = before.filter((grant) => grant.organisation !== organisation);
  if (rights) {
    const access = [rights.read && 'read', rights.write && 'write'].filter((value): value is string => Boolean(value));
    if (index >= 0) expected.splice(index, 0, { organisation, access });
    else expected.push({ organisation, access });
  }
  if (JSON.stringify(grantsOf(edited, file, collectionId)) !== JSON.stringify(expected)) {
    throw new ConfigError(`${file}: could not edit the grants of collection ${collectionId} without disturbing the file; edit it by hand`);
  }
  return { text: edited, changed: true };
}
