import type { Storage } from './storage';

/** Told of each finished database operation: repository and method of the Storage interface, and how long it took. */
export type OperationObserver = (repository: string, operation: string, seconds: number) => void;

/** Wraps each method of `repository`: a call that returns a promise is timed until it settles, whatever the outcome. */
function timedRepository<T extends object>(name: string, repository: T, observe: OperationObserver): T {
  return new Proxy(repository, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        const result: unknown = Reflect.apply(value, target, args);
        if (!(result instanceof Promise)) return result;
        return result.finally(() => observe(name, property, (performance.now() - started) / 1000));
      };
    },
  });
}

/**
 * The same store with every database operation timed, for the metrics (docs/architecture.md: a
 * decorator at the composition root, so no engine carries timing code of its own).
 */
export function timedStorage(storage: Storage, observe: OperationObserver): Storage {
  // `writeTurns` stays as it is: a turn lasts as long as the caller's own work inside it. `transfer` serves the admin CLI only.
  return {
    ...storage,
    objects: timedRepository('objects', storage.objects, observe),
    statuses: timedRepository('statuses', storage.statuses, observe),
    audit: timedRepository('audit', storage.audit, observe),
    credentials: timedRepository('credentials', storage.credentials, observe),
    provenance: timedRepository('provenance', storage.provenance, observe),
    configStore: timedRepository('configStore', storage.configStore, observe),
    ingestQueue: timedRepository('ingestQueue', storage.ingestQueue, observe),
    ping: timedRepository('storage', { ping: () => storage.ping() }, observe).ping,
  };
}
