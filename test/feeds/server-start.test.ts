import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';

function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', MONGODB_URI: '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('server start with feeds', () => {
  it('refuses to start when a feed\'s secret is not in the environment, naming the feed and the variable', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'taxii-feed-start-config-'));
    const dataDir = await mkdtemp(join(tmpdir(), 'taxii-feed-start-data-'));
    try {
      await cp(join(PROJECT_ROOT, 'test/config/fixtures/good'), configDir, { recursive: true });
      const file = join(configDir, 'de-bka.yaml');
      const feeds = ['    feeds:', '      - id: partner-b', '        url: https://taxii.partner-b.example/api/collections/abc/', '        auth: { type: bearer, token_env: PARTNER_B_TOKEN_UNSET }'];
      await writeFile(file, `${await readFile(file, 'utf8')}${feeds.join('\n')}\n`);
      const run = await runServer({ CONFIG_DIR: configDir, DATA_DIR: dataDir, PARTNER_B_TOKEN_UNSET: '' });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe('feed partner-b: the environment variable PARTNER_B_TOKEN_UNSET named by its auth is not set');
    } finally {
      await rm(configDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
