import type { MixFigures } from './concurrency';
import type { StorageTime } from './protocol';
import type { IngestFigures, PollFigures, Timing } from './taxii-workload';

/** The result of one run, written as JSON, and the tables printed from it. */

export interface MemoryFigures {
  /** RSS after a forced GC, just before the full poll. */
  baselineBytes: number;
  peakBytes: number;
  /** The last sample, as the poll ends (before the forced GC that follows it). */
  endBytes: number;
  /** Peak RSS over the first and the last quarter of the poll's duration. */
  firstQuarterPeakBytes: number;
  lastQuarterPeakBytes: number;
  samples: number;
  source: string;
  /** V8 heap in use after a forced GC before and after the poll: what the poll left behind. */
  heapAfterGcBeforeBytes?: number;
  heapAfterGcAfterBytes?: number;
  /** RSS after the forced GC that follows the poll. */
  rssAfterGcBytes?: number;
}

/** The same small workload for our server and medallion, at medallion's N. */
export interface SmallWorkloadFigures {
  objects: number;
  versions: number;
  ingest: IngestFigures;
  fullPoll: PollFigures;
  /** Absent for medallion unless asked for (--medallion-added-after): it takes minutes there. */
  addedAfter?: PollFigures & { expected: number };
}

export interface MainFigures {
  engine: string;
  /** Distinct STIX objects in the collection after the ingest, and the versions posted to get there. */
  objects: number;
  versions: number;
  meanObjectBytes: number;
  ingest: IngestFigures & { wallSeconds: number; first10kObjectsPerSecond: number; last10kObjectsPerSecond: number };
  fullPoll: PollFigures;
  memory?: MemoryFigures;
  pageLatency: { limit: number; page: number; first: Timing; later: Timing; ratio: number; inPollFirstMs: number; inPollLaterMs: number };
  versionsOfOne: { objects: number; versionsEach: number; versionsMs: Timing; objectMs: Timing };
  addedAfter: { objects: number; ms: Timing };
  repost: { envelopes: number; objectsEach: number; firstMs: Timing; againMs: Timing; ratio: number; alreadyHeld: number };
  concurrency: MixFigures;
  storageTime: Record<string, StorageTime>;
  /** CPU time of the server process per phase: on a shared machine, the cost of the work apart from waiting for a core. */
  serverCpuMs: Record<string, number>;
}

export interface RawFigures {
  engine: string;
  ingest: IngestFigures;
  /** CPU of the bench process during the raw ingest, which includes generating the objects. */
  ingestCpuSecondsWithGeneration: number;
  keysetPoll: PollFigures;
  pageLatency: { limit: number; page: number; first: Timing; later: Timing; ratio: number };
  versionsOfOneMs: Timing;
  addedAfter: { objects: number; ms: Timing };
}

export interface PartnerView {
  page1: Timing;
  pageK: Timing;
  addedAfter: Timing;
  typePage: Timing;
  /** Rows in the whole objects table at the time of the measurement. */
  storeObjects: number;
}

export interface PartnerFigures {
  partners: number;
  objectsEach: number;
  page: number;
  alone: PartnerView;
  shared: PartnerView;
  /** Ingest into partner 0 (alone in the store) and into the last partner (the store holds the others). */
  firstPartnerIngest: IngestFigures;
  lastPartnerIngest: IngestFigures;
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  command: string;
  options: Record<string, unknown>;
  environment: Record<string, unknown>;
  main: MainFigures;
  raw?: RawFigures;
  /** Our server running medallion's workload at medallion's N, in a collection of its own. */
  sameN?: SmallWorkloadFigures;
  medallion: (SmallWorkloadFigures & { version: string }) | { skipped: string };
  partners: PartnerFigures | { skipped: string };
  targets: TargetVerdict[];
}

export interface TargetVerdict {
  target: string;
  value: string;
  met: boolean;
}

const MIB = 1024 * 1024;
export const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
export const mib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${fmt(bytes / MIB, 1)} MiB`);
const ms = (value: number) => `${fmt(value, value < 10 ? 2 : 1)} ms`;

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
 * "Flat": the poll leaves nothing behind (heap after GC within 8 MiB of before), its transient
 * peak stays under 64 MiB above the baseline (a few pages of 1,000 objects in flight), and the
 * last quarter's peak is no higher than the first quarter's plus 16 MiB: no growth with the pages read.
 */
export const RETAINED_HEAP_SLACK_BYTES = 8 * MIB;
export const TRANSIENT_PEAK_SLACK_BYTES = 64 * MIB;
export const QUARTER_GROWTH_SLACK_BYTES = 16 * MIB;

export function judgeTargets(result: Omit<BenchResult, 'targets'>): TargetVerdict[] {
  const { main, raw } = result;
  const verdicts: TargetVerdict[] = [];
  verdicts.push({ target: '(a) HTTP ingest >= 5,000 objects/s', value: `${fmt(main.ingest.objectsPerSecond)}/s`, met: main.ingest.objectsPerSecond >= 5000 });
  if (raw) {
    const ratio = main.ingest.objectsPerSecond / raw.ingest.objectsPerSecond;
    verdicts.push({ target: '(a) HTTP ingest >= 50% of the raw engine', value: `${fmt(ratio * 100)}% of ${fmt(raw.ingest.objectsPerSecond)}/s`, met: ratio >= 0.5 });
  }
  const latency = main.pageLatency;
  verdicts.push({ target: `(b) page 1 of ${fmt(latency.limit)} <= 150 ms`, value: ms(latency.first.median), met: latency.first.median <= 150 });
  verdicts.push({ target: `(b) page ${fmt(latency.page)} <= 150 ms`, value: ms(latency.later.median), met: latency.later.median <= 150 });
  verdicts.push({ target: `(b) page ${fmt(latency.page)} <= 1.5x page 1`, value: `${fmt(latency.ratio, 2)}x`, met: latency.ratio <= 1.5 });
  verdicts.push({ target: `(c) added_after poll of the newest ${fmt(main.addedAfter.objects)} <= 150 ms`, value: ms(main.addedAfter.ms.median), met: main.addedAfter.ms.median <= 150 });
  verdicts.push({ target: "(d) one object's versions <= 20 ms (p90)", value: `median ${ms(main.versionsOfOne.versionsMs.median)}, p90 ${ms(main.versionsOfOne.versionsMs.p90)}`, met: main.versionsOfOne.versionsMs.p90 <= 20 });
  const memory = main.memory;
  if (memory) {
    const retained = (memory.heapAfterGcAfterBytes ?? 0) - (memory.heapAfterGcBeforeBytes ?? 0);
    const transient = memory.peakBytes - memory.baselineBytes;
    const growth = memory.lastQuarterPeakBytes - memory.firstQuarterPeakBytes;
    verdicts.push({
      target: '(e) RSS flat while streaming the whole collection',
      value: `heap retained ${retained >= 0 ? '+' : ''}${mib(retained)}; peak +${mib(transient)} over start; last/first quarter ${growth >= 0 ? '+' : ''}${mib(growth)}`,
      met: retained <= RETAINED_HEAP_SLACK_BYTES && transient <= TRANSIENT_PEAK_SLACK_BYTES && growth <= QUARTER_GROWTH_SLACK_BYTES,
    });
  }
  const mix = main.concurrency;
  verdicts.push({ target: `(f) ${mix.clients} concurrent clients: p99 <= 1 s, 0 errors`, value: `p50 ${ms(mix.p50Ms)}, p99 ${ms(mix.p99Ms)}, ${mix.errors} errors`, met: mix.p99Ms <= 1000 && mix.errors === 0 });
  const medallion = result.medallion;
  if (result.sameN && !('skipped' in medallion)) {
    const ingestX = result.sameN.ingest.objectsPerSecond / medallion.ingest.objectsPerSecond;
    const pollX = result.sameN.fullPoll.objectsPerSecond / medallion.fullPoll.objectsPerSecond;
    verdicts.push({ target: `(g) >= 10x medallion, ingest (N = ${fmt(medallion.objects)})`, value: `${fmt(ingestX, 1)}x`, met: ingestX >= 10 });
    verdicts.push({ target: `(g) >= 10x medallion, full poll (N = ${fmt(medallion.objects)})`, value: `${fmt(pollX, 1)}x`, met: pollX >= 10 });
  }
  // Re-posting may cost at most what the first post cost; 10% covers the noise of a shared machine.
  verdicts.push({ target: '(h) re-posting a held bundle costs <= posting it first', value: `${fmt(main.repost.ratio, 2)}x (${ms(main.repost.againMs.median)} vs ${ms(main.repost.firstMs.median)})`, met: main.repost.ratio <= 1.1 });
  const partners = result.partners;
  if (!('skipped' in partners)) {
    const worst = Math.max(partners.shared.page1.median / partners.alone.page1.median, partners.shared.pageK.median / partners.alone.pageK.median);
    verdicts.push({
      target: `(i) a partner's page does not slow with ${partners.partners - 1} others' data (<= 1.5x alone)`,
      value: `page 1 ${fmt(partners.shared.page1.median / partners.alone.page1.median, 2)}x, page ${partners.page} ${fmt(partners.shared.pageK.median / partners.alone.pageK.median, 2)}x`,
      met: worst <= 1.5,
    });
  }
  return verdicts;
}

function table(header: string[], lines: string[][]): string {
  const widths = header.map((cell, index) => Math.max(cell.length, ...lines.map((line) => (line[index] ?? '').length)));
  const row = (cells: string[]) => `| ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join(' | ')} |`;
  return [row(header), `|${widths.map((width, index) => (index === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`, ...lines.map(row)].join('\n');
}

export function renderTable(result: BenchResult): string {
  const { main, raw } = result;
  const medallion = 'skipped' in result.medallion ? undefined : result.medallion;
  const ratio = (a: number, b: number | undefined, digits = 2) => (b === undefined || !Number.isFinite(a / b) ? '' : `${fmt(a / b, digits)}x`);
  const latency = main.pageLatency;
  const lines: string[][] = [
    [`objects in the collection (versions posted)`, `${fmt(main.objects)} (${fmt(main.versions)})`, raw ? `${fmt(main.objects)} (${fmt(main.versions)})` : '', '', `mean ${fmt(main.meanObjectBytes)} bytes`],
    ['(a) ingest, envelopes of 1,000, objects/s', fmt(main.ingest.objectsPerSecond), raw ? fmt(raw.ingest.objectsPerSecond) : '', ratio(main.ingest.objectsPerSecond, raw?.ingest.objectsPerSecond), `first / last 10k: ${fmt(main.ingest.first10kObjectsPerSecond)} / ${fmt(main.ingest.last10kObjectsPerSecond)}/s`],
    ['    full poll through next, objects/s', fmt(main.fullPoll.objectsPerSecond), raw ? fmt(raw.keysetPoll.objectsPerSecond) : '', ratio(main.fullPoll.objectsPerSecond, raw?.keysetPoll.objectsPerSecond), `${fmt(main.fullPoll.pages)} pages in ${fmt(main.fullPoll.seconds, 1)} s`],
    [`(b) page 1, limit ${fmt(latency.limit)}, median`, ms(latency.first.median), raw ? ms(raw.pageLatency.first.median) : '', ratio(latency.first.median, raw?.pageLatency.first.median), `p90 ${ms(latency.first.p90)}`],
    [`(b) page ${fmt(latency.page)} (real next cursors), median`, ms(latency.later.median), raw ? ms(raw.pageLatency.later.median) : '', ratio(latency.later.median, raw?.pageLatency.later.median), `p90 ${ms(latency.later.p90)}; ratio ${fmt(latency.ratio, 2)}x`],
    [`(c) added_after, newest ${fmt(main.addedAfter.objects)}, median`, ms(main.addedAfter.ms.median), raw ? ms(raw.addedAfter.ms.median) : '', ratio(main.addedAfter.ms.median, raw?.addedAfter.ms.median), `p90 ${ms(main.addedAfter.ms.p90)}`],
    [`(d) versions of one object (${main.versionsOfOne.versionsEach + 1} versions), median`, ms(main.versionsOfOne.versionsMs.median), raw ? ms(raw.versionsOfOneMs.median) : '', '', `p90 ${ms(main.versionsOfOne.versionsMs.p90)}; GET one object ${ms(main.versionsOfOne.objectMs.median)}`],
  ];
  if (main.memory) {
    const memory = main.memory;
    lines.push(['(e) RSS during the full poll: start / peak / end', `${mib(memory.baselineBytes)} / ${mib(memory.peakBytes)} / ${mib(memory.endBytes)}`, '', '', `after GC ${mib(memory.rssAfterGcBytes)}; quarters ${mib(memory.firstQuarterPeakBytes)} / ${mib(memory.lastQuarterPeakBytes)}`]);
    lines.push(['(e) heap after GC, before / after the poll', `${mib(memory.heapAfterGcBeforeBytes)} / ${mib(memory.heapAfterGcAfterBytes)}`, '', '', '']);
  }
  const mix = main.concurrency;
  lines.push([`(f) ${mix.clients} concurrent clients, p50 / p99`, `${ms(mix.p50Ms)} / ${ms(mix.p99Ms)}`, '', '', `${fmt(mix.requests)} requests in ${fmt(mix.seconds, 0)} s, ${mix.errors} errors`]);
  for (const [kind, figures] of Object.entries(mix.byKind)) lines.push([`      ${kind}, p50 / p99`, `${ms(figures.p50Ms)} / ${ms(figures.p99Ms)}`, '', '', `${fmt(figures.requests)} requests, ${figures.errors} errors`]);
  lines.push([`(h) envelope of ${fmt(main.repost.objectsEach)}: first post / re-post, median`, `${ms(main.repost.firstMs.median)} / ${ms(main.repost.againMs.median)}`, '', '', `${fmt(main.repost.ratio, 2)}x; ${fmt(main.repost.alreadyHeld)} reported already held`]);
  const cpu = main.serverCpuMs;
  if (cpu.ingest !== undefined && cpu['full poll'] !== undefined) {
    lines.push([
      '    server CPU per 1,000: ingest / full poll',
      `${ms((cpu.ingest * 1000) / main.versions)} / ${ms((cpu['full poll'] * 1000) / main.fullPoll.objects)}`,
      '',
      '',
      `i.e. ${fmt((main.versions * 1000) / cpu.ingest)} and ${fmt((main.fullPoll.objects * 1000) / cpu['full poll'])} objects per CPU-second`,
    ]);
  }
  const out = [`Main store (${main.engine}):`, table(['measure', 'this server (HTTP)', 'raw engine', 'server / raw', 'notes'], lines)];

  if (result.sameN) {
    const sameN = result.sameN;
    const rows: string[][] = [
      ['objects (versions posted)', `${fmt(sameN.objects)} (${fmt(sameN.versions)})`, medallion ? `${fmt(medallion.objects)} (${fmt(medallion.versions)})` : 'skipped', ''],
      ['(g) ingest, objects/s', fmt(sameN.ingest.objectsPerSecond), medallion ? fmt(medallion.ingest.objectsPerSecond) : '', ratio(sameN.ingest.objectsPerSecond, medallion?.ingest.objectsPerSecond, 1)],
      ['(g) full poll, objects/s', fmt(sameN.fullPoll.objectsPerSecond), medallion ? fmt(medallion.fullPoll.objectsPerSecond) : '', ratio(sameN.fullPoll.objectsPerSecond, medallion?.fullPoll.objectsPerSecond, 1)],
    ];
    if (sameN.addedAfter) {
      const ours = sameN.addedAfter;
      rows.push([`    added_after poll of ${fmt(ours.expected)}, ms`, fmt(ours.seconds * 1000, 1), medallion?.addedAfter ? fmt(medallion.addedAfter.seconds * 1000, 1) : 'not timed', ratio(medallion?.addedAfter?.seconds ?? NaN, ours.seconds, 1)]);
    }
    out.push('', `At medallion's N (${medallion ? `medallion ${medallion.version}, memory backend` : 'medallion skipped'}):`, table(['measure', 'this server (HTTP)', 'medallion (HTTP)', 'ratio'], rows));
  }
  const partners = result.partners;
  if (!('skipped' in partners)) {
    const view = (name: string, pick: (v: PartnerView) => Timing) => [name, ms(pick(partners.alone).median), ms(pick(partners.shared).median), ratio(pick(partners.shared).median, pick(partners.alone).median)];
    out.push(
      '',
      `${partners.partners} partner collections of ${fmt(partners.objectsEach)} (partner 0 alone: ${fmt(partners.alone.storeObjects)} rows in the store; with the others: ${fmt(partners.shared.storeObjects)}):`,
      table(['partner 0, limit 1,000, median', 'alone', 'with the others', 'ratio'], [
        view('(i) page 1', (v) => v.page1),
        view(`(i) page ${partners.page}`, (v) => v.pageK),
        view('(i) added_after, newest 1,000', (v) => v.addedAfter),
        view('(i) match[type]=indicator page 1', (v) => v.typePage),
        ['    ingest into partner 0 / partner 9, objects/s', fmt(partners.firstPartnerIngest.objectsPerSecond), fmt(partners.lastPartnerIngest.objectsPerSecond), ratio(partners.lastPartnerIngest.objectsPerSecond, partners.firstPartnerIngest.objectsPerSecond)],
      ]),
    );
  }
  out.push('', 'Storage time inside the server (every repository call timed) and server CPU, per phase:');
  for (const [phase, byCall] of Object.entries(main.storageTime)) {
    if (phase === 'start') continue;
    const parts = Object.entries(byCall)
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 6)
      .map(([name, entry]) => `${name} ${fmt(entry.count)}x ${fmt(entry.ms / 1000, 2)} s`);
    out.push(`  ${phase} (server CPU ${fmt((main.serverCpuMs[phase] ?? NaN) / 1000, 1)} s): ${parts.join(', ') || 'none'}`);
  }
  out.push('', table(['target', 'measured', 'met'], result.targets.map((verdict) => [verdict.target, verdict.value, verdict.met ? 'yes' : 'NO'])));
  return out.join('\n');
}
