/**
 * Lets at most `limit` tasks run at once and at most `maxWaiting` wait; beyond that `run` refuses
 * at once with `GateFull`. Password checks go through one gate, so a flood of scrypt work queues
 * behind a fixed number of threads instead of taking every core and 32 MiB per attempt, and a
 * burst longer than the queue is turned away instead of held in memory (docs/security.md).
 */
export class GateFull extends Error {
  constructor() {
    super('too many password checks are waiting');
    this.name = 'GateFull';
  }
}

export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw new GateFull();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so `running` never drops below the queue's need.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
