import { ConcurrencyGate, GateFull } from '../../server/auth/concurrency-gate';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('ConcurrencyGate', () => {
  it('runs at most `limit` tasks at once, queues the next ones in order and refuses beyond the queue', async () => {
    const gate = new ConcurrencyGate(2, 2);
    let running = 0;
    let highest = 0;
    const order: number[] = [];
    const releases = Array.from({ length: 4 }, () => deferred());
    const tasks = releases.map((release, index) => gate.run(async () => {
      running += 1;
      highest = Math.max(highest, running);
      order.push(index);
      await release.promise;
      running -= 1;
      return index;
    }));
    await expect(gate.run(async () => 'too many')).rejects.toBeInstanceOf(GateFull);
    for (const release of releases) release.resolve();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(highest).toBe(2);
    expect(order).toEqual([0, 1, 2, 3]);
    // Everything has drained: the gate takes work again.
    expect(await gate.run(async () => 'again')).toBe('again');
  });

  it('frees its slot when a task throws', async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
