import { Command } from 'commander';
import { DEFAULT_ADMIN_LIMIT, MAX_ADMIN_LIMIT } from '../../server/services/admin/admin-dependencies';
import { queryAuditTrail } from '../../server/services/admin/audit-trail';
import { parseAdminInput } from '../../server/services/admin/input-errors';
import { auditTrailQuery, provenanceQuery, publicationsQuery } from '../../server/services/admin/inputs';
import { provenanceOf, publicationsOf } from '../../server/services/admin/provenance';
import { AUDIT_ACTIONS } from '../../server/storage/audit-log';
import type { PublishedVersion } from '../../server/storage/provenance-repository';
import { microsToTimestamp } from '../../server/taxii/timestamps';
import type { AdminContext } from './context';
import { formatTable } from './input';

interface AuditOptions {
  org?: string;
  collection?: string;
  since?: string;
  until?: string;
  action?: string;
  limit?: string;
}

async function printAudit(context: AdminContext, options: AuditOptions): Promise<void> {
  // The options are GET /admin/audit's query parameters by name, so they pass through its schema.
  const query = parseAdminInput(auditTrailQuery, options, 'query');
  const records = await queryAuditTrail(await context.dependencies(), await context.request(), query);
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
  const query = parseAdminInput(provenanceQuery, { collection, object: objectId, version: options.version, limit: String(MAX_ADMIN_LIMIT) }, 'query');
  const answer = await provenanceOf(await context.dependencies(), await context.request(), query);
  if (answer.versions.records.length === 0) {
    context.output.out(`No version of ${objectId} is held in ${answer.collection.alias ?? answer.collection.id}.`);
    return;
  }
  for (const line of formatTable(VERSION_HEADER, versionRows(answer.versions.records))) context.output.out(line);
}

async function printPublications(context: AdminContext, options: { org: string; since: string; until?: string; limit?: string }): Promise<void> {
  const query = parseAdminInput(publicationsQuery, options, 'query');
  const answer = await publicationsOf(await context.dependencies(), await context.request(), query);
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
