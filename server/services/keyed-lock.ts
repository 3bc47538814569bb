/**
 * Runs tasks with the same key one after another. Ingest into one collection takes `date_added`
 * values and commits under this lock, so commit order equals `date_added` order and a poller's
 * cursor can never pass a version that is still being written. Other collections go in parallel.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
