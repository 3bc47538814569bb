import { Command } from 'commander';
import { presentFeed } from '../../server/http/admin/present';
import { listFeeds, type FeedStatus } from '../../server/services/admin/feeds';
import type { AdminContext } from './context';
import { formatTable } from './input';

function lag(status: FeedStatus): string {
  if (status.lagSeconds === undefined) return '-';
  const seconds = status.lagSeconds;
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

function lastError(status: FeedStatus): string {
  const error = status.state?.lastError;
  return error ? `${error.at.toISOString()} ${error.message}` : '-';
}

async function printFeeds(context: AdminContext, options: { json?: boolean }): Promise<void> {
  const feeds = await listFeeds(await context.dependencies(), await context.request());
  if (options.json) {
    // The admin API's shape, so a script reads the CLI and GET /admin/feeds alike.
    context.output.out(JSON.stringify({ feeds: feeds.map(presentFeed) }, null, 2));
    return;
  }
  if (feeds.length === 0) {
    context.output.out('No feeds are declared (feeds: on a collection in collections/<owner>.yaml; see docs/federation.md).');
    return;
  }
  const rows = feeds.map((status) => [
    status.feed.id,
    status.collection.alias ?? status.collection.id,
    status.health,
    status.state?.lastSuccessAt?.toISOString() ?? '-',
    lag(status),
    String(status.state?.objectsMirrored ?? 0),
    String(status.state?.objectsRejected ?? 0),
    status.state?.cursor ?? '-',
    lastError(status),
  ]);
  for (const line of formatTable(['FEED', 'COLLECTION', 'HEALTH', 'LAST SUCCESS', 'LAG', 'MIRRORED', 'REJECTED', 'CURSOR', 'LAST ERROR'], rows)) context.output.out(line);
}

/** `feeds`: every upstream feed with its state (an org-admin sees its own organisation's). */
export function feedCommands(context: AdminContext): Command[] {
  const feeds = new Command('feeds')
    .description('list upstream feeds: health, last success, lag, objects mirrored and rejected, cursor, last error')
    .option('--json', 'print the feeds and their state as JSON, as GET /admin/feeds answers')
    .action((options: { json?: boolean }) => printFeeds(context, options));
  return [feeds];
}
