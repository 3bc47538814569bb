import { runScript, type CliRun } from './cli-process';

/**
 * Runs `npm run publish -- <args>` as a child process, as a partner SOC would: its stdout and
 * stderr are pipes, not a terminal, so progress comes as plain lines.
 */
export function runPublishCli(args: string[], options: { stdin?: string } = {}): Promise<CliRun> {
  return runScript('publish.ts', args, { ...process.env }, options.stdin);
}
