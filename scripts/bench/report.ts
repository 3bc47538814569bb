import type { IngestFigures, LatencyFigures, PollFigures } from './taxii-workload';

/** The result of one run, written as JSON, and the table printed from it. */

export interface MemoryFigures {
  /** RSS after a forced GC, just before the full poll. */
  baselineBytes: number;
  peakBytes: number;
  endBytes: number;
  /** Peak RSS over the first and the last quarter of the poll's duration. */
  firstQuarterPeakBytes: number;
  lastQuarterPeakBytes: number;
  samples: number;
  source: string;
  /** V8 heap in use after a forced GC before and after the poll: what the poll left behind. */
  heapAfterGcBeforeBytes?: number;
  heapAfterGcAfterBytes?: number;
}

export type DbTimeByCommand = Record<string, { count: number; ms: number }>;

export interface SideFigures {
  /** Driver-measured database time inside the server, per phase and command (our server only). */
  dbTime?: Record<string, DbTimeByCommand>;
  objects: number;
  ingest: IngestFigures;
  fullPoll: PollFigures;
  keysetPoll?: PollFigures;
  latency?: LatencyFigures;
  addedAfter: PollFigures & { expected: number };
  memory?: MemoryFigures;
}

export interface BenchResult {
  startedAt: string;
  command: string;
  options: Record<string, unknown>;
  environment: Record<string, unknown>;
  server: SideFigures;
  raw: SideFigures;
  medallion?: (SideFigures & { version: string }) | { skipped: string };
  targets: TargetVerdict[];
}

export interface TargetVerdict {
  target: string;
  value: string;
  met: boolean;
}

const MIB = 1024 * 1024;
const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const mib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${fmt(bytes / MIB, 1)} MiB`);

export function memoryFromSamples(samples: number[], baselineBytes: number, source: string): MemoryFigures {
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const peak = (values: number[]) => values.reduce((max, value) => Math.max(max, value), 0);
  return {
    baselineBytes,
    peakBytes: peak(samples),
    endBytes: samples[samples.length - 1] ?? 0,
    firstQuarterPeakBytes: peak(samples.slice(0, quarter)),
    lastQuarterPeakBytes: peak(samples.slice(-quarter)),
    samples: samples.length,
    source,
  };
}

/**
 * "Flat": the poll leaves nothing behind (heap after GC within 8 MiB of before) and its transient
 * peak stays under 64 MiB above the baseline, about what a few pages of 1,000 objects in flight
 * cost. Growth with N shows as a retained heap or a peak that rises with N between runs.
 */
export const RETAINED_HEAP_SLACK_BYTES = 8 * MIB;
export const TRANSIENT_PEAK_SLACK_BYTES = 64 * MIB;

export function judgeTargets(result: Omit<BenchResult, 'targets'>): TargetVerdict[] {
  const { server, raw } = result;
  const verdicts: TargetVerdict[] = [];
  const ingestRatio = server.ingest.objectsPerSecond / raw.ingest.objectsPerSecond;
  verdicts.push({ target: 'ingest >= 50% of raw insertMany', value: `${fmt(ingestRatio * 100)}%`, met: ingestRatio >= 0.5 });
  const pollRatio = server.fullPoll.objectsPerSecond / raw.fullPoll.objectsPerSecond;
  verdicts.push({ target: 'full poll >= 50% of raw find', value: `${fmt(pollRatio * 100)}%`, met: pollRatio >= 0.5 });
  if (server.latency) {
    verdicts.push({
      target: `page ${server.latency.page} <= 1.5x page 1`,
      value: `${fmt(server.latency.ratio, 2)}x`,
      met: server.latency.ratio <= 1.5,
    });
  }
  const memory = server.memory;
  if (memory) {
    const retained = (memory.heapAfterGcAfterBytes ?? 0) - (memory.heapAfterGcBeforeBytes ?? 0);
    const transient = memory.peakBytes - memory.baselineBytes;
    verdicts.push({
      target: 'memory flat during a full poll (heap retained after GC; RSS peak over baseline)',
      value: `${retained >= 0 ? '+' : ''}${mib(retained)}; +${mib(transient)}`,
      met: retained <= RETAINED_HEAP_SLACK_BYTES && transient <= TRANSIENT_PEAK_SLACK_BYTES,
    });
  }
  const medallion = result.medallion;
  if (medallion && !('skipped' in medallion)) {
    const ingestX = server.ingest.objectsPerSecond / medallion.ingest.objectsPerSecond;
    const pollX = server.fullPoll.objectsPerSecond / medallion.fullPoll.objectsPerSecond;
    verdicts.push({ target: '>= 10x medallion, ingest', value: `${fmt(ingestX, 1)}x`, met: ingestX >= 10 });
    verdicts.push({ target: '>= 10x medallion, full poll', value: `${fmt(pollX, 1)}x`, met: pollX >= 10 });
    const addedX = medallion.addedAfter.seconds / server.addedAfter.seconds;
    verdicts.push({ target: '>= 10x medallion, added_after poll', value: `${fmt(addedX, 1)}x`, met: addedX >= 10 });
  }
  return verdicts;
}

function row(cells: string[], widths: number[]): string {
  return `| ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join(' | ')} |`;
}

export function renderTable(result: BenchResult): string {
  const { server, raw } = result;
  const medallion = result.medallion && !('skipped' in result.medallion) ? result.medallion : undefined;
  const header = ['measure', 'TAS (HTTP)', 'raw driver', 'TAS / raw', medallion ? 'medallion (HTTP)' : 'medallion', 'TAS / medallion'];
  const ratio = (a: number, b: number | undefined, digits = 2) => (b === undefined || !Number.isFinite(a / b) ? '' : `${fmt(a / b, digits)}x`);
  const lines: string[][] = [];
  lines.push(['objects posted (versions)', fmt(server.objects), fmt(raw.objects), '', medallion ? fmt(medallion.objects) : 'skipped', '']);
  lines.push([
    'ingest, objects/s',
    fmt(server.ingest.objectsPerSecond),
    fmt(raw.ingest.objectsPerSecond),
    ratio(server.ingest.objectsPerSecond, raw.ingest.objectsPerSecond),
    medallion ? fmt(medallion.ingest.objectsPerSecond) : '',
    ratio(server.ingest.objectsPerSecond, medallion?.ingest.objectsPerSecond, 1),
  ]);
  lines.push([
    `full poll (latest), objects/s`,
    fmt(server.fullPoll.objectsPerSecond),
    fmt(raw.fullPoll.objectsPerSecond),
    ratio(server.fullPoll.objectsPerSecond, raw.fullPoll.objectsPerSecond),
    medallion ? fmt(medallion.fullPoll.objectsPerSecond) : '',
    ratio(server.fullPoll.objectsPerSecond, medallion?.fullPoll.objectsPerSecond, 1),
  ]);
  lines.push([
    `  objects / pages / seconds`,
    `${fmt(server.fullPoll.objects)} / ${server.fullPoll.pages} / ${fmt(server.fullPoll.seconds, 1)}`,
    `${fmt(raw.fullPoll.objects)} / 1 find / ${fmt(raw.fullPoll.seconds, 1)}`,
    '',
    medallion ? `${fmt(medallion.fullPoll.objects)} / ${medallion.fullPoll.pages} / ${fmt(medallion.fullPoll.seconds, 1)}` : '',
    '',
  ]);
  if (raw.keysetPoll) {
    lines.push([
      '  raw keyset pages (same query), objects/s',
      '',
      fmt(raw.keysetPoll.objectsPerSecond),
      ratio(server.fullPoll.objectsPerSecond, raw.keysetPoll.objectsPerSecond),
      '',
      '',
    ]);
  }
  const latency = (figures: LatencyFigures | undefined, which: 'first' | 'later') =>
    figures ? `${fmt(which === 'first' ? figures.firstPageMs.median : figures.laterPageMs.median, 1)} ms` : 'n/a';
  const limit = server.latency?.limit ?? 0;
  const page = server.latency?.page ?? 0;
  lines.push([`page 1, limit ${limit}, median`, latency(server.latency, 'first'), latency(raw.latency, 'first'), '', latency(medallion?.latency, 'first'), '']);
  lines.push([
    `page ${page}, limit ${limit}, median`,
    latency(server.latency, 'later'),
    latency(raw.latency, 'later'),
    '',
    medallion?.latency ? `${latency(medallion.latency, 'later')} (page ${medallion.latency.page})` : '',
    '',
  ]);
  lines.push([
    `page ${page} / page 1`,
    server.latency ? `${fmt(server.latency.ratio, 2)}x` : 'n/a',
    raw.latency ? `${fmt(raw.latency.ratio, 2)}x` : 'n/a',
    '',
    medallion?.latency ? `${fmt(medallion.latency.ratio, 2)}x` : '',
    '',
  ]);
  lines.push([
    `added_after poll (${fmt(server.addedAfter.expected)} new), ms`,
    fmt(server.addedAfter.seconds * 1000, 1),
    fmt(raw.addedAfter.seconds * 1000, 1),
    ratio(server.addedAfter.seconds, raw.addedAfter.seconds),
    medallion ? fmt(medallion.addedAfter.seconds * 1000, 1) : '',
    ratio(medallion?.addedAfter.seconds ?? NaN, server.addedAfter.seconds, 1),
  ]);
  if (server.memory) {
    lines.push(['server RSS before full poll (after GC)', mib(server.memory.baselineBytes), '', '', mib(medallion?.memory?.baselineBytes), '']);
    lines.push(['server RSS peak during full poll', mib(server.memory.peakBytes), '', '', mib(medallion?.memory?.peakBytes), '']);
    lines.push([
      '  peak, first / last quarter of poll',
      `${mib(server.memory.firstQuarterPeakBytes)} / ${mib(server.memory.lastQuarterPeakBytes)}`,
      '',
      '',
      medallion?.memory ? `${mib(medallion.memory.firstQuarterPeakBytes)} / ${mib(medallion.memory.lastQuarterPeakBytes)}` : '',
      '',
    ]);
    lines.push([
      'server heap after GC, before / after poll',
      `${mib(server.memory.heapAfterGcBeforeBytes)} / ${mib(server.memory.heapAfterGcAfterBytes)}`,
      '',
      '',
      '',
      '',
    ]);
  }
  const widths = header.map((cell, index) => Math.max(cell.length, ...lines.map((line) => (line[index] ?? '').length)));
  const out = [row(header, widths), `|${widths.map((width, index) => (index === 0 ? `${'-'.repeat(width + 2)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`];
  for (const line of lines) out.push(row(line, widths));
  if (server.dbTime) {
    out.push('');
    out.push('Database time inside our server (driver command monitoring), per phase:');
    for (const [phase, byCommand] of Object.entries(server.dbTime)) {
      const parts = Object.entries(byCommand)
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([name, entry]) => `${name} ${entry.count}x ${fmt(entry.ms / 1000, 1)} s`);
      out.push(`  ${phase}: ${parts.join(', ') || 'none'}`);
    }
  }
  out.push('');
  out.push('| target | measured | met |');
  out.push('|---|---:|:---:|');
  for (const verdict of result.targets) out.push(`| ${verdict.target} | ${verdict.value} | ${verdict.met ? 'yes' : 'NO'} |`);
  return out.join('\n');
}
