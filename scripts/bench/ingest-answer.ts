/**
 * `npx tsx scripts/bench/ingest-answer.ts [--repeat N]`: how long a POST takes to be answered, and
 * how long its envelope takes to be stored, for envelopes of 100, 1,000 and 10,000 objects, on the
 * embedded SQLite default (`npm start`'s demo server on a throw-away DATA_DIR). Run by hand; the
 * figures go in the README. The answer time must stay flat as the envelope grows (asynchronous
 * ingest, TAXII 2.1 §5.5); the stored rate is what the worker achieves end to end.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import { closeHttpAgent, httpCall } from './http-client';

const COLLECTION = 'e0073b23-5f9d-40cc-81d4-aa6b6a9693dd'; // alliance-indicators in the demo alliance
const HEADERS = {
  Authorization: `Basic ${Buffer.from('analyst@europol:demo-europol-2026').toString('base64')}`,
  Accept: 'application/taxii+json;version=2.1',
  'Content-Type': 'application/taxii+json;version=2.1',
};

function indicators(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `C2 address ${index}`,
    description: 'Command-and-control server seen in the alliance botnet takedown, shared for blocking.',
    pattern: `[ipv4-addr:value = '198.51.${Math.floor(index / 256) % 256}.${index % 256}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    labels: ['malicious-activity'],
  }));
}

async function startServer(dataDir: string): Promise<{ origin: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts'), '--demo'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', MONGODB_URI: '' },
    // stdout is the JSON log; the discovery line is written for a person, on stderr (server/main.ts).
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /discovery: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1] ?? 3) || 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'taxii-bench-answer-'));
  const server = await startServer(dataDir);
  try {
    console.log('envelope  answer ms (median)  answered as  stored in ms (median)  stored objects/s');
    for (const size of [100, 1_000, 10_000]) {
      const answers: number[] = [];
      const stored: number[] = [];
      const states: string[] = [];
      for (let run = 0; run < repeat; run += 1) {
        const body = JSON.stringify({ objects: indicators(size) });
        const started = performance.now();
        const answer = await httpCall('POST', `${server.origin}/alliance/collections/${COLLECTION}/objects/`, HEADERS, body);
        answers.push(performance.now() - started);
        const status = JSON.parse(answer.body.toString()) as { id: string; status: string };
        states.push(status.status);
        for (;;) {
          const current = JSON.parse((await httpCall('GET', `${server.origin}/alliance/status/${status.id}/`, HEADERS)).body.toString()) as { status: string; success_count: number };
          if (current.status === 'complete') {
            if (current.success_count !== size) throw new Error(`expected ${size} successes, got ${current.success_count}`);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        stored.push(performance.now() - started);
      }
      const storedMs = median(stored);
      console.log(`${String(size).padStart(8)}  ${median(answers).toFixed(0).padStart(18)}  ${[...new Set(states)].join('/').padStart(11)}  ${storedMs.toFixed(0).padStart(20)}  ${Math.round(size / (storedMs / 1000)).toString().padStart(16)}`);
    }
  } finally {
    server.stop();
    closeHttpAgent();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
