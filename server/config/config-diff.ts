import type { AllianceConfig, ApiRootConfig, CollectionConfig, Grant, Organisation } from './types';

/**
 * What an apply would change, one readable line each, as printed by `config diff`/`config apply`
 * and stored in the `config.apply` audit record. Pure: two configurations in, lines out.
 */
export interface ConfigDiff {
  lines: string[];
  /** API roots added or removed: the routers are mounted at start-up, so these need a restart. */
  needsRestart: boolean;
}

function rights(grant: Pick<Grant, 'read' | 'write'>): string {
  return [grant.read && 'read', grant.write && 'write'].filter(Boolean).join('+') || 'none';
}

function label(collection: CollectionConfig): string {
  return collection.alias ? `${collection.alias} (${collection.id})` : collection.id;
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

/** Field-by-field changes of two values of the same shape, named as the YAML names them. */
function fieldChanges<T extends object>(before: T, after: T, names: Partial<Record<keyof T, string>>): string[] {
  const changes: string[] = [];
  for (const [field, name] of Object.entries(names) as [keyof T, string][]) {
    const was = JSON.stringify(before[field] ?? null);
    const now = JSON.stringify(after[field] ?? null);
    if (was !== now) changes.push(`${name} ${was} -> ${now}`);
  }
  return changes;
}

const ORGANISATION_FIELDS: Partial<Record<keyof Organisation, string>> = { name: 'name', country: 'country', kind: 'kind', identities: 'identities' };
const API_ROOT_FIELDS: Partial<Record<keyof ApiRootConfig, string>> = {
  title: 'title', description: 'description', maxContentLength: 'max_content_length', strictTypes: 'strict_types', createdByCheck: 'created_by_check',
  rateLimitPerSecond: 'rate_limit_per_second',
};
const COLLECTION_FIELDS: Partial<Record<keyof CollectionConfig, string>> = {
  alias: 'alias', title: 'title', description: 'description', owner: 'owner', apiRoot: 'api_root',
  mediaTypes: 'media_types', maxTlp: 'max_tlp', unmarked: 'unmarked', foreignVersions: 'foreign_versions', feeds: 'feeds',
  // Secrets are references (env names, file paths), so the diff and its audit record never carry one.
  push: 'push',
};

function diffOrganisations(before: AllianceConfig, after: AllianceConfig): string[] {
  const lines: string[] = [];
  const old = byKey(before.organisations, (org) => org.id);
  const now = byKey(after.organisations, (org) => org.id);
  for (const [id, org] of now) {
    const was = old.get(id);
    if (!was) lines.push(`+ organisation ${id} (${org.kind}, "${org.name}")`);
    else for (const change of fieldChanges(was, org, ORGANISATION_FIELDS)) lines.push(`~ organisation ${id}: ${change}`);
  }
  for (const id of old.keys()) if (!now.has(id)) lines.push(`- organisation ${id}`);
  return lines;
}

function diffApiRoots(before: AllianceConfig, after: AllianceConfig): { lines: string[]; needsRestart: boolean } {
  const lines: string[] = [];
  let needsRestart = false;
  const old = byKey(before.apiRoots, (root) => root.path);
  const now = byKey(after.apiRoots, (root) => root.path);
  for (const [path, root] of now) {
    const was = old.get(path);
    if (!was) {
      needsRestart = true;
      lines.push(`+ API root /${path}/ "${root.title}" (served after a restart)`);
    } else for (const change of fieldChanges(was, root, API_ROOT_FIELDS)) lines.push(`~ API root /${path}/: ${change}`);
  }
  for (const path of old.keys()) {
    if (now.has(path)) continue;
    needsRestart = true;
    lines.push(`- API root /${path}/ (its collections are hidden at once; the path goes after a restart)`);
  }
  const server = fieldChanges(before.server, after.server, { title: 'title', description: 'description', contact: 'contact', defaultApiRoot: 'default_api_root' });
  for (const change of server) lines.push(`~ server: ${change}`);
  return { lines, needsRestart };
}

function diffGrants(collection: CollectionConfig, before: readonly Grant[], after: readonly Grant[]): string[] {
  const lines: string[] = [];
  const old = byKey(before, (grant) => grant.organisation);
  const now = byKey(after, (grant) => grant.organisation);
  for (const [org, grant] of now) {
    const was = old.get(org);
    if (!was) lines.push(`+ grant ${org} ${rights(grant)} on ${label(collection)}`);
    else if (was.read !== grant.read || was.write !== grant.write) lines.push(`~ grant ${org} on ${label(collection)}: ${rights(was)} -> ${rights(grant)}`);
  }
  for (const [org, grant] of old) if (!now.has(org)) lines.push(`- grant ${org} ${rights(grant)} on ${label(collection)}`);
  return lines;
}

function diffCollections(before: AllianceConfig, after: AllianceConfig): string[] {
  const lines: string[] = [];
  const old = byKey(before.collections, (collection) => collection.id);
  const now = byKey(after.collections, (collection) => collection.id);
  for (const [id, collection] of now) {
    const was = old.get(id);
    if (!was) {
      const tlp = collection.maxTlp ? `, max TLP ${collection.maxTlp}` : '';
      lines.push(`+ collection ${label(collection)} "${collection.title}" owned by ${collection.owner} in /${collection.apiRoot}/${tlp}`);
      for (const grant of collection.grants) lines.push(`+ grant ${grant.organisation} ${rights(grant)} on ${label(collection)}`);
      continue;
    }
    for (const change of fieldChanges(was, collection, COLLECTION_FIELDS)) lines.push(`~ collection ${label(collection)}: ${change}`);
    lines.push(...diffGrants(collection, was.grants, collection.grants));
  }
  for (const [id, collection] of old) if (!now.has(id)) lines.push(`- collection ${label(collection)} owned by ${collection.owner} (objects stay stored, hidden)`);
  return lines;
}

/** Lines start with `+` (added), `-` (removed) or `~` (changed); an empty list means nothing to apply. */
export function diffAllianceConfigs(before: AllianceConfig, after: AllianceConfig): ConfigDiff {
  const roots = diffApiRoots(before, after);
  return {
    lines: [...diffOrganisations(before, after), ...roots.lines, ...diffCollections(before, after)],
    needsRestart: roots.needsRestart,
  };
}
