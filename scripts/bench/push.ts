/**
 * Downstream push throughput, run by hand: `npx tsx scripts/bench/push.ts [--objects N] [--max-bytes B]`.
 * Two servers in this process, each on its own throw-away SQLite DATA_DIR: the origin holds N
 * indicators in one collection with a `push:` target, the remote is this server's own app on a
 * loopback port (so the figure includes the remote validating and storing every object, as a real
 * peer does). Reports how long the origin takes to bring its cursor to its newest version.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { createApp } from '../../server/app';
import { hashPassword } from '../../server/auth/credentials';
import { createRuntime } from '../../server/bootstrap';
import type { AllianceConfig, CollectionConfig } from '../../server/config/types';
import { silentLogger } from '../../server/logging';
import { addObjects } from '../../server/services/add-objects';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';

const COLLECTION = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const PASSWORD = 'push bench loopback password';

function alliance(maxContentLength: number, push?: CollectionConfig['push']): AllianceConfig {
  return {
    server: { title: 'push bench' },
    apiRoots: [{ path: 'bench', title: 'bench', maxContentLength, strictTypes: false }],
    organisations: [{ id: 'bench', name: 'bench', kind: 'agency' }],
    collections: [{
      id: COLLECTION, title: 'bench', owner: 'bench', apiRoot: 'bench', mediaTypes: ['application/stix+json;version=2.1'],
      unmarked: 'allow', foreignVersions: 'refuse', grants: [], ...(push && { push }),
    }],
  };
}

function indicator(index: number): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-03-01T10:00:00.000Z', modified: '2026-03-01T10:00:00.000Z',
    name: `bench indicator ${index}`, pattern: `[ipv4-addr:value = '10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}']`,
    pattern_type: 'stix', valid_from: '2026-03-01T10:00:00Z',
  };
}

async function main(): Promise<void> {
  const options = new Command('push-bench')
    .option('--objects <n>', 'indicators to push', '20000')
    .option('--max-bytes <n>', 'the remote API root\'s max_content_length', String(10 * 1024 * 1024))
    .parse()
    .opts<{ objects: string; maxBytes: string }>();
  const count = Number(options.objects);
  const maxBytes = Number(options.maxBytes);
  const work = mkdtempSync(join(tmpdir(), 'taxii-push-bench-'));
  const remoteStorage = openSqliteStorage({ path: join(work, 'remote'), role: 'server' });
  const originStorage = openSqliteStorage({ path: join(work, 'origin'), role: 'server' });
  const remoteConfig = alliance(maxBytes);
  const remote = await createRuntime(remoteStorage, remoteConfig);
  remote.context.ingestAnswerWaitMs = Infinity;
  await remoteStorage.credentials.addUser({ username: 'pusher@bench', organisation: 'bench', role: 'member', passwordHash: await hashPassword(PASSWORD), disabled: false, createdAt: new Date() });
  const server = createServer(createApp({ context: remote.context, credentials: remoteStorage.credentials, logger: silentLogger(), checkDatabase: remote.checkDatabase }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const passwordFile = join(work, 'password');
  writeFileSync(passwordFile, PASSWORD);
  const collectionUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench/collections/${COLLECTION}/`;
  const originConfig = alliance(10 * 1024 * 1024, [{ collectionUrl, credentials: { kind: 'basic', username: 'pusher@bench', password: { file: passwordFile } }, intervalSeconds: 0.2 }]);
  // Filled before the pusher can see the target: the origin starts with no push configured.
  const origin = await createRuntime(originStorage, { ...originConfig, collections: originConfig.collections.map(({ push: _push, ...rest }) => rest) });
  const [root] = originConfig.apiRoots;
  const [collection] = originConfig.collections;
  if (!root || !collection) throw new Error('bench alliance is incomplete');
  const principal = { username: 'analyst@bench', organisation: 'bench', role: 'member' as const, authenticatedBy: { method: 'password' as const } };
  for (let start = 0; start < count; start += 1000) {
    const objects = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => indicator(start + offset));
    await addObjects(origin.context, { principal, root, collection }, { objects }, { waitMs: Infinity });
  }
  const newest = await originStorage.objects.latestDateAdded([COLLECTION]);
  const key = { collectionId: COLLECTION, remoteUrl: collectionUrl };
  const started = Date.now();
  origin.context.config = originConfig;
  let state = await originStorage.pushOutbox.state(key);
  while ((state?.cursor ?? 0) < newest) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    state = await originStorage.pushOutbox.state(key);
  }
  const seconds = (Date.now() - started) / 1000;
  const envelopes = (await originStorage.audit.query({ actions: ['objects.push'], limit: 1_000_000 })).length;
  process.stdout.write(`${count} objects pushed in ${seconds.toFixed(2)} s (${Math.round(count / seconds)} objects/s), ${envelopes} envelopes, remote max_content_length ${maxBytes}, sent ${state?.sentCount}, refused ${state?.refusedCount}\n`);
  await origin.stop();
  await remote.stop();
  server.close();
  await originStorage.close();
  await remoteStorage.close();
  rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
