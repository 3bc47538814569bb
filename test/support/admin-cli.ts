import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The project's tsx, as `npx tsx` would find it, without npx's start-up time and notices on stderr.
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const ADMIN = join(PROJECT_ROOT, 'scripts', 'admin.ts');

/**
 * Runs `npm run admin -- <args>` as a child process against one test store (see test/support/storage.ts).
 * `env` adds to (or, with CONFIG_DIR, points away from) the shipped collections/.
 */
export function runAdminCli(store: { childEnv: Record<string, string> }, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...store.childEnv, LOG_LEVEL: 'warn' };
  delete env.CONFIG_DIR;
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [ADMIN, ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
