import { runScript, type CliRun } from './cli-process';

export type { CliRun } from './cli-process';

/**
 * Runs `npm run admin -- <args>` as a child process against one test store (see test/support/storage.ts).
 * `env` adds to (or, with CONFIG_DIR, points away from) the shipped collections/.
 */
export function runAdminCli(store: { childEnv: Record<string, string> }, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...store.childEnv, LOG_LEVEL: 'warn' };
  delete env.CONFIG_DIR;
  Object.assign(env, options.env);
  return runScript('admin.ts', args, env, options.stdin);
}
