import { createWriteStream, type WriteStream } from 'node:fs';
import type { Failure, PublishResult } from './publisher';
import type { PublishTarget } from './resolve-target';

/** Where failed objects go: listed on stdout after the run, or written as they come to a JSON-lines file. */
export interface FailureSink {
  add(failure: Failure): void;
  /** Lines to print before the summary (none when they went to a file). */
  finish(): Promise<string[]>;
}

export function consoleFailures(): FailureSink {
  const lines: string[] = [];
  return {
    add: (failure) => lines.push(`failed: ${failure.id}${failure.version ? ` (${failure.version})` : ''}: ${failure.message}`),
    finish: async () => lines,
  };
}

export function fileFailures(path: string): FailureSink {
  const stream: WriteStream = createWriteStream(path, { flags: 'w' });
  return {
    add: (failure) => stream.write(`${JSON.stringify(failure)}\n`),
    finish: () => new Promise((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve([]));
    }),
  };
}

function collectionName(target: PublishTarget): string {
  const { collection } = target;
  return `"${collection.title}" (${collection.id}${collection.alias ? `, alias ${collection.alias}` : ''})`;
}

/** The summary on stdout: the four counts on lines of their own, so that a script can read them. */
export function summaryLines(result: PublishResult, target: PublishTarget, settings: { maxObjects: number; maxBytes: number; failuresFile?: string }): string[] {
  const seconds = result.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(result.sent / seconds) : result.sent;
  const lines = [
    `Published to ${collectionName(target)} at ${target.apiRootUrl.href}`,
    `total:    ${result.read}`,
    `success:  ${result.success}`,
    `failure:  ${result.failure}`,
    `pending:  ${result.pending}`,
  ];
  if (result.notSent > 0) lines.push(`not sent: ${result.notSent}`);
  lines.push(`${result.envelopes} envelopes of at most ${settings.maxObjects} objects and ${settings.maxBytes} bytes; ${seconds.toFixed(1)} s, ${rate} objects/s`);
  if (result.notes.size > 0) {
    lines.push('Messages with successes:');
    for (const [message, count] of [...result.notes].sort((a, b) => b[1] - a[1])) lines.push(`  ${count} × ${message}`);
  }
  if (result.failure > 0 && settings.failuresFile) lines.push(`Failed objects written to ${settings.failuresFile} (one JSON object per line).`);
  if (result.pending > 0) lines.push('Objects still pending were delivered; their outcome was not known when the wait ended (see --status-timeout).');
  return lines;
}

/** 0 all stored; 1 some failed; 2 stopped early (130 when interrupted); 3 none failed but some still pending. */
export function exitCode(result: PublishResult): number {
  if (result.stoppedBy === 'interrupted') return 130;
  if (result.stoppedBy !== undefined) return 2;
  if (result.failure > 0) return 1;
  if (result.pending > 0) return 3;
  return 0;
}
