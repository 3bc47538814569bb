import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../server/config/settings';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';

const run = promisify(execFile);
const PASSWORD = 'build test password 2026';

/** `node <out>/<script>` with the given environment and stdin, as the container runs the admin CLI. */
function runBuilt(script: string, args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

// `npm run build` as the README's Production section runs it, into a directory of its own inside the
// package (so the package root is found above it, as from dist/), then the built server and admin CLI.
describe('npm run build: a build that runs without tsx', () => {
  let outDir: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    outDir = await mkdtemp(join(PROJECT_ROOT, '.build-test-'));
    dataDir = await mkdtemp(join(tmpdir(), 'taxii-build-test-'));
    await run('npm', ['run', 'build', '--', '--outDir', outDir], { cwd: PROJECT_ROOT });
    // The demo alliance's files, the server's defaults; no MONGODB_URI: the embedded SQLite engine.
    env = { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', MONGODB_URI: '' };
  }, 240_000);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('emits the server and the operator tools, not the tests or the benchmarks', () => {
    for (const built of ['server/main.js', 'scripts/admin.js', 'scripts/publish.js']) expect(existsSync(join(outDir, built))).toBe(true);
    for (const left of ['test', 'scripts/bench', 'scripts/stix-crosscheck.js', 'scripts/ferretdb']) expect(existsSync(join(outDir, left))).toBe(false);
  });

  it('runs the built admin CLI: --help, then a user for the server to accept', async () => {
    const help = await runBuilt(join(outDir, 'scripts', 'admin.js'), ['--help'], env);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('manage the people and machines that log in') });
    const added = await runBuilt(join(outDir, 'scripts', 'admin.js'), ['user', 'add', 'ops@europol', '--org', 'europol', '--password-stdin'], env, `${PASSWORD}\n`);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
  });

  it('starts node <out>/server/main.js on the embedded engine: discovery answers 200, the health check passes, stdout holds JSON lines only', async () => {
    const server = spawn(process.execPath, [join(outDir, 'server', 'main.js')], { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    server.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        server.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const found = /discovery: http:\/\/127\.0\.0\.1:(\d+)\/taxii2\//.exec(stderr)?.[1];
          if (found) resolve(found);
        });
        server.once('exit', (code) => reject(new Error(`the built server exited with ${code}: ${stderr}`)));
      });
      const authorization = `Basic ${Buffer.from(`ops@europol:${PASSWORD}`).toString('base64')}`;
      const answer = await fetch(`http://127.0.0.1:${port}/taxii2/`, { headers: { Accept: TAXII_MEDIA_TYPE, Authorization: authorization } });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ title: expect.any(String), api_roots: expect.any(Array) });
      // No demo data without --demo: no demo users were printed.
      expect(stderr).not.toContain('Demo users');
      // The image's HEALTHCHECK command, against the running server.
      const health = await runBuilt(join(PROJECT_ROOT, 'deploy', 'healthcheck.js'), [], { ...env, PORT: port });
      expect(health.code).toBe(0);
    } finally {
      server.kill('SIGTERM');
      expect(await waitForExit(server)).toBe(0);
    }
    const unhealthy = await runBuilt(join(PROJECT_ROOT, 'deploy', 'healthcheck.js'), [], { ...env, PORT: '1' });
    expect(unhealthy.code).toBe(1);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.map((line) => (JSON.parse(line) as { msg?: string }).msg)).toEqual(expect.arrayContaining(['listening', 'request completed']));
  });
});
