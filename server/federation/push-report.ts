import type { AllianceConfig } from '../config/types';
import { pushTargetId, type PushOutbox, type PushState } from '../storage/push-outbox';
import type { ObjectRepository } from '../storage/repository';
import { ALL_VERSIONS } from '../taxii/versions';

/** Versions after the cursor are counted up to this; a larger backlog shows as "more than". */
export const BACKLOG_COUNT_LIMIT = 10_000;

export interface PushTargetReport {
  collectionId: string;
  collectionAlias?: string;
  remoteUrl: string;
  /** False for a target removed from the configuration whose state is still stored. */
  configured: boolean;
  state?: PushState;
  /** Versions after the cursor, at most BACKLOG_COUNT_LIMIT; `backlogCapped` when there are more. */
  backlog: number;
  backlogCapped: boolean;
  /** How long the oldest version not yet sent has waited, in seconds; 0 when caught up. */
  lagSeconds: number;
}

/** What `npm run admin -- push` shows: every configured target and every target with state. */
export async function reportPushTargets(
  config: AllianceConfig,
  objects: ObjectRepository,
  outbox: PushOutbox,
  now: Date,
  collectionIds?: Set<string>,
): Promise<PushTargetReport[]> {
  const states = new Map((await outbox.list()).map((state) => [pushTargetId(state), state]));
  const keys = new Map<string, { collectionId: string; remoteUrl: string; configured: boolean }>();
  for (const collection of config.collections) {
    for (const target of collection.push ?? []) {
      const key = { collectionId: collection.id, remoteUrl: target.collectionUrl };
      keys.set(pushTargetId(key), { ...key, configured: true });
    }
  }
  for (const state of states.values()) {
    if (!keys.has(pushTargetId(state))) keys.set(pushTargetId(state), { collectionId: state.collectionId, remoteUrl: state.remoteUrl, configured: false });
  }
  const reports: PushTargetReport[] = [];
  for (const [id, key] of keys) {
    if (collectionIds && !collectionIds.has(key.collectionId)) continue;
    const state = states.get(id);
    const cursor = state?.cursor ?? 0;
    const after = await objects.page({
      collectionId: key.collectionId,
      filter: { versions: ALL_VERSIONS, ...(cursor > 0 && { addedAfter: cursor }) },
      limit: BACKLOG_COUNT_LIMIT,
      withContent: false,
    });
    const oldest = after.records[0]?.dateAdded;
    const alias = config.collections.find((collection) => collection.id === key.collectionId)?.alias;
    reports.push({
      ...key,
      ...(alias !== undefined && { collectionAlias: alias }),
      ...(state && { state }),
      backlog: after.records.length,
      backlogCapped: after.more,
      lagSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((now.getTime() * 1000 - oldest) / 1e6)),
    });
  }
  return reports.sort((a, b) => a.collectionId.localeCompare(b.collectionId) || a.remoteUrl.localeCompare(b.remoteUrl));
}
