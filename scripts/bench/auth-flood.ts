import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, InvalidArgumentError } from 'commander';
import { PROJECT_ROOT } from '../../server/config/settings';
import { freePort } from './bench-helpers';

/**
 * `npx tsx scripts/bench/auth-flood.ts`: does a flood of wrong Basic passwords slow down a good
 * client (docs/security.md, "Password guessing and scrypt floods")? A demo server
 * (`server/main.ts --demo`, embedded SQLite in a temporary DATA_DIR) is started; one client polls a
 * collection with Basic credentials, one request after the other, first alone, then while an
 * attacker sends wrong passwords at a fixed rate for several usernames. All traffic comes from
 * 127.0.0.1 (the server does not trust X-Forwarded-For), so the attacker is one address. The whole
 * is done twice: with the default lockout, and with the lockout thresholds out of reach, so that
 * only the bound on concurrent scrypt checks (AUTH_PASSWORD_CHECKS) protects the good client.
 */

const GOOD_USER = 'analyst@europol';
const GOOD_PASSWORD = 'demo-europol-2026';
const POLL_PATH = '/alliance/collections/alliance-indicators/objects/?limit=50';
// Real demo accounts and names that do not exist: both must cost the attacker the same.
const ATTACKED_USERS = ['analyst@de-bka', 'analyst@gb-nca', 'admin@europol', 'analyst@fr-ofac', 'root', 'admin', 'test@europol', 'analyst@nl-police'];
const ACCEPT = 'application/taxii+json;version=2.1';
const MAX_ATTACKS_IN_FLIGHT = 2000;
const TICK_MS = 5;
const ATTACKER_READY = 'ready\n';

/** `health`: the same rate of requests that need no authentication, the cost of the traffic alone, as a control. */
type FloodMode = 'wrong-passwords' | 'health';

interface Options {
  seconds: number;
  rate: number;
}

interface Server {
  child: ChildProcess;
  port: number;
  dataDir: string;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}


function get(agent: Agent, port: number, path: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path, headers: { Accept: ACCEPT, Authorization: authorization } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taxii-auth-flood-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts'), '--demo'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port), MONGODB_URI: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const probe = new Agent({ keepAlive: false });
  for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt += 1) {
    const status = await get(probe, port, '/taxii2/', basic(GOOD_USER, GOOD_PASSWORD)).catch(() => 0);
    if (status === 200) return { child, port, dataDir };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopServer({ child, port, dataDir });
  throw new Error('the demo server did not answer within 120 s');
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
  await rm(server.dataDir, { recursive: true, force: true });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

/** The good client: one request after the other for `seconds`, on a connection of its own. */
async function poll(port: number, seconds: number): Promise<Latencies> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const started = performance.now();
    const status = await get(agent, port, POLL_PATH, basic(GOOD_USER, GOOD_PASSWORD)).catch(() => 0);
    if (status === 200) times.push(performance.now() - started);
    else errors += 1;
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { count: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) ?? Number.NaN, errors };
}

/**
 * The attacker, in a process of its own so that its work does not delay the good client's
 * measurement in this one: `rate` wrong passwords a second, open loop (it does not wait for
 * answers), until SIGTERM; then it prints the count of each status as JSON.
 */
async function startFlood(port: number, rate: number, mode: FloodMode): Promise<{ stop: () => Promise<Map<number, number>> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--attacker', String(port), String(rate), mode], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  // The process start-up (tsx compiling this file) takes a core for a moment: it must not count as the attack's effect.
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.startsWith(ATTACKER_READY)) {
        output = output.slice(ATTACKER_READY.length);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error('the attacker process exited before it was ready')));
  });
  child.stdin?.end('go\n');
  return {
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      const counts = JSON.parse(output || '{}') as Record<string, number>;
      return new Map(Object.entries(counts).map(([status, count]) => [Number(status), count]));
    },
  };
}

function attack(port: number, rate: number, mode: FloodMode): void {
  process.stdout.write(ATTACKER_READY);
  process.stdin.resume();
  process.stdin.once('data', () => startAttack(port, rate, mode));
}

function startAttack(port: number, rate: number, mode: FloodMode): void {
  const run = flood(port, rate, mode);
  process.once('SIGTERM', () => {
    void run.stop().then((statuses) => {
      process.stdout.write(JSON.stringify(Object.fromEntries(statuses)));
      process.exit(0);
    });
  });
}

function flood(port: number, rate: number, mode: FloodMode): { stop: () => Promise<Map<number, number>> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const statuses = new Map<number, number>();
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  let skipped = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent += 1) {
      if (pending.size >= MAX_ATTACKS_IN_FLIGHT) {
        skipped += 1;
        continue;
      }
      const username = ATTACKED_USERS[sent % ATTACKED_USERS.length] ?? 'root';
      const call: Promise<number> = mode === 'wrong-passwords'
        ? get(agent, port, POLL_PATH, basic(username, randomBytes(9).toString('base64url')))
        : get(agent, port, '/health', '');
      const attempt = call
        .then((status) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }, () => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        })
        .finally(() => pending.delete(attempt));
      pending.add(attempt);
    }
  }, TICK_MS);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
      if (skipped > 0) statuses.set(-1, skipped);
      return statuses;
    },
  };
}

function describeLatencies(label: string, latencies: Latencies): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return `${label.padEnd(34)} ${String(latencies.count).padStart(6)} requests  p50 ${ms(latencies.p50).padStart(9)}  p99 ${ms(latencies.p99).padStart(9)}  max ${ms(latencies.max).padStart(9)}  errors ${latencies.errors}`;
}

function describeStatuses(statuses: Map<number, number>): string {
  const names: Record<number, string> = { [-1]: 'not sent (too many in flight)', 0: 'connection error' };
  return [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${count} × ${names[status] ?? status}`).join(', ');
}

async function scenario(title: string, env: Record<string, string>, options: Options, mode: FloodMode = 'wrong-passwords'): Promise<void> {
  console.log(`\n${title}`);
  const server = await startServer(env);
  try {
    // The first request pays one scrypt; later ones find the verified credentials in the cache.
    await poll(server.port, 1);
    const alone = await poll(server.port, options.seconds);
    console.log(describeLatencies('good client alone', alone));
    const attacker = await startFlood(server.port, options.rate, mode);
    const underAttack = await poll(server.port, options.seconds);
    const statuses = await attacker.stop();
    console.log(describeLatencies(`good client, ${options.rate} ${mode === 'health' ? 'GET /health' : 'bad logins'}/s`, underAttack));
    console.log(`${'attacker answers'.padEnd(34)} ${describeStatuses(statuses)}`);
    console.log(`${'p99 under attack / p99 alone'.padEnd(34)} ${(underAttack.p99 / alone.p99).toFixed(2)}×`);
  } finally {
    await stopServer(server);
  }
}

function positive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number');
  return number;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--attacker') return attack(Number(process.argv[3]), Number(process.argv[4]), process.argv[5] === 'health' ? 'health' : 'wrong-passwords');
  const program = new Command('auth-flood')
    .description('latency of a good Basic client, alone and during a flood of wrong passwords')
    .option('--seconds <n>', 'length of each measurement', positive, 20)
    .option('--rate <n>', 'wrong passwords per second', positive, 200)
    .parse();
  const options = program.opts<Options>();
  await scenario('Control: the same rate of GET /health, no authentication at all', {}, options, 'health');
  await scenario('Default lockout (AUTH_LOCKOUT_* defaults), AUTH_PASSWORD_CHECKS=1', {}, options);
  await scenario('Lockout out of reach: only the scrypt gate (AUTH_PASSWORD_CHECKS=1, AUTH_PASSWORD_QUEUE=32)', {
    AUTH_LOCKOUT_USER_FAILURES: '1000000000',
    AUTH_LOCKOUT_IP_FAILURES: '1000000000',
  }, options);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
