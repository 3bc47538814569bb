import { randomUUID } from 'node:crypto';
import type { ApiRootConfig, CollectionConfig, FeedConfig } from '../config/types';
import type { Logger } from '../logging';
import type { TaxiiContext } from '../services/context';
import type { FeedState, FeedStateRepository } from '../storage/feed-state';
import { timestampToMicros } from '../taxii/timestamps';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { feedPublisher, feedRequest, mirrorPage } from './mirror-page';
import { fetchObjectsPage, RemoteFailure, resolveObjectsUrl, type RemoteCall, type RemotePage } from './remote-client';

export interface FeedPollerOptions {
  /** How often the poller looks for feeds that are due. */
  tickMs: number;
  /** A feed's lease not renewed for this long is taken over by another process. */
  leaseMs: number;
  /** A remote that has not answered a request within this long has failed it. */
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
  /** In [0, 1): the back-off's jitter. */
  random: () => number;
}

export const DEFAULT_FEED_POLLER_OPTIONS: FeedPollerOptions = { tickMs: 1_000, leaseMs: 60_000, requestTimeoutMs: 30_000, backoff: DEFAULT_BACKOFF, random: Math.random };

export type PollOutcome =
  | { kind: 'polled'; pages: number; stored: number; duplicates: number; rejected: number; cursor?: string }
  | { kind: 'failed'; error: string; retryInMs: number }
  /** Another process holds the feed's lease and polls it. */
  | { kind: 'busy' }
  | { kind: 'stopped' };

/** A feed with what it mirrors into, as the live configuration has it now. */
export interface FeedTarget {
  feed: FeedConfig;
  collection: CollectionConfig;
  root: ApiRootConfig;
}

/** Every feed of the configuration, whose collection and API root exist. */
export function feedTargets(context: Pick<TaxiiContext, 'config'>): FeedTarget[] {
  const { collections, apiRoots } = context.config;
  return collections.flatMap((collection) => {
    const root = apiRoots.find((candidate) => candidate.path === collection.apiRoot);
    return root ? (collection.feeds ?? []).map((feed) => ({ feed, collection, root })) : [];
  });
}

function freshState(feedId: string, collectionId: string): FeedState {
  return { feedId, collectionId, consecutiveFailures: 0, objectsMirrored: 0, objectsDuplicate: 0, objectsRejected: 0 };
}

/** The later of two TAXII timestamps: a remote that reorders or repeats never moves the cursor back. */
function laterCursor(current: string | undefined, candidate: string | undefined): string | undefined {
  if (candidate === undefined || timestampToMicros(candidate) === undefined) return current;
  if (current === undefined) return candidate;
  return (timestampToMicros(candidate) ?? 0) > (timestampToMicros(current) ?? 0) ? candidate : current;
}

/** A configuration change of a feed's URL or collection resolves the remote afresh. */
function urlKey(feed: FeedConfig): string {
  return `${feed.id}\u0000${feed.url}\u0000${feed.remoteCollection ?? ''}`;
}

/** Another process took the feed over (this one stalled past its lease): it now owns the state, so this one writes nothing more. */
class LeaseLost extends Error {}

/** Rejection reasons logged per page: enough to see the pattern, bounded for a remote that sends junk by the thousand. */
const LOGGED_REJECTIONS = 20;

/**
 * Polls every feed of the live configuration (docs/federation.md): `added_after` the stored cursor,
 * following `next` to the end, each page stored through the POST path before the cursor moves past
 * it, so a crash repeats at most one page, whose versions are then duplicates (TAXII 2.1 §5.5). A
 * feed is polled by one process at a time, the holder of its lease in the store. A failed poll is
 * retried after an exponential, jittered back-off that honours Retry-After.
 */
export class FeedPoller {
  private readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly dueAt = new Map<string, number>();
  private readonly running = new Map<string, Promise<PollOutcome>>();
  private readonly objectsUrls = new Map<string, string>();
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: TaxiiContext,
    private readonly states: FeedStateRepository,
    /** The Authorization header of a feed, read at each poll (config/feed-credentials.ts); throws when a secret is missing. */
    private readonly authorization: (feed: FeedConfig) => string | undefined,
    private readonly logger: Logger,
    private readonly options: FeedPollerOptions = DEFAULT_FEED_POLLER_OPTIONS,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.timer.unref();
    this.tick();
  }

  /** Aborts requests in flight and waits for polls to end; a page being stored is finished first. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.shutdown.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Polls one feed now (or joins the poll in progress); the admin CLI and the tests use it. */
  pollNow(feedId: string): Promise<PollOutcome> {
    const target = feedTargets(this.context).find((candidate) => candidate.feed.id === feedId);
    if (!target) return Promise.reject(new Error(`no feed ${feedId} in the configuration`));
    return this.running.get(feedId) ?? this.run(target);
  }

  private tick(): void {
    if (this.shutdown.signal.aborted) return;
    const now = Date.now();
    for (const target of feedTargets(this.context)) {
      if (this.running.has(target.feed.id) || (this.dueAt.get(target.feed.id) ?? 0) > now) continue;
      void this.run(target);
    }
  }

  private run(target: FeedTarget): Promise<PollOutcome> {
    const { feed } = target;
    const poll = this.poll(target)
      .catch((error: unknown): PollOutcome => {
        // Only the store can fail here (the remote's failures are outcomes): try again after a back-off.
        this.logger.error({ err: error, feed: feed.id }, 'feed poller: could not record the state of a poll');
        return { kind: 'failed', error: String(error), retryInMs: this.options.backoff.maxMs };
      })
      .then((outcome) => {
        const wait = outcome.kind === 'failed' ? outcome.retryInMs : feed.pollIntervalSeconds * 1000;
        this.dueAt.set(feed.id, Date.now() + wait);
        return outcome;
      })
      .finally(() => this.running.delete(feed.id));
    this.running.set(feed.id, poll);
    return poll;
  }

  private async poll(target: FeedTarget): Promise<PollOutcome> {
    const { feed, collection } = target;
    if (this.shutdown.signal.aborted) return { kind: 'stopped' };
    if (!(await this.states.claim(feed.id, this.holder, this.options.leaseMs))) return { kind: 'busy' };
    try {
      const state = (await this.states.find(feed.id)) ?? freshState(feed.id, collection.id);
      state.collectionId = collection.id;
      state.lastPollAt = new Date();
      try {
        const outcome = await this.follow(target, state);
        state.lastSuccessAt = new Date();
        state.consecutiveFailures = 0;
        await this.states.save(state);
        return outcome;
      } catch (error) {
        if (this.shutdown.signal.aborted) return { kind: 'stopped' };
        if (error instanceof LeaseLost) return { kind: 'busy' };
        return await this.failed(target, state, error);
      }
    } finally {
      await this.states.release(feed.id, this.holder).catch(() => undefined);
    }
  }

  /** One poll: pages from the cursor to the end. The query stays the same across `next`, as §3.4 pagination expects. */
  private async follow(target: FeedTarget, state: FeedState, mayRestart = true): Promise<PollOutcome & { kind: 'polled' }> {
    const { feed } = target;
    const call: RemoteCall = { timeoutMs: this.options.requestTimeoutMs, signal: this.shutdown.signal };
    const authorization = this.authorization(feed);
    if (authorization !== undefined) call.authorization = authorization;
    const objectsUrl = await this.objectsUrl(feed, call);
    const addedAfter = state.cursor ?? feed.addedAfter;
    const totals = { kind: 'polled' as const, pages: 0, stored: 0, duplicates: 0, rejected: 0 };
    let next: string | undefined;
    for (;;) {
      let page: RemotePage;
      try {
        page = await fetchObjectsPage(objectsUrl, { ...(addedAfter !== undefined && { addedAfter }), ...(feed.types && { types: feed.types }), limit: feed.pageSize, ...(next !== undefined && { next }) }, call);
      } catch (error) {
        // A remote that restarted (or expired its paging session) no longer knows our `next`:
        // start the poll over from the cursor, which already covers every page stored.
        if (next !== undefined && mayRestart && error instanceof RemoteFailure && error.kind === 'client') {
          this.logger.info({ feed: feed.id, err: error.message }, 'feed: the remote refused a next; polling again from the cursor');
          const rest = await this.follow(target, state, false);
          return { ...rest, pages: totals.pages + rest.pages, stored: totals.stored + rest.stored, duplicates: totals.duplicates + rest.duplicates, rejected: totals.rejected + rest.rejected };
        }
        throw error;
      }
      await this.store(target, state, page, objectsUrl, totals);
      if (!page.more || page.next === undefined) break;
      // Following such a remote would never end.
      if (page.objects.length === 0) throw new RemoteFailure('garbage', `${objectsUrl} said more but sent no objects`);
      next = page.next;
      if (!(await this.states.renew(feed.id, this.holder, this.options.leaseMs))) throw new LeaseLost(`feed ${feed.id}: another process took the lease over`);
    }
    return { ...totals, ...(state.cursor !== undefined && { cursor: state.cursor }) };
  }

  /** Stores a page, then moves the cursor past it: at least once, never skipped. */
  private async store(target: FeedTarget, state: FeedState, page: RemotePage, objectsUrl: string, totals: { pages: number; stored: number; duplicates: number; rejected: number }): Promise<void> {
    const { feed, collection, root } = target;
    const pageId = randomUUID();
    const mirrored = page.objects.length > 0
      ? await mirrorPage(this.context, feedRequest(feed, collection, root, pageId), page.objects, pageId)
      : { stored: 0, duplicates: 0, rejected: [] };
    const cursorBefore = state.cursor;
    state.cursor = laterCursor(state.cursor, page.dateAddedLast);
    if (state.cursor === undefined) delete state.cursor;
    state.objectsMirrored += mirrored.stored;
    state.objectsDuplicate += mirrored.duplicates;
    state.objectsRejected += mirrored.rejected.length;
    await this.states.save(state);
    totals.pages += 1;
    totals.stored += mirrored.stored;
    totals.duplicates += mirrored.duplicates;
    totals.rejected += mirrored.rejected.length;
    if (mirrored.rejected.length > 0) {
      this.logger.warn({ feed: feed.id, collection: collection.id, rejected: mirrored.rejected.length, reasons: mirrored.rejected.slice(0, LOGGED_REJECTIONS) }, 'feed: objects refused, as a POST would refuse them');
    }
    if (page.objects.length === 0) return;
    if (page.dateAddedLast === undefined) this.logger.warn({ feed: feed.id }, 'feed: the remote sent no X-TAXII-Date-Added-Last; the cursor cannot move past this page');
    await this.context.audit.record({
      at: new Date(),
      action: 'feed.poll',
      username: feedPublisher(feed),
      organisation: collection.owner,
      apiRoot: root.path,
      collectionId: collection.id,
      requestId: pageId,
      details: {
        feed: feed.id, remote: objectsUrl, received: page.objects.length, stored: mirrored.stored, duplicates: mirrored.duplicates,
        rejected: mirrored.rejected.length, ...(cursorBefore !== undefined && { cursor_before: cursorBefore }), ...(state.cursor !== undefined && { cursor_after: state.cursor }),
      },
    });
  }

  private async failed(target: FeedTarget, state: FeedState, error: unknown): Promise<PollOutcome> {
    const { feed, collection, root } = target;
    const message = error instanceof Error ? error.message : String(error);
    state.consecutiveFailures += 1;
    state.lastError = { at: new Date(), message };
    await this.states.save(state);
    const retryAfterMs = error instanceof RemoteFailure ? error.retryAfterMs : undefined;
    const retryInMs = backoffDelay(state.consecutiveFailures, this.options.backoff, this.options.random, retryAfterMs);
    // The discovery may have moved; it is looked up again on the next attempt.
    this.objectsUrls.delete(urlKey(feed));
    this.logger.warn({ feed: feed.id, failures: state.consecutiveFailures, retryInMs, err: message }, 'feed: poll failed; backing off');
    // One audit record when a feed starts failing, not one per retry of the same outage.
    if (state.consecutiveFailures === 1) {
      await this.context.audit.record({
        at: new Date(), action: 'feed.error', username: feedPublisher(feed), organisation: collection.owner, apiRoot: root.path, collectionId: collection.id,
        details: { feed: feed.id, error: message, ...(error instanceof RemoteFailure && { kind: error.kind }) },
      });
    }
    return { kind: 'failed', error: message, retryInMs };
  }

  private async objectsUrl(feed: FeedConfig, call: RemoteCall): Promise<string> {
    const known = this.objectsUrls.get(urlKey(feed));
    if (known !== undefined) return known;
    const resolved = await resolveObjectsUrl(feed.url, feed.remoteCollection, call);
    this.objectsUrls.set(urlKey(feed), resolved);
    return resolved;
  }
}
