import type { AllianceConfig, CollectionConfig, Grant } from './types';

function access(grant: Grant): string {
  return [grant.read && 'read', grant.write && 'write'].filter(Boolean).join('+');
}

function describeCollection(collection: CollectionConfig): string[] {
  const limits = [`max TLP ${collection.maxTlp ?? 'none'}`, `unmarked ${collection.unmarked}`].join(', ');
  const grants = collection.grants.length === 0
    ? 'owner only'
    : collection.grants.map((grant) => `${grant.organisation} ${access(grant)}`).join(', ');
  const credentials = { basic: 'Basic', bearer: 'bearer token', none: 'no credentials' } as const;
  return [
    `    ${collection.id}  ${collection.alias ?? '-'}  "${collection.title}"`,
    `      owner ${collection.owner}; ${limits}; grants: ${grants}`,
    ...(collection.push ?? []).map((target) => `      push -> ${target.collectionUrl} (${credentials[target.credentials.kind]}, every ${target.intervalSeconds} s)`),
  ];
}

/** A human summary of what the configuration declares, printed by `admin config check`. */
export function describeAlliance(config: AllianceConfig): string {
  const lines: string[] = [`${config.server.title}`];
  if (config.server.contact) lines.push(`  contact: ${config.server.contact}`);
  lines.push('', `Organisations (${config.organisations.length}):`);
  for (const org of config.organisations) {
    const owned = config.collections.filter((collection) => collection.owner === org.id).length;
    lines.push(`  ${org.id.padEnd(16)} ${org.kind.padEnd(15)} ${(org.country ?? '--').padEnd(3)} ${org.name} (${owned} collection${owned === 1 ? '' : 's'})`);
  }
  lines.push('', `API roots (${config.apiRoots.length}):`);
  for (const root of config.apiRoots) {
    const isDefault = root.path === config.server.defaultApiRoot ? ' [default]' : '';
    const collections = config.collections.filter((collection) => collection.apiRoot === root.path);
    lines.push(`  /${root.path}/${isDefault} "${root.title}", max_content_length ${root.maxContentLength}, strict types ${root.strictTypes ? 'on' : 'off'}, created_by check ${root.createdByCheck ?? 'off'}, ${collections.length} collection(s)`);
    for (const collection of collections) lines.push(...describeCollection(collection));
  }
  return lines.join('\n');
}
