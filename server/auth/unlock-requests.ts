import type { AuditLog, AuditRecord } from '../storage/audit-log';
import type { LockoutKind, LoginLockout } from './login-lockout';

export interface UnlockRequest {
  kind: LockoutKind;
  /** The username, or the client address as the server sees it. */
  key: string;
}

export interface UnlockActor {
  username: string;
  organisation: string;
}

/**
 * Locks live in each server process's memory (server/auth/login-lockout.ts), so an operator's
 * unlock travels through the audit trail: the `auth.unlock` record is the request and its audit at
 * once, and every process, on SQLite or on any number of MongoDB hosts, applies it at its next poll.
 */
export async function requestUnlock(audit: AuditLog, request: UnlockRequest, actor: UnlockActor, at = new Date()): Promise<void> {
  await audit.record({ at, action: 'auth.unlock', username: actor.username, organisation: actor.organisation, details: { kind: request.kind, key: request.key } });
}

function unlockRequestOf(record: AuditRecord): UnlockRequest | undefined {
  const kind = record.details?.kind;
  const key = record.details?.key;
  return (kind === 'user' || kind === 'ip') && typeof key === 'string' ? { kind, key } : undefined;
}

export interface UnlockWatchOptions {
  intervalMs: number;
  /** Records are read this far back past the last poll, so one written with a slightly late clock or committed late is not missed. */
  overlapMs?: number;
  onUnlock?: (request: UnlockRequest, lifted: boolean) => void;
  onError?: (error: unknown) => void;
  now?: () => number;
}

export interface UnlockWatch {
  /** One poll; the timer calls it, tests call it directly. */
  poll(): Promise<void>;
  stop(): void;
}

const DEFAULT_OVERLAP_MS = 30_000;
const MAX_RECORDS_PER_POLL = 1000;

/** Applies the `auth.unlock` records written since this process started to its lockout. */
export function watchUnlockRequests(audit: AuditLog, lockout: LoginLockout, options: UnlockWatchOptions): UnlockWatch {
  const now = options.now ?? Date.now;
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  // A lock cannot be older than this process, so older requests have nothing to lift.
  const watchedSince = now();
  let polledAt = watchedSince;
  // Records read again because of the overlap are applied once only: a second application could
  // lift a lock that started after the operator's request.
  const applied = new Map<string, number>();

  async function poll(): Promise<void> {
    const startedAt = now();
    const since = Math.max(polledAt - overlapMs, watchedSince);
    const records = await audit.query({ actions: ['auth.unlock'], since: new Date(since), limit: MAX_RECORDS_PER_POLL });
    polledAt = startedAt;
    for (const [seen, at] of applied) if (at < since) applied.delete(seen);
    // The query answers newest first; apply in the order the operator asked.
    for (const record of records.reverse()) {
      const request = unlockRequestOf(record);
      const identity = `${record.at.getTime()}\u0000${record.username ?? ''}\u0000${request?.kind ?? ''}\u0000${request?.key ?? ''}`;
      if (!request || applied.has(identity)) continue;
      applied.set(identity, record.at.getTime());
      // Not inside `onUnlock?.(…)`: an absent listener would skip evaluating its arguments, the unlock included.
      const lifted = lockout.unlock(request.kind, request.key);
      options.onUnlock?.(request, lifted);
    }
  }

  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    poll().catch((error: unknown) => options.onError?.(error)).finally(() => {
      running = false;
    });
  }, options.intervalMs);
  timer.unref();
  return { poll, stop: () => clearInterval(timer) };
}
