import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import type { CliRun } from './admin-cli';

const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const PUBLISH = join(PROJECT_ROOT, 'scripts', 'publish.ts');

/**
 * Runs `npm run publish -- <args>` as a child process, as a partner SOC would: its stdout and
 * stderr are pipes, not a terminal, so progress comes as plain lines.
 */
export function runPublishCli(args: string[], options: { stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [PUBLISH, ...args], { cwd: PROJECT_ROOT, env: { ...process.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
