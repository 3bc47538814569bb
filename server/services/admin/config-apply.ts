import { loadAllianceConfig } from '../../config/alliance';
import { diffAllianceConfigs, type ConfigDiff } from '../../config/config-diff';
import type { AllianceConfig } from '../../config/types';
import { Conflict } from '../../errors';
import { authorize, recordAdminAction, type AdminRequest, type AdminDependencies } from './admin-dependencies';

export const CONFIG_LOCK = 'alliance-config';

export interface ApplyOutcome {
  changed: boolean;
  /** The stored revision after the apply (unchanged when there was nothing to apply). */
  revision: number;
  diff: ConfigDiff;
}

/** A configuration with nothing in it: what the first apply is compared with, so it lists everything it brings. */
export const EMPTY_ALLIANCE: AllianceConfig = { server: { title: '' }, apiRoots: [], organisations: [], collections: [] };

function appliedBy(request: AdminRequest): string {
  return `${request.actor.username} (${request.actor.organisation})`;
}

/** The stored configuration, else the empty one: what an apply would be measured against. */
async function currentlyStored(deps: AdminDependencies): Promise<{ revision: number; config: AllianceConfig }> {
  const stored = await deps.configStore.read();
  return stored ?? { revision: 0, config: EMPTY_ALLIANCE };
}

/**
 * Stores `next` as the effective configuration in one compare-and-swap write, records one
 * `config.apply` audit record carrying the diff, and swaps this process's live configuration.
 * The caller holds CONFIG_LOCK and has validated `next` and authorised the change.
 */
export async function commitAllianceConfig(deps: AdminDependencies, request: AdminRequest, next: AllianceConfig, source: string): Promise<ApplyOutcome> {
  const current = await currentlyStored(deps);
  const diff = diffAllianceConfigs(current.config, next);
  if (diff.lines.length === 0) {
    if (current.revision > 0) deps.live.config = current.config;
    return { changed: false, revision: current.revision, diff };
  }
  const stored = await deps.configStore.replace(current.revision, { config: next, appliedAt: new Date(), appliedBy: appliedBy(request) });
  if (!stored) throw new Conflict(`the alliance configuration was changed by someone else meanwhile (it was at revision ${current.revision}); run the change again`);
  const revision = current.revision + 1;
  await recordAdminAction(deps, request, 'config.apply', { source, revision, diff: diff.lines, needsRestart: diff.needsRestart });
  deps.live.config = next;
  return { changed: true, revision, diff };
}

/** `config diff`: what applying the directory would change, without changing anything. */
export async function diffConfigDirectory(deps: AdminDependencies, request: AdminRequest): Promise<{ revision: number; diff: ConfigDiff }> {
  authorize(request.actor, 'config.apply', { kind: 'alliance' });
  const next = await loadAllianceConfig(deps.configDir);
  const current = await currentlyStored(deps);
  return { revision: current.revision, diff: diffAllianceConfigs(current.config, next) };
}

/**
 * `config apply` and server start-up: validates the whole directory first (a ConfigError
 * leaves everything as it was), then commits it as one write.
 */
export async function applyConfigDirectory(deps: AdminDependencies, request: AdminRequest, source: string): Promise<ApplyOutcome> {
  authorize(request.actor, 'config.apply', { kind: 'alliance' });
  const next = await loadAllianceConfig(deps.configDir);
  return deps.configLock.run(CONFIG_LOCK, () => commitAllianceConfig(deps, request, next, source));
}
