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

/** Runs one of scripts/ as a child process with pipes (not a terminal), feeding `stdin` and collecting both outputs. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(PROJECT_ROOT, 'scripts', script), ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
