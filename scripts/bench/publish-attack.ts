import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { PROJECT_ROOT } from '../../server/config/settings';
import { waitForExit } from '../ferretdb/ferretdb-process';
import { freePort, positive } from './bench-helpers';

/**
 * `npx tsx scripts/bench/publish-attack.ts`: end-to-end objects/s of `npm run publish` on the ATT&CK
 * bundles in fixtures/real/attack, each run against a fresh demo server (`server/main.ts --demo`,
 * embedded SQLite in a temporary DATA_DIR) on this machine, then a re-run of the same input (all
 * duplicates). Wall time includes the command's start-up (tsx), the count pass and the status waits.
 * `--scaled <copies>` adds a bundle of that many copies of both, each with fresh ids, to show the
 * rate and the command's memory on an input the size of ATT&CK Enterprise and beyond.
 */

const ATTACK = join(PROJECT_ROOT, 'fixtures', 'real', 'attack');
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const USER = 'analyst@europol';
const PASSWORD = 'demo-europol-2026';
const COLLECTION = 'alliance-indicators';
// GNU time reports the command's peak RSS; without it the column stays empty.
const GNU_TIME = '/usr/bin/time';

interface Options {
  runs: number;
  scaled?: number;
  concurrency: number;
  maxObjects: number;
}

interface Run {
  objects: number;
  seconds: number;
  commandRate: number;
  peakRssMiB?: number;
  exitCode: number | null;
}



async function startDemoServer(): Promise<{ child: ChildProcess; url: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taxii-publish-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts'), '--demo'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), MONGODB_URI: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/taxii2/`;
  const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt += 1) {
    const answer = await fetch(url, { headers: { Accept: 'application/taxii+json;version=2.1', Authorization: authorization } }).catch(() => undefined);
    if (answer?.status === 200) return { child, url, dataDir };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const exited = child.exitCode;
  // The caller never gets this server, so its data directory is removed here.
  await stopDemoServer({ child, dataDir });
  throw new Error(exited !== null ? `the demo server exited with code ${exited}` : 'the demo server did not answer within 120 s');
}

async function stopDemoServer(server: { child: ChildProcess; dataDir: string }): Promise<void> {
  server.child.kill('SIGTERM');
  if (!(await waitForExit(server.child, 30_000))) {
    server.child.kill('SIGKILL');
    await waitForExit(server.child, 5000);
  }
  await rm(server.dataDir, { recursive: true, force: true });
}

function publish(input: string, url: string, options: Options): Promise<Run> {
  const args = [input, '--collection', COLLECTION, '--url', url, '--user', USER, '--password-stdin', '--progress', 'none',
    '--concurrency', String(options.concurrency), '--max-objects', String(options.maxObjects)];
  const timed = existsSync(GNU_TIME);
  const started = process.hrtime.bigint();
  const child = timed ? spawn(GNU_TIME, ['-f', 'peak_rss_kb=%M', TSX, join(PROJECT_ROOT, 'scripts', 'publish.ts'), ...args], { cwd: PROJECT_ROOT })
    : spawn(TSX, [join(PROJECT_ROOT, 'scripts', 'publish.ts'), ...args], { cwd: PROJECT_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(PASSWORD);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const objects = Number(/^total: +(\d+)$/m.exec(stdout)?.[1] ?? NaN);
      const success = Number(/^success: +(\d+)$/m.exec(stdout)?.[1] ?? NaN);
      if (code !== 0 || success !== objects) reject(new Error(`publish of ${input} ended with code ${code}:\n${stdout}\n${stderr}`));
      const rss = /peak_rss_kb=(\d+)/.exec(stderr)?.[1];
      resolve({
        objects,
        seconds,
        commandRate: Number(/ (\d+) objects\/s$/m.exec(stdout)?.[1] ?? NaN),
        ...(rss !== undefined && { peakRssMiB: Math.round(Number(rss) / 1024) }),
        exitCode: code,
      });
    });
  });
}

const UUID = /--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;

/** One bundle of `copies` copies of the ATT&CK objects; each copy maps every id (and so every ref) to a fresh one. */
async function scaledBundle(files: string[], copies: number, path: string): Promise<void> {
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  const out = createWriteStream(path);
  const write = (text: string) => new Promise<void>((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
  await write(`{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
  let first = true;
  for (let copy = 0; copy < copies; copy += 1) {
    for (const text of texts) {
      const fresh = new Map<string, string>();
      const renamed = text.replace(UUID, (_match, uuid: string) => {
        let replacement = fresh.get(uuid);
        if (!replacement) fresh.set(uuid, (replacement = randomUUID()));
        return `--${replacement}`;
      });
      for (const object of (JSON.parse(renamed) as { objects: unknown[] }).objects) {
        await write(`${first ? '' : ','}\n${JSON.stringify(object)}`);
        first = false;
      }
    }
  }
  await write(']}\n');
  await new Promise<void>((resolve) => out.end(resolve));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

async function main(): Promise<void> {
  const options = new Command('publish-attack')
    .option('--runs <n>', 'fresh servers per input; the table gives the median', positive, 3)
    .option('--concurrency <n>', 'passed to the publish command', positive, 2)
    .option('--max-objects <n>', 'passed to the publish command', positive, 1000)
    .option('--scaled <copies>', 'also publish one bundle of this many copies of both bundles, with fresh ids', positive)
    .parse(process.argv)
    .opts<Options>();
  const files = (await readdir(ATTACK)).filter((name) => name.endsWith('.json')).sort().map((name) => join(ATTACK, name));
  const inputs = [...files, ATTACK];
  const scratch = mkdtempSync(join(tmpdir(), 'taxii-publish-bench-input-'));
  if (options.scaled !== undefined) {
    const scaled = join(scratch, `attack-x${options.scaled}.json`);
    await scaledBundle(files, options.scaled, scaled);
    inputs.push(scaled);
  }
  const rows: string[] = [];
  try {
    for (const input of inputs) {
      const name = input === ATTACK ? 'fixtures/real/attack/ (both)'
        : input.startsWith(scratch) ? `both bundles × ${options.scaled ?? 0}, fresh ids (one bundle)` : input.slice(PROJECT_ROOT.length + 1);
      const megabytes = input === ATTACK
        ? (await Promise.all(files.map((path) => stat(path)))).reduce((sum, info) => sum + info.size, 0) / 1e6
        : (await stat(input)).size / 1e6;
      const fresh: Run[] = [];
      const again: Run[] = [];
      for (let run = 0; run < options.runs; run += 1) {
        const server = await startDemoServer();
        try {
          fresh.push(await publish(input, server.url, options));
          again.push(await publish(input, server.url, options));
        } finally {
          await stopDemoServer(server);
        }
      }
      const objects = fresh[0]?.objects ?? 0;
      const wall = median(fresh.map((run) => run.seconds));
      const rss = fresh.flatMap((run) => (run.peakRssMiB === undefined ? [] : [run.peakRssMiB]));
      rows.push(`| ${name} | ${objects} | ${megabytes.toFixed(1)} MB | ${wall.toFixed(2)} s | ${Math.round(objects / wall)} | ${Math.round(median(fresh.map((run) => run.commandRate)))} | ${Math.round(objects / median(again.map((run) => run.seconds)))} | ${rss.length > 0 ? `${Math.max(...rss)} MiB` : '-'} |`);
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  process.stdout.write([
    `npm run publish, --concurrency ${options.concurrency} --max-objects ${options.maxObjects}, median of ${options.runs} fresh demo servers each`,
    '',
    '| input | objects | size | wall time | objects/s, end to end | objects/s, command\'s own figure | objects/s, re-run (duplicates) | publish peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
