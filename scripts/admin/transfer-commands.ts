import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import pino from 'pino';
import type { ServerSettings } from '../../server/config/settings';
import { openConfiguredStorage } from '../../server/storage/open-storage';
import { DataDirectoryInUse } from '../../server/storage/sqlite/server-lock';
import type { Storage } from '../../server/storage/storage';
import {
  decodeLine,
  encodeLine,
  totalOf,
  TRANSFER_FORMAT,
  TRANSFER_FORMAT_VERSION,
  TRANSFER_KINDS,
  TransferFormatError,
  zeroCounts,
  type TransferCounts,
  type TransferHeader,
  type TransferRecord,
} from '../../server/storage/store-transfer';
import { CliError, type AdminContext } from './context';
import { formatTable } from './input';

const KIND_LABELS: Record<keyof TransferCounts, string> = {
  config: 'configuration revisions',
  user: 'users',
  token: 'API tokens',
  certificate: 'client certificates',
  status: 'statuses',
  object: 'object versions',
  'ingest-batch': 'queued batches',
  'ingest-envelope': 'queued envelopes',
  audit: 'audit records',
};

/** Records per import batch: one SQLite transaction (one sync to disk) or one bulk insert per kind. */
const BATCH_RECORDS = 1_000;
/** A batch also ends at this many bytes of NDJSON, so a few huge STIX objects cannot make one too large. */
const BATCH_BYTES = 8 * 1024 * 1024;
/** Output is written in chunks of about this size: one write per record would dominate an export. */
const WRITE_CHUNK_BYTES = 256 * 1024;
/** Without a terminal (a log file, CI), a progress line this often. */
const PLAIN_PROGRESS_MS = 5_000;

function describeStore(settings: ServerSettings): string {
  // The URI may carry credentials: name the database only.
  return settings.mongodbUri ? `MongoDB database '${settings.databaseName}'` : `the embedded store in ${settings.dataDir}`;
}

function summaryLines(counts: TransferCounts): string[] {
  const rows = TRANSFER_KINDS.map((kind) => [KIND_LABELS[kind], String(counts[kind])]);
  return formatTable(['KIND', 'RECORDS'], rows).map((line) => `  ${line}`);
}

function perSecond(records: number, startedAt: number): string {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  return `${seconds.toFixed(1)} s, ${Math.round(records / seconds)} records/s`;
}

/**
 * Progress on stderr, so stdout can carry the export itself: a bar on a terminal, else a plain
 * line every few seconds (a bar's carriage returns would fill a log file).
 */
class Progress {
  private readonly bar?: SingleBar;
  private done = 0;
  private stopped = false;
  private lastLine = Date.now();

  constructor(private readonly verb: string, private total: number, private readonly err: (line: string) => void) {
    if (process.stderr.isTTY) {
      this.bar = new SingleBar({
        format: `${verb} |{bar}| {percentage}% | {value}/{total} records | {kind} | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      });
      this.bar.start(total, 0, { kind: '' });
    }
  }

  /** Called every batch or so, not every record: cheap either way, since the bar redraws at its own pace. */
  update(done: number, kind: string): void {
    this.done = done;
    // The header's counts are those held when the export began; a server writing meanwhile adds more.
    if (done > this.total) this.total = done;
    if (this.bar) {
      this.bar.setTotal(this.total);
      this.bar.update(done, { kind });
    } else if (Date.now() - this.lastLine >= PLAIN_PROGRESS_MS) {
      this.lastLine = Date.now();
      const percent = this.total > 0 ? ` (${Math.floor((100 * done) / this.total)}%)` : '';
      this.err(`${this.verb}: ${done} of ${this.total} records${percent}, now ${kind}`);
    }
  }

  /** Idempotent: called on success before the summary, and again on the way out whatever happened. */
  stop(): void {
    if (this.bar && !this.stopped) {
      this.bar.update(this.done);
      this.bar.stop();
    }
    this.stopped = true;
  }
}

/** Where an export goes: a file (gzip when it ends in .gz), written under a temporary name until complete, or stdout. */
interface Sink {
  write(text: string): Promise<void>;
  /** Flushes and, for a file, gives it its name: only a complete export ever has the name asked for. */
  finish(): Promise<void>;
  /** Removes what a failed export left. */
  abandon(): void;
}

async function writeTo(stream: Writable, text: string): Promise<void> {
  // Respect back-pressure: a slow disk or a slow reader of a pipe must not make the export buffer everything.
  if (!stream.write(text)) await once(stream, 'drain');
}

function openSink(out: string): Sink {
  if (out === '-') {
    // A reader that goes away (`| head`) makes stdout fail with EPIPE: that ends the export with
    // one line, at the next write, instead of an unhandled 'error' event and a stack trace.
    let closed: CliError | undefined;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      closed = new CliError(`cannot write the export to standard output (${error.code ?? error.message}): the reading end was closed`);
    });
    const check = () => {
      if (closed) throw closed;
    };
    return {
      write: async (text) => {
        check();
        await writeTo(process.stdout, text).catch(() => undefined);
        check();
      },
      finish: () => new Promise((resolve, reject) => process.stdout.write('', (error) => (error || closed ? reject(closed ?? error) : resolve()))),
      abandon: () => undefined,
    };
  }
  const partial = `${out}.partial`;
  const file = createWriteStream(partial);
  const gzip = out.endsWith('.gz') ? createGzip() : undefined;
  gzip?.pipe(file);
  const head: Writable = gzip ?? file;
  // An error of the file (disk full) surfaces at the next write or at finish, not as an unhandled event.
  let failure: Error | undefined;
  file.on('error', (error) => (failure = error));
  gzip?.on('error', (error) => (failure = error));
  return {
    async write(text) {
      if (failure) throw failure;
      await writeTo(head, text);
    },
    async finish() {
      head.end();
      await finished(file);
      if (failure) throw failure;
      renameSync(partial, out);
    },
    abandon() {
      head.destroy();
      file.destroy();
      rmSync(partial, { force: true });
    },
  };
}

async function exportStore(context: AdminContext, out: string): Promise<void> {
  if (out === '-' && process.stdout.isTTY) {
    throw new CliError('export writes NDJSON: give --out FILE (.gz to compress), or redirect or pipe stdout (use `npm run -s`, so npm prints no banner into it)');
  }
  const storage = await context.open();
  const startedAt = Date.now();
  const header: TransferHeader = {
    kind: 'header',
    format: TRANSFER_FORMAT,
    formatVersion: TRANSFER_FORMAT_VERSION,
    engine: storage.engine,
    exportedAt: new Date(startedAt).toISOString(),
    counts: await storage.transfer.counts(),
  };
  // The summary goes to stderr when stdout carries the export.
  const report = out === '-' ? context.output.err : context.output.out;
  const sink = openSink(out);
  const progress = new Progress('export', totalOf(header.counts), context.output.err);
  const written = zeroCounts();
  try {
    let chunk = `${encodeLine(header)}\n`;
    let done = 0;
    for await (const record of storage.transfer.exportRecords()) {
      chunk += `${encodeLine(record)}\n`;
      written[record.kind] += 1;
      done += 1;
      if (chunk.length >= WRITE_CHUNK_BYTES) {
        await sink.write(chunk);
        chunk = '';
        progress.update(done, KIND_LABELS[record.kind]);
      }
    }
    chunk += `${encodeLine({ kind: 'end', counts: written })}\n`;
    await sink.write(chunk);
    await sink.finish();
    progress.update(done, 'done');
  } catch (error) {
    sink.abandon();
    throw error;
  } finally {
    progress.stop();
  }
  const where = out === '-' ? 'standard output' : out;
  report(`Exported ${totalOf(written)} records of ${describeStore(context.settings)} (${storage.engine}) to ${where} in ${perSecond(totalOf(written), startedAt)}:`);
  for (const line of summaryLines(written)) report(line);
}

/** The input's bytes, gunzipped when they start with gzip's magic number, whatever the file is called (stdin has no name). */
async function* decompressed(source: Readable): AsyncGenerator<Buffer> {
  const chunks: AsyncIterator<Buffer> = source[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  const head = first.value;
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  if (head[0] === 0x1f && head[1] === 0x8b) yield* Readable.from(all()).pipe(createGunzip());
  else yield* all();
}

function openSource(input: string): Readable {
  if (input === '-') return process.stdin;
  const stream = createReadStream(input);
  return stream;
}

/** Opens the target as a server would: on the embedded engine that claims DATA_DIR, so no server can start mid-import. */
async function openTarget(context: AdminContext): Promise<Storage> {
  const log = pino({ level: 'warn', base: { service: 'taxii-admin' } }, pino.destination({ dest: 2, sync: true }));
  try {
    return await openConfiguredStorage(context.settings, log, 'server');
  } catch (error) {
    if (error instanceof DataDirectoryInUse) {
      throw new CliError(
        `import refused: a server process (pid ${error.pid}) is serving ${error.dataDir}. An import writes objects, which only ` +
          'the one process holding the data directory may do: stop the server, import, then start it again.',
      );
    }
    throw error;
  }
}

function countsDiffer(expected: TransferCounts, actual: TransferCounts): string | undefined {
  const differences = TRANSFER_KINDS.filter((kind) => expected[kind] !== actual[kind]).map((kind) => `${KIND_LABELS[kind]}: ${actual[kind]} read, ${expected[kind]} announced`);
  return differences.length > 0 ? differences.join('; ') : undefined;
}

async function importStore(context: AdminContext, input: string): Promise<void> {
  if (input === '-' && process.stdin.isTTY) throw new CliError('import reads NDJSON: give --in FILE, or redirect or pipe it to stdin');
  const target = describeStore(context.settings);
  const storage = await openTarget(context);
  const startedAt = Date.now();
  let progress: Progress | undefined;
  try {
    await storage.prepare();
    if (!(await storage.transfer.isEmpty())) {
      const held = await storage.transfer.counts();
      const heldKinds = TRANSFER_KINDS.filter((kind) => held[kind] > 0).map((kind) => `${held[kind]} ${KIND_LABELS[kind]}`);
      throw new CliError(
        `import refused: ${target} is not empty (it holds ${heldKinds.join(', ')}). An import only goes into an empty store, ` +
          'so nothing is overwritten or mixed: use a new DATA_DIR, or a new MONGODB_DATABASE.',
      );
    }
    const source = openSource(input);
    // A missing file fails here with its own message instead of as an error event on the stream.
    source.on('error', () => undefined);
    const lines = createInterface({ input: Readable.from(decompressed(source)), crlfDelay: Infinity });
    let header: TransferHeader | undefined;
    let end: TransferCounts | undefined;
    const read = zeroCounts();
    let lineNumber = 0;
    let done = 0;
    let batch: TransferRecord[] = [];
    let batchBytes = 0;
    const flush = async (kind: string) => {
      await storage.transfer.importRecords(batch);
      done += batch.length;
      batch = [];
      batchBytes = 0;
      progress?.update(done, kind);
    };
    try {
      for await (const text of lines) {
        lineNumber += 1;
        if (text.trim() === '') continue;
        if (end) throw new TransferFormatError(`line ${lineNumber}: a line after the end line`);
        if (!header) {
          if (text.startsWith('>')) {
            throw new TransferFormatError(
              `line ${lineNumber} is npm's banner, not the export's header: write exports with --out FILE, or with \`npm run -s\` so npm prints nothing into stdout`,
            );
          }
          const first = decodeLine(text, lineNumber);
          if (first.kind !== 'header') throw new TransferFormatError(`line ${lineNumber}: the file does not start with an export header (is it an export of this server?)`);
          if (first.formatVersion !== TRANSFER_FORMAT_VERSION) {
            throw new TransferFormatError(`the export has format version ${first.formatVersion}; this server reads version ${TRANSFER_FORMAT_VERSION}`);
          }
          header = first;
          progress = new Progress('import', totalOf(header.counts), context.output.err);
          continue;
        }
        const line = decodeLine(text, lineNumber);
        if (line.kind === 'header') throw new TransferFormatError(`line ${lineNumber}: a second header`);
        if (line.kind === 'end') {
          end = line.counts;
          continue;
        }
        batch.push(line);
        batchBytes += text.length;
        read[line.kind] += 1;
        if (batch.length >= BATCH_RECORDS || batchBytes >= BATCH_BYTES) await flush(KIND_LABELS[line.kind]);
      }
      if (!header) throw new TransferFormatError(`${input === '-' ? 'standard input' : input} is empty`);
      await flush('done');
    } catch (error) {
      if (error instanceof TransferFormatError) throw new CliError(`${error.message}. ${partialNote(done, target)}`);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CliError(`cannot read ${input}: no such file`);
      if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') throw new CliError(`${input} starts like gzip but does not decompress (${(error as Error).message}). ${partialNote(done, target)}`);
      throw error;
    }
    // Checked after the last batch: a file cut short (a full disk, an interrupted copy) has no end line.
    if (!end) throw new CliError(`the file ends before its end line: the export is incomplete. ${partialNote(done, target)}`);
    const mismatch = countsDiffer(end, read);
    if (mismatch) throw new CliError(`the file's records do not match its end line (${mismatch}). ${partialNote(done, target)}`);
    progress?.stop();
    context.output.out(
      `Imported ${totalOf(read)} records into ${target} (${storage.engine}) from a ${header.engine} export of ${header.exportedAt} in ${perSecond(totalOf(read), startedAt)}:`,
    );
    for (const line of summaryLines(read)) context.output.out(line);
  } finally {
    progress?.stop();
    await storage.close();
  }
}

/** What a failed import leaves behind, and what to do about it: the batches before the error stay written. */
function partialNote(written: number, target: string): string {
  return written === 0
    ? `Nothing was written to ${target}.`
    : `${written} records were written to ${target} before this: empty it (a new DATA_DIR or MONGODB_DATABASE) before importing again.`;
}

/** `export` and `import`: a whole store to NDJSON and back, between engines (docs/admin.md, "Moving to MongoDB"). */
export function transferCommands(context: AdminContext): Command[] {
  const exportCommand = new Command('export')
    .description('write the whole store (objects with their date_added, statuses, audit trail, users, tokens, configuration) as NDJSON')
    .option('--out <file>', 'file to write (gzip when it ends in .gz), or - for stdout', '-')
    .action((options: { out: string }) => exportStore(context, options.out));
  const importCommand = new Command('import')
    .description('read an export into this (empty) store; on the embedded engine, only while no server runs on DATA_DIR')
    .option('--in <file>', 'file to read (gzip is recognised by its content), or - for stdin', '-')
    .action((options: { in: string }) => importStore(context, options.in));
  return [exportCommand, importCommand];
}
