import { randomUUID } from 'node:crypto';
import type { AllianceConfig, PushTarget } from '../config/types';
import type { AuditLog } from '../storage/audit-log';
import { pushTargetId, type PushOutbox, type PushTargetKey } from '../storage/push-outbox';
import type { ObjectRepository } from '../storage/repository';
import { retryDelayMs, type RetryPolicy } from '../taxii/retry-policy';
import { authorizationFor, type EnvironmentLookup } from './push-credentials';
import { RemoteError, PushRemote } from './push-remote';
import { pushRound, type PushRoundSettings } from './push-round';

export interface PushTimings {
  /** How often the scheduler looks for a target that is due. */
  tickMs: number;
  /** A pusher that dies holding a target blocks it this long (MongoDB; SQLite has one server). */
  leaseMs: number;
  requestTimeoutMs: number;
  /** After a failed round: exponential with jitter from baseDelayMs to maxDelayMs; a Retry-After is obeyed up to maxRetryAfterMs. */
  backoff: Omit<RetryPolicy, 'retries'>;
  round: PushRoundSettings;
}

export const DEFAULT_PUSH_TIMINGS: PushTimings = {
  tickMs: 250,
  leaseMs: 60_000,
  requestTimeoutMs: 60_000,
  backoff: { baseDelayMs: 1_000, maxDelayMs: 300_000, maxRetryAfterMs: 3_600_000 },
  round: { pageSize: 1_000, pagesPerRound: 10, maxObjectsPerEnvelope: 1_000, statusWaitMs: 30_000, statusFirstDelayMs: 250 },
};

export interface PushSchedulerDependencies {
  /** The live configuration: a target added or removed by a config apply is picked up at the next tick. */
  config: () => AllianceConfig;
  objects: ObjectRepository;
  outbox: PushOutbox;
  audit: AuditLog;
  environment: EnvironmentLookup;
  timings?: PushTimings;
  /** Told of every failed round (the state records it too). */
  onError?: (key: PushTargetKey, error: Error) => void;
}

interface TargetRuntime {
  nextDueAt: number;
  running?: Promise<void>;
  byteCap: { bytes?: number };
}

interface ConfiguredTarget {
  key: PushTargetKey;
  target: PushTarget;
}

function configuredTargets(config: AllianceConfig): ConfiguredTarget[] {
  return config.collections.flatMap((collection) =>
    (collection.push ?? []).map((target) => ({ key: { collectionId: collection.id, remoteUrl: target.collectionUrl }, target })));
}

/**
 * Runs the downstream push (docs/federation.md): for each configured target, a round every
 * interval while it is idle, at once again while a backlog remains, and after a back-off when the
 * remote failed. One round per target at a time in this process, and one process per target on a
 * shared MongoDB through the outbox's lease.
 */
export class PushScheduler {
  private readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly timings: PushTimings;
  private readonly targets = new Map<string, TargetRuntime>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly dependencies: PushSchedulerDependencies) {
    this.timings = dependencies.timings ?? DEFAULT_PUSH_TIMINGS;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.timings.tickMs);
    this.timer.unref();
    this.tick();
  }

  /** Aborts the requests in flight and waits for the rounds to end; the cursors stay where the remote acknowledged. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.abort.abort();
    const running = [...this.targets.values()].flatMap((runtime) => runtime.running ?? []);
    await Promise.allSettled(running);
    for (const { key } of configuredTargets(this.dependencies.config())) await this.dependencies.outbox.release(key, this.holder).catch(() => undefined);
  }

  /** A wait that a stop cuts short, so a round polling a pending status does not hold the shutdown. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  private tick(): void {
    if (this.stopping) return;
    const now = Date.now();
    for (const { key, target } of configuredTargets(this.dependencies.config())) {
      const id = pushTargetId(key);
      let runtime = this.targets.get(id);
      if (!runtime) {
        runtime = { nextDueAt: now, byteCap: {} };
        this.targets.set(id, runtime);
      }
      if (runtime.running || now < runtime.nextDueAt) continue;
      const current = runtime;
      current.running = this.run(key, target, current).finally(() => {
        current.running = undefined;
      });
    }
  }

  private async run(key: PushTargetKey, target: PushTarget, runtime: TargetRuntime): Promise<void> {
    const interval = target.intervalSeconds * 1000;
    const { outbox } = this.dependencies;
    try {
      if (!(await outbox.claim(key, this.holder, this.timings.leaseMs))) {
        // Another server pushes to this target; look again later in case it stops.
        runtime.nextDueAt = Date.now() + interval;
        return;
      }
      const authorization = await authorizationFor(target.credentials, this.dependencies.environment);
      const remote = new PushRemote(target.collectionUrl, {
        ...(authorization !== undefined && { authorization }),
        timeoutMs: this.timings.requestTimeoutMs,
        signal: this.abort.signal,
      });
      const outcome = await pushRound(
        {
          key,
          objects: this.dependencies.objects,
          outbox,
          audit: this.dependencies.audit,
          remote,
          settings: this.timings.round,
          byteCap: runtime.byteCap,
          stillHolder: () => outbox.claim(key, this.holder, this.timings.leaseMs),
          stopped: () => this.stopping,
          sleep: (ms) => this.sleep(ms),
        },
        await remote.maxContentLength(),
      );
      runtime.nextDueAt = Date.now() + (outcome.more ? 0 : interval);
    } catch (error) {
      if (this.stopping) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      const at = new Date();
      await outbox.recordError(key, failure.message, at).catch(() => undefined);
      const streak = (await outbox.state(key).catch(() => undefined))?.consecutiveErrors ?? 1;
      const retryAfter = error instanceof RemoteError ? error.retryAfterMs : undefined;
      runtime.nextDueAt = Date.now() + retryDelayMs(streak, { ...this.timings.backoff, retries: Number.POSITIVE_INFINITY }, retryAfter);
      this.dependencies.onError?.(key, failure);
    }
  }
}
