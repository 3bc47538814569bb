import { performance } from 'node:perf_hooks';
import { httpCall, type HttpResponse } from './http-client';

/** The TAXII 2.1 workload, driven over HTTP against any server: ours or medallion. */

export interface TaxiiTarget {
  name: string;
  /** `http://127.0.0.1:<port>/<root>/collections/<id>/objects/` */
  objectsUrl: string;
  authorization: string;
  /** Our cursors are stateless and can be replayed; medallion's are consumed as they are read. */
  replayableCursors: boolean;
}

const TAXII = 'application/taxii+json;version=2.1';

export interface IngestFigures {
  objects: number;
  accepted: number;
  failed: number;
  requests: number;
  seconds: number;
  objectsPerSecond: number;
}

export interface PollFigures {
  objects: number;
  pages: number;
  bytes: number;
  seconds: number;
  objectsPerSecond: number;
  /** Milliseconds of each page request, in order. */
  pageMs: number[];
}

export interface LatencyFigures {
  limit: number;
  page: number;
  samples: number;
  firstPageMs: { median: number; p90: number };
  laterPageMs: { median: number; p90: number };
  ratio: number;
}

function readHeaders(target: TaxiiTarget): Record<string, string> {
  return { Accept: TAXII, Authorization: target.authorization };
}

function expectStatus(response: HttpResponse, expected: number, what: string): void {
  if (response.status !== expected) {
    throw new Error(`${what}: HTTP ${response.status} (expected ${expected}): ${response.body.toString('utf8').slice(0, 500)}`);
  }
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** POSTs each envelope (already serialised) and waits for its status; time is the sum of the requests. */
export async function ingest(target: TaxiiTarget, envelopes: Iterable<{ body: string; count: number }>): Promise<IngestFigures> {
  const headers = { ...readHeaders(target), 'Content-Type': TAXII };
  let objects = 0;
  let accepted = 0;
  let failed = 0;
  let requests = 0;
  let elapsed = 0;
  for (const envelope of envelopes) {
    const started = performance.now();
    const response = await httpCall('POST', target.objectsUrl, headers, envelope.body);
    elapsed += performance.now() - started;
    if (response.status !== 202 && response.status !== 200) expectStatus(response, 202, `${target.name} POST objects`);
    const status = JSON.parse(response.body.toString('utf8')) as { success_count?: number; failure_count?: number; failures?: unknown[] };
    objects += envelope.count;
    accepted += status.success_count ?? 0;
    failed += status.failure_count ?? 0;
    requests += 1;
    if (failed > 0 && failed === status.failure_count) {
      process.stderr.write(`${target.name}: first failures: ${JSON.stringify(status.failures?.slice(0, 3))}\n`);
    }
  }
  const seconds = elapsed / 1000;
  return { objects, accepted, failed, requests, seconds, objectsPerSecond: objects / seconds };
}

function withQuery(url: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search ? `${url}?${search}` : url;
}

interface EnvelopePage {
  more?: boolean;
  next?: string;
  objects?: unknown[];
}

/**
 * Reads a listing to its end through `next`. `maxPages` bounds the loop; a server that keeps
 * saying `more` beyond it is reported, not followed forever.
 */
export async function poll(target: TaxiiTarget, query: Record<string, string>, maxPages: number): Promise<PollFigures & { lastPage?: EnvelopePage }> {
  let objects = 0;
  let pages = 0;
  let bytes = 0;
  const pageMs: number[] = [];
  let next: string | undefined;
  const started = performance.now();
  for (;;) {
    if (pages >= maxPages) throw new Error(`${target.name}: still 'more' after ${maxPages} pages`);
    const pageStarted = performance.now();
    const response = await httpCall('GET', withQuery(target.objectsUrl, next ? { ...query, next } : query), readHeaders(target));
    expectStatus(response, 200, `${target.name} GET objects page ${pages + 1}`);
    const page = JSON.parse(response.body.toString('utf8')) as EnvelopePage;
    pageMs.push(performance.now() - pageStarted);
    pages += 1;
    bytes += response.body.length;
    objects += page.objects?.length ?? 0;
    if (!page.more) break;
    if (!page.next) throw new Error(`${target.name}: more=true without next on page ${pages}`);
    next = page.next;
  }
  const seconds = (performance.now() - started) / 1000;
  return { objects, pages, bytes, seconds, objectsPerSecond: objects / seconds, pageMs };
}

async function timedGet(target: TaxiiTarget, url: string): Promise<{ ms: number; page: EnvelopePage }> {
  const started = performance.now();
  const response = await httpCall('GET', url, readHeaders(target));
  expectStatus(response, 200, `${target.name} GET ${url}`);
  const page = JSON.parse(response.body.toString('utf8')) as EnvelopePage;
  return { ms: performance.now() - started, page };
}

/**
 * Turns the `next` of page 1 into the `next` that leads to page `pageNumber`. Walking there costs
 * pageNumber - 1 requests, each a collection scan on FerretDB; a seek asks the database once.
 */
export type PageSeek = (firstNext: string, pageNumber: number, limit: number) => Promise<string>;

/**
 * Latency of page 1 and of page `pageNumber` with the same limit. Our cursors are replayed
 * `repeats` times each, alternating; medallion's cursor is consumed, so its later page is timed
 * inside `walks` separate walks (each walk reads pages 1..pageNumber).
 */
export async function pageLatency(
  target: TaxiiTarget,
  limit: number,
  pageNumber: number,
  repeats: number,
  walks: number,
  seek?: PageSeek,
): Promise<LatencyFigures> {
  const first = withQuery(target.objectsUrl, { limit: String(limit) });
  const firstMs: number[] = [];
  const laterMs: number[] = [];
  const walk = async (): Promise<string> => {
    let { page } = await timedGet(target, first);
    for (let n = 2; n < pageNumber; n += 1) {
      if (!page.more || !page.next) throw new Error(`${target.name}: the listing ends before page ${pageNumber} at limit ${limit}`);
      page = (await timedGet(target, withQuery(target.objectsUrl, { limit: String(limit), next: page.next }))).page;
    }
    if (!page.more || !page.next) throw new Error(`${target.name}: the listing ends before page ${pageNumber} at limit ${limit}`);
    return withQuery(target.objectsUrl, { limit: String(limit), next: page.next });
  };
  const seekTo = async (): Promise<string> => {
    const { page } = await timedGet(target, first);
    if (!seek || !page.next) return walk();
    return withQuery(target.objectsUrl, { limit: String(limit), next: await seek(page.next, pageNumber, limit) });
  };
  if (target.replayableCursors) {
    const later = await seekTo();
    // One untimed request each, so neither side pays for a cold cache.
    await timedGet(target, first);
    await timedGet(target, later);
    for (let i = 0; i < repeats; i += 1) {
      firstMs.push((await timedGet(target, first)).ms);
      const { ms, page } = await timedGet(target, later);
      if ((page.objects?.length ?? 0) !== limit) throw new Error(`${target.name}: page ${pageNumber} held ${page.objects?.length} objects`);
      laterMs.push(ms);
    }
  } else {
    for (let i = 0; i < repeats; i += 1) firstMs.push((await timedGet(target, first)).ms);
    for (let i = 0; i < walks; i += 1) {
      const later = await walk();
      laterMs.push((await timedGet(target, later)).ms);
    }
  }
  const firstPageMs = { median: quantile(firstMs, 0.5), p90: quantile(firstMs, 0.9) };
  const laterPageMs = { median: quantile(laterMs, 0.5), p90: quantile(laterMs, 0.9) };
  return { limit, page: pageNumber, samples: laterMs.length, firstPageMs, laterPageMs, ratio: laterPageMs.median / firstPageMs.median };
}

/** A TAXII timestamp (six fractional digits) from epoch microseconds. */
export function taxiiTimestamp(micros: number): string {
  const millis = Math.floor(micros / 1000);
  return `${new Date(millis).toISOString().slice(0, 23)}${String(micros - millis * 1000).padStart(3, '0')}Z`;
}
