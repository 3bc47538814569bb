import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { createApp, type HttpPolicy } from '../../server/app';
import { issueToken } from '../../server/auth/credentials';
import { createRuntime, type Runtime } from '../../server/bootstrap';
import { ServerMetrics } from '../../server/http/metrics';
import { silentLogger } from '../../server/logging';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { Storage } from '../../server/storage/storage';
import { timedStorage } from '../../server/storage/timed-storage';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { closeHttpAgent, httpCall } from './http-client';
import { ObjectStream, benchIdentity } from './generate';
import { BENCH_API_ROOT, BENCH_COLLECTION_ID, benchAlliance, benchUsers } from './protocol';
import { positive } from './bench-helpers';

/**
 * `tsx scripts/bench/http-overhead.ts [--requests N] [--rounds R]`, by hand, never a test: what the
 * production HTTP layer (security headers, CORS, rate limit, request metrics, timed storage) costs
 * per request. Two servers in this process, each on a throw-away SQLite store holding the same 200
 * objects, answer the same sequential page requests (a Bearer token, `limit=50`); rounds alternate
 * which goes first, so drift on a busy machine falls on both. Prints median and p95 per request.
 */

interface Target {
  name: string;
  url: string;
  token: string;
  server: Server;
  runtime: Runtime;
  storage: Storage;
  dir: string;
}

async function start(name: string, hardened: boolean): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), `taxii-http-overhead-${name}-`));
  const opened = openSqliteStorage({ path: dir, role: 'server' });
  const metrics = hardened ? new ServerMetrics() : undefined;
  const storage = metrics ? timedStorage(opened, metrics.observeStorage) : opened;
  const runtime = await createRuntime(storage, benchAlliance());
  if (metrics) metrics.watchIngest(runtime.context, runtime.worker);
  const { publisher } = benchUsers(0);
  await storage.credentials.addUser({ ...publisher, role: 'member', passwordHash: 'bench:no-password', disabled: false, createdAt: new Date() });
  const issued = issueToken();
  await storage.credentials.addToken({ tokenId: issued.tokenId, username: publisher.username, secretHash: issued.secretHash, createdAt: new Date() });
  // A limit no sequential client reaches: the cost of counting is measured, never a refusal.
  const http: HttpPolicy | undefined = hardened ? { tls: false, corsOrigins: ['https://portal.example.org'], rateLimit: { defaultRequests: 1_000_000, windowSeconds: 1 } } : undefined;
  const context = { ...runtime.context, ingestAnswerWaitMs: Infinity };
  const app = createApp({ context, credentials: storage.credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase, http, metrics });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${BENCH_API_ROOT}/collections/${BENCH_COLLECTION_ID}/objects/`;
  const objects = [benchIdentity(), ...new ObjectStream('synthetic', 'http-overhead', '').batch(0, 199, 199)];
  const posted = await httpCall('POST', url, { Authorization: `Bearer ${issued.token}`, Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE }, JSON.stringify({ objects }));
  if (posted.status !== 202) throw new Error(`${name}: POST answered ${posted.status}: ${posted.body.toString()}`);
  return { name, url: `${url}?limit=50`, token: issued.token, server, runtime, storage, dir };
}

async function run(target: Target, requests: number): Promise<number[]> {
  const headers = { Authorization: `Bearer ${target.token}`, Accept: TAXII_MEDIA_TYPE };
  const times: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const started = performance.now();
    const response = await httpCall('GET', target.url, headers);
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${target.name}: GET answered ${response.status}`);
  }
  return times;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}


async function main(): Promise<void> {
  const options = new Command()
    .option('--requests <n>', 'page requests per server per round', positive, 1000)
    .option('--rounds <n>', 'rounds, alternating which server goes first', positive, 5)
    .parse()
    .opts<{ requests: number; rounds: number }>();
  const baseline = await start('baseline', false);
  const hardened = await start('hardened', true);
  const times = new Map<string, number[]>([[baseline.name, []], [hardened.name, []]]);
  try {
    // Warm-up: JIT and SQLite caches, untimed.
    await run(baseline, 200);
    await run(hardened, 200);
    for (let round = 0; round < options.rounds; round += 1) {
      const order = round % 2 === 0 ? [baseline, hardened] : [hardened, baseline];
      for (const target of order) times.get(target.name)?.push(...(await run(target, options.requests)));
    }
  } finally {
    closeHttpAgent();
    for (const target of [baseline, hardened]) {
      target.server.close();
      await target.runtime.stop();
      await target.storage.close();
      rmSync(target.dir, { recursive: true, force: true });
    }
  }
  const medians: number[] = [];
  for (const [name, all] of times) {
    const sorted = [...all].sort((a, b) => a - b);
    medians.push(quantile(sorted, 0.5));
    process.stdout.write(`${name.padEnd(9)} ${sorted.length} requests: median ${quantile(sorted, 0.5).toFixed(3)} ms, p95 ${quantile(sorted, 0.95).toFixed(3)} ms\n`);
  }
  const [base, hard] = medians;
  if (base !== undefined && hard !== undefined) process.stdout.write(`overhead of the production HTTP layer: ${(hard - base).toFixed(3)} ms per request at the median (${(((hard - base) / base) * 100).toFixed(1)} %)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
