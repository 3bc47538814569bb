import { createRuntime } from '../../server/bootstrap';
import { testAlliance } from '../support/alliance';
import { describeEachEngine } from '../support/storage';

describeEachEngine('start-up', (open) => {
  it('prepares a store that is already prepared (a restart) and serves from it', async () => {
    const storage = await open('restart');
    try {
      await createRuntime(storage, testAlliance());
      const runtime = await createRuntime(storage, testAlliance());
      await expect(runtime.checkDatabase()).resolves.toBeUndefined();
      expect(await storage.objects.latestDateAdded(testAlliance().collections.map((collection) => collection.id))).toBe(0);
    } finally {
      await storage.close();
    }
  });
});
