import { Command } from 'commander';
import { DEFAULT_ADMIN_LIMIT, MAX_ADMIN_LIMIT } from '../../server/services/admin/admin-services';
import { queryAuditTrail } from '../../server/services/admin/audit-trail';
import { provenanceOf, publicationsOf } from '../../server/services/admin/provenance';
import type { AuditAction } from '../../server/storage/audit-log';
import type { PublishedVersion } from '../../server/storage/provenance-repository';
import { microsToTimestamp } from '../../server/taxii/timestamps';
import { CliError, type AdminContext } from './context';
import { formatTable, parseInstant, parseLimit } from './input';

const AUDIT_ACTIONS: readonly AuditAction[] = [
  'objects.add', 'objects.read', 'object.delete', 'auth.failure', 'user.add', 'user.disable', 'user.enable',
  'user.password', 'token.create', 'token.revoke', 'config.apply', 'objects.push',
];

interface AuditOptions {
  org?: string;
  collection?: string;
  since?: string;
  until?: string;
  action?: string;
  limit?: string;
}

function parseActions(text: string | undefined): AuditAction[] | undefined {
  if (text === undefined) return undefined;
  const actions = text.split(',');
  const unknown = actions.find((action) => !(AUDIT_ACTIONS as readonly string[]).includes(action));
  if (unknown !== undefined) throw new CliError(`--action '${unknown}' is not one of ${AUDIT_ACTIONS.join(', ')}`);
  return actions as AuditAction[];
}

async function printAudit(context: AdminContext, options: AuditOptions): Promise<void> {
  const since = parseInstant('--since', options.since);
  const until = parseInstant('--until', options.until);
  const actions = parseActions(options.action);
  const records = await queryAuditTrail(await context.services(), await context.request(), {
    ...(options.org !== undefined && { organisation: options.org }),
    ...(options.collection !== undefined && { collection: options.collection }),
    ...(since && { since }),
    ...(until && { until }),
    ...(actions && { actions }),
    limit: parseLimit(options.limit, DEFAULT_ADMIN_LIMIT, MAX_ADMIN_LIMIT),
  });
  if (records.length === 0) {
    context.output.out('No audit records match.');
    return;
  }
  const rows = records.map((record) => [
    record.at.toISOString(),
    record.action,
    record.username ?? '-',
    record.organisation ?? '-',
    record.collectionId ?? '-',
    record.details ? JSON.stringify(record.details) : '-',
  ]);
  for (const line of formatTable(['AT', 'ACTION', 'USER', 'ORGANISATION', 'COLLECTION', 'DETAILS'], rows)) context.output.out(line);
}

function versionRows(versions: PublishedVersion[]): string[][] {
  return versions.map((version) => [
    microsToTimestamp(version.dateAdded),
    version.collectionId,
    version.objectId,
    version.version,
    version.publishedBy.organisation,
    version.publishedBy.username,
  ]);
}

const VERSION_HEADER = ['DATE ADDED', 'COLLECTION', 'OBJECT', 'VERSION', 'ORGANISATION', 'USER'];

async function printProvenance(context: AdminContext, collection: string, objectId: string, options: { version?: string }): Promise<void> {
  const answer = await provenanceOf(await context.services(), await context.request(), {
    collection, objectId, ...(options.version !== undefined && { version: options.version }), limit: MAX_ADMIN_LIMIT,
  });
  if (answer.versions.records.length === 0) {
    context.output.out(`No version of ${objectId} is held in ${answer.collection.alias ?? answer.collection.id}.`);
    return;
  }
  for (const line of formatTable(VERSION_HEADER, versionRows(answer.versions.records))) context.output.out(line);
}

async function printPublications(context: AdminContext, options: { org: string; since: string; until?: string; limit?: string }): Promise<void> {
  const since = parseInstant('--since', options.since);
  const until = parseInstant('--until', options.until);
  const answer = await publicationsOf(await context.services(), await context.request(), {
    organisation: options.org, ...(since && { since }), ...(until && { until }), limit: parseLimit(options.limit, DEFAULT_ADMIN_LIMIT, MAX_ADMIN_LIMIT),
  });
  if (answer.publications.records.length === 0) {
    context.output.out(`${options.org} published nothing in that period.`);
    return;
  }
  for (const line of formatTable(VERSION_HEADER, versionRows(answer.publications.records))) context.output.out(line);
  if (answer.publications.more) context.output.err(`(more than ${answer.publications.records.length}: narrow the period or raise --limit)`);
}

/** `audit`, `provenance` and `publications`: the questions a partner's admin asks of the trail and the store. */
export function auditCommands(context: AdminContext): Command[] {
  const audit = new Command('audit')
    .description('print the audit trail, newest first (an org-admin sees its own organisation\'s)')
    .option('--org <organisation>', 'actions by this organisation and on the collections it owns')
    .option('--collection <id-or-alias>', 'actions on this collection')
    .option('--since <instant>', 'from this instant (ISO 8601)')
    .option('--until <instant>', 'up to this instant (ISO 8601)')
    .option('--action <actions>', `comma-separated: ${AUDIT_ACTIONS.join(', ')}`)
    .option('--limit <n>', `at most this many records (default ${DEFAULT_ADMIN_LIMIT})`)
    .action((options: AuditOptions) => printAudit(context, options));
  const provenance = new Command('provenance')
    .argument('<collection>', 'collection id or alias')
    .argument('<object-id>', 'STIX id')
    .description('who published each version of an object, and when')
    .option('--version <timestamp>', 'only this version (its modified timestamp)')
    .action((collection: string, objectId: string, options: { version?: string }) => printProvenance(context, collection, objectId, options));
  const publications = new Command('publications')
    .description('what an organisation published in a period, oldest first')
    .requiredOption('--org <organisation>', 'the publishing organisation')
    .requiredOption('--since <instant>', 'from this date_added (ISO 8601)')
    .option('--until <instant>', 'up to this date_added (ISO 8601)')
    .option('--limit <n>', `at most this many versions (default ${DEFAULT_ADMIN_LIMIT})`)
    .action((options: { org: string; since: string; until?: string; limit?: string }) => printPublications(context, options));
  return [audit, provenance, publications];
}
