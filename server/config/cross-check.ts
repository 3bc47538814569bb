import { ALL_MEMBERS } from './types';
import { showValue, type ConfigProblem } from './config-schema';
import type { RawAllianceFile, RawFeed, RawOrganisationFile } from './raw-config';
import { pushTargetProblems } from './push-config';

export interface LoadedOrganisationFile {
  file: string;
  document: RawOrganisationFile;
}

// TAXII 2.1 §1.6.4 identifiers are UUIDs; the alliance asks for random (v4) ones, lowercase, so a
// collection id never leaks a MAC address or time and URL comparison is exact.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// `alliance` would collide with alliance.yaml; `all-members` is the grant wildcard.
const RESERVED_ORGANISATION_IDS = new Set(['alliance', ALL_MEMBERS]);

// Discovery (/taxii2/, TAXII 2.1 §4.1), the admin API, the health check and the OpenAPI documents
// (docs/openapi.md) are mounted before the API roots, so a root whose first segment is one of these
// would be shadowed, in whole or in part.
const RESERVED_FIRST_SEGMENTS = new Map([
  ['taxii2', 'discovery'],
  ['admin', 'the admin API'],
  ['health', 'the health check'],
  ['openapi', 'the OpenAPI documents'],
]);

/** Rules that span files or that a JSON schema cannot say. Inputs have passed their schemas. */
export function crossCheck(allianceFile: string, alliance: RawAllianceFile, organisations: LoadedOrganisationFile[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const apiRoots = checkApiRoots(allianceFile, alliance, problems);
  const orgIds = checkOrganisationIds(organisations, problems);

  const identityOwners = new Map<string, string>();
  for (const { file, document } of organisations) {
    (document.identities ?? []).forEach((identity, index) => {
      const first = identityOwners.get(identity);
      // One identity standing for two partners would let each publish in the other's name.
      if (first) problems.push({ file, path: `/identities/${index}`, message: `${showValue(identity)} is already an identity of ${first}` });
      else identityOwners.set(identity, document.id);
    });
  }

  const collectionIds = new Map<string, string>();
  const feedIds = new Map<string, string>();
  const aliases = new Map<string, string>();
  for (const { file, document } of organisations) {
    (document.collections ?? []).forEach((collection, index) => {
      const at = `/collections/${index}`;
      const where = `${file} ${at}`;
      if (!UUID_V4.test(collection.id)) {
        problems.push({ file, path: `${at}/id`, message: `${showValue(collection.id)} is not a lowercase version 4 UUID` });
      }
      const firstId = collectionIds.get(collection.id);
      if (firstId) problems.push({ file, path: `${at}/id`, message: `${showValue(collection.id)} is already used by ${firstId}` });
      else collectionIds.set(collection.id, where);

      if (!apiRoots.has(collection.api_root)) {
        problems.push({
          file,
          path: `${at}/api_root`,
          message: `${showValue(collection.api_root)} is not a declared API root (declared: ${[...apiRoots].join(', ')})`,
        });
      }
      if (collection.alias !== undefined) {
        // Aliases stand in for ids in URLs, so they must be unique wherever an id could be used.
        const key = `${collection.api_root}\u0000${collection.alias}`;
        const firstAlias = aliases.get(key);
        if (firstAlias) {
          problems.push({ file, path: `${at}/alias`, message: `${showValue(collection.alias)} is already used in API root '${collection.api_root}' by ${firstAlias}` });
        } else aliases.set(key, where);
      }

      const granted = new Set<string>();
      (collection.grants ?? []).forEach((grant, grantIndex) => {
        const path = `${at}/grants/${grantIndex}/organisation`;
        const organisation = grant.organisation;
        if (organisation !== ALL_MEMBERS && !orgIds.has(organisation)) {
          problems.push({ file, path, message: `${showValue(organisation)} is not a declared organisation` });
        } else if (organisation === document.id) {
          problems.push({ file, path, message: `${showValue(organisation)} owns this collection and needs no grant` });
        } else if (granted.has(organisation)) {
          problems.push({ file, path, message: `${showValue(organisation)} is granted twice for this collection` });
        }
        granted.add(organisation);
      });
      problems.push(...checkFeeds(file, at, collection.feeds ?? [], feedIds));
      if (collection.push) problems.push(...pushTargetProblems(file, at, collection.push));
    });
  }
  return problems;
}

/**
 * A feed's id keys its stored state and names it in provenance, so it is unique across the
 * alliance; a collection URL already names the remote collection, any other URL needs `collection`.
 */
function checkFeeds(file: string, at: string, feeds: RawFeed[], feedIds: Map<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  feeds.forEach((feed, index) => {
    const path = `${at}/feeds/${index}`;
    const first = feedIds.get(feed.id);
    if (first) problems.push({ file, path: `${path}/id`, message: `${showValue(feed.id)} is already the id of a feed in ${first}` });
    else feedIds.set(feed.id, `${file} ${path}`);
    // Secrets never sit in the YAML (docs/federation.md), not even inside a URL.
    if (/^https?:\/\/[^/]*@/.test(feed.url)) problems.push({ file, path: `${path}/url`, message: 'must not carry credentials: name them in auth instead' });
    const namesCollection = /\/collections\/[^/]+\/?$/.test(feed.url);
    if (!namesCollection && feed.collection === undefined) {
      problems.push({ file, path: `${path}/collection`, message: `is required when url ${showValue(feed.url)} is not a collection URL (…/collections/<id>/)` });
    }
    if (namesCollection && feed.collection !== undefined) {
      problems.push({ file, path: `${path}/collection`, message: `must be left out: url ${showValue(feed.url)} already names a collection` });
    }
    if (feed.auth?.type === 'basic' && (feed.auth.username === undefined) === (feed.auth.username_env === undefined)) {
      problems.push({ file, path: `${path}/auth`, message: 'basic authentication needs exactly one of username and username_env' });
    }
  });
  return problems;
}

function checkApiRoots(file: string, alliance: RawAllianceFile, problems: ConfigProblem[]): Set<string> {
  const paths = new Set<string>();
  alliance.api_roots.forEach((root, index) => {
    const path = `/api_roots/${index}/path`;
    const firstSegment = root.path.split('/')[0] ?? root.path;
    const reservedFor = RESERVED_FIRST_SEGMENTS.get(firstSegment);
    if (reservedFor) {
      problems.push({ file, path, message: `${showValue(root.path)} would be shadowed: /${firstSegment}/ is reserved for ${reservedFor}` });
    } else if (paths.has(root.path)) problems.push({ file, path, message: `${showValue(root.path)} is declared twice` });
    paths.add(root.path);
  });
  const defaultRoot = alliance.server.default_api_root;
  if (defaultRoot !== undefined && !paths.has(defaultRoot)) {
    problems.push({ file, path: '/server/default_api_root', message: `${showValue(defaultRoot)} is not a declared API root` });
  }
  return paths;
}

function checkOrganisationIds(organisations: LoadedOrganisationFile[], problems: ConfigProblem[]): Set<string> {
  const seen = new Map<string, string>();
  for (const { file, document } of organisations) {
    const expected = `${document.id}.yaml`;
    if (RESERVED_ORGANISATION_IDS.has(document.id)) {
      problems.push({ file, path: '/id', message: `${showValue(document.id)} is reserved` });
    } else if (file !== expected && file !== `${document.id}.yml`) {
      problems.push({ file, path: '/id', message: `${showValue(document.id)} does not match the file name: rename the file to ${expected}` });
    }
    const first = seen.get(document.id);
    if (first) problems.push({ file, path: '/id', message: `${showValue(document.id)} is already declared by ${first}` });
    else seen.set(document.id, file);
  }
  return new Set(seen.keys());
}
