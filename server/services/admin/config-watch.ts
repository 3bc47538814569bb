import { diffAllianceConfigs } from '../../config/config-diff';
import type { AllianceConfig } from '../../config/types';
import type { AllianceConfigStore } from '../../storage/alliance-config-store';

export interface ConfigWatchOptions {
  intervalMs: number;
  /** The revision this process already serves, so the first poll does not reload it. */
  revision: number;
  onChange(revision: number, diff: string[]): void;
  onError(error: unknown): void;
}

/**
 * Polls the stored revision and swaps `live.config` when another process (the admin CLI, a
 * second server) applied a newer one. Services read `context.config` on every request, so the
 * reassignment is the whole reload; requests already running finish on the configuration they began with.
 */
export function watchAllianceConfig(store: AllianceConfigStore, live: { config: AllianceConfig }, options: ConfigWatchOptions): { stop(): void } {
  let known = options.revision;
  let busy = false;
  const poll = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      if ((await store.revision()) <= known) return;
      const stored = await store.read();
      if (!stored || stored.revision <= known) return;
      const diff = diffAllianceConfigs(live.config, stored.config);
      live.config = stored.config;
      known = stored.revision;
      options.onChange(stored.revision, diff.lines);
    } catch (error) {
      options.onError(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
