import type { CollectionConfig, FeedConfig } from '../../config/types';
import { defaultScope } from '../../policy/admin-policy';
import type { FeedState } from '../../storage/feed-state';
import { authorize, type AdminRequest, type AdminDependencies } from './admin-dependencies';

/** One declared feed and what the store knows of it: what `npm run admin -- feeds` and GET /admin/feeds show. */
export interface FeedStatus {
  feed: FeedConfig;
  collection: CollectionConfig;
  /** Absent until the feed was first polled. */
  state?: FeedState;
  /** `ok`: the last poll succeeded; `failing`: it failed (see the state's lastError); `new`: never polled. */
  health: 'ok' | 'failing' | 'new';
  /** Seconds since the last successful poll: how far behind the remote this copy may be. */
  lagSeconds?: number;
}

/**
 * The feeds of the configuration the actor may administer, with their state. An org-admin sees the
 * feeds of its own organisation's collections only (docs/access-model.md, Roles).
 */
export async function listFeeds(services: AdminDependencies, request: AdminRequest, now: Date = new Date()): Promise<FeedStatus[]> {
  const scope = defaultScope(request.actor);
  authorize(request.actor, 'feeds.read', scope);
  const states = new Map((await services.feedStates.list()).map((state) => [state.feedId, state]));
  const collections = services.live.config.collections.filter((collection) => scope.kind !== 'organisation' || collection.owner === scope.organisation);
  return collections.flatMap((collection) => (collection.feeds ?? []).map((feed): FeedStatus => {
    const state = states.get(feed.id);
    const health = !state?.lastPollAt ? 'new' : state.consecutiveFailures > 0 ? 'failing' : 'ok';
    return {
      feed,
      collection,
      ...(state && { state }),
      health,
      ...(state?.lastSuccessAt && { lagSeconds: Math.max(0, Math.round((now.getTime() - state.lastSuccessAt.getTime()) / 1000)) }),
    };
  }));
}
