import { Command } from 'commander';
import { resolveCollection } from '../../server/config/resolve-collection';
import { reportPushTargets, type PushTargetReport } from '../../server/federation/push-report';
import { CliError, type AdminContext } from './context';
import { formatTable, isoOrDash } from './input';
import { parseAdminInput } from '../../server/services/admin/input-errors';
import { pushRefusalsQuery } from '../../server/services/admin/inputs';

/**
 * The collections whose push state the actor may read: all for an alliance-admin, else those its
 * organisation owns (a push sends the owner's data out of the alliance; docs/federation.md).
 */
async function visibleCollections(context: AdminContext): Promise<Set<string> | undefined> {
  const { actor } = await context.request();
  if (actor.role === 'alliance-admin') return undefined;
  return new Set((await context.alliance()).collections.filter((collection) => collection.owner === actor.organisation).map((collection) => collection.id));
}

function describeLag(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3_600)} h`;
}

function row(report: PushTargetReport): string[] {
  const { state } = report;
  const failing = state !== undefined && state.consecutiveErrors > 0;
  return [
    report.collectionAlias ?? report.collectionId,
    report.remoteUrl,
    !report.configured ? 'not configured' : failing ? `failing (${state.consecutiveErrors})` : state ? 'ok' : 'not started',
    `${report.backlog}${report.backlogCapped ? '+' : ''}`,
    describeLag(report.lagSeconds),
    String(state?.sentCount ?? 0),
    String(state?.refusedCount ?? 0),
    isoOrDash(state?.lastSuccessAt),
    state?.lastError !== undefined ? `${isoOrDash(state.lastErrorAt)} ${state.lastError}` : '-',
  ];
}

async function listTargets(context: AdminContext): Promise<void> {
  const storage = await context.open();
  const reports = await reportPushTargets(await context.alliance(), storage.objects, storage.pushOutbox, new Date(), await visibleCollections(context));
  if (reports.length === 0) {
    context.output.out('No push targets: add `push:` to a collection in its owner\'s YAML file (docs/federation.md).');
    return;
  }
  const header = ['COLLECTION', 'REMOTE', 'STATE', 'BACKLOG', 'LAG', 'SENT', 'REFUSED', 'LAST SUCCESS', 'LAST ERROR'];
  for (const line of formatTable(header, reports.map(row))) context.output.out(line);
}

async function listRefusals(context: AdminContext, collectionName: string, options: { remote?: string; limit?: string }): Promise<void> {
  const config = await context.alliance();
  const collection = resolveCollection(config, collectionName);
  const visible = await visibleCollections(context);
  if (!collection || (visible && !visible.has(collection.id))) throw new CliError(`no collection '${collectionName}' that you may administer`);
  const storage = await context.open();
  const states = (await storage.pushOutbox.list()).filter((state) => state.collectionId === collection.id && (options.remote === undefined || state.remoteUrl === options.remote));
  if (states.length === 0) throw new CliError(`collection '${collectionName}' has no push state${options.remote !== undefined ? ` for ${options.remote}` : ''}`);
  const { limit } = parseAdminInput(pushRefusalsQuery, options.limit === undefined ? {} : { limit: options.limit }, 'query');
  const rows: string[][] = [];
  for (const state of states) {
    for (const refusal of await storage.pushOutbox.refusals(state, limit)) rows.push([refusal.at.toISOString(), state.remoteUrl, refusal.id, refusal.version, refusal.reason]);
  }
  if (rows.length === 0) {
    context.output.out('No refusals: every version sent so far was accepted.');
    return;
  }
  for (const line of formatTable(['AT', 'REMOTE', 'ID', 'VERSION', 'REASON'], rows)) context.output.out(line);
}

/** `npm run admin -- push`: the downstream push's state per target, and the versions remotes refused. */
export function pushCommands(context: AdminContext): Command {
  const push = new Command('push').description('downstream push to remote TAXII collections: state per target, refusals');
  push
    .command('list', { isDefault: true })
    .description('each push target: backlog, lag, versions sent and refused, last success, last error')
    .action(() => listTargets(context));
  push
    .command('refusals <collection>')
    .description('versions of the collection (id or alias) that a remote refused, newest first; they are not sent again')
    .option('--remote <url>', 'only this push target')
    .option('--limit <n>', 'at most this many per target (default 1000)')
    .action((collection: string, options: { remote?: string; limit?: string }) => listRefusals(context, collection, options));
  return push;
}
