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
  /** Sum of the request times (the client's own work between requests is not counted). */
  seconds: number;
  objectsPerSecond: number;
  /** Milliseconds of each request, in order (kept only when asked: 1,000 envelopes make a long list). */
  requestMs?: number[];
  /** Status messages of the objects that were already held (a re-post), counted by message. */
  alreadyHeld?: number;
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

interface StatusResource {
  id?: string;
  status?: string;
  success_count?: number;
  failure_count?: number;
  failures?: unknown[];
  successes?: { message?: string }[];
}

/**
 * POSTs each envelope (already serialised) and waits for its status; time is the sum of the
 * requests. `progress` is called after each request, for a line on the console during long runs.
 */
export async function ingest(
  target: TaxiiTarget,
  envelopes: Iterable<{ body: string; count: number }>,
  options: { keepRequestMs?: boolean; progress?: (objects: number, seconds: number) => void } = {},
): Promise<IngestFigures> {
  const headers = { ...readHeaders(target), 'Content-Type': TAXII };
  let objects = 0;
  let accepted = 0;
  let failed = 0;
  let requests = 0;
  let elapsed = 0;
  let alreadyHeld = 0;
  const requestMs: number[] = [];
  for (const envelope of envelopes) {
    const started = performance.now();
    const response = await httpCall('POST', target.objectsUrl, headers, envelope.body);
    if (response.status !== 202 && response.status !== 200) expectStatus(response, 202, `${target.name} POST objects`);
    let status = JSON.parse(response.body.toString('utf8')) as StatusResource;
    // A server that answers before it has stored everything is timed until its status is complete.
    for (let polls = 0; status.status === 'pending' && status.id; polls += 1) {
      if (polls > 60_000) throw new Error(`${target.name}: status ${status.id} still pending`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      const statusUrl = target.objectsUrl.replace(/collections\/[^/]+\/objects\/$/, `status/${status.id}/`);
      const answer = await httpCall('GET', statusUrl, readHeaders(target));
      expectStatus(answer, 200, `${target.name} GET status`);
      status = JSON.parse(answer.body.toString('utf8')) as StatusResource;
    }
    const ms = performance.now() - started;
    elapsed += ms;
    if (options.keepRequestMs) requestMs.push(ms);
    objects += envelope.count;
    accepted += status.success_count ?? 0;
    failed += status.failure_count ?? 0;
    alreadyHeld += (status.successes ?? []).filter((detail) => detail.message?.startsWith('This version is already held')).length;
    requests += 1;
    if (failed > 0 && failed === status.failure_count) {
      process.stderr.write(`${target.name}: first failures: ${JSON.stringify(status.failures?.slice(0, 3))}\n`);
    }
    options.progress?.(objects, elapsed / 1000);
  }
  const seconds = elapsed / 1000;
  return { objects, accepted, failed, requests, seconds, objectsPerSecond: objects / seconds, alreadyHeld, ...(options.keepRequestMs ? { requestMs } : {}) };
}

function withQuery(url: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search ? `${url}?${search}` : url;
}

export interface EnvelopePage {
  more?: boolean;
  next?: string;
  objects?: unknown[];
  /** The versions resource (TAXII 2.1 §5.8). */
  versions?: string[];
}

/**
 * Reads a listing to its end through `next`. `maxPages` bounds the loop; a server that keeps
 * saying `more` beyond it is reported, not followed forever.
 */
export async function poll(
  target: TaxiiTarget,
  query: Record<string, string>,
  maxPages: number,
  options: { capturePages?: number[]; progress?: (pages: number, objects: number) => void } = {},
): Promise<PollFigures & { nextTo: Record<number, string> }> {
  const nextTo: Record<number, string> = {};
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
    if (options.capturePages?.includes(pages + 1)) nextTo[pages + 1] = next;
    if (pages % 100 === 0) options.progress?.(pages, objects);
  }
  const seconds = (performance.now() - started) / 1000;
  return { objects, pages, bytes, seconds, objectsPerSecond: objects / seconds, pageMs, nextTo };
}

export async function timedGet(target: TaxiiTarget, url: string): Promise<{ ms: number; page: EnvelopePage; headers: Record<string, string | string[] | undefined> }> {
  const started = performance.now();
  const response = await httpCall('GET', url, readHeaders(target));
  const ms = performance.now() - started;
  expectStatus(response, 200, `${target.name} GET ${url}`);
  const page = JSON.parse(response.body.toString('utf8')) as EnvelopePage;
  return { ms, page, headers: response.headers };
}

export function objectsQuery(target: TaxiiTarget, query: Record<string, string>): string {
  return withQuery(target.objectsUrl, query);
}

export interface Timing {
  median: number;
  p90: number;
  max: number;
  samples: number;
}

export function timing(values: number[]): Timing {
  return { median: quantile(values, 0.5), p90: quantile(values, 0.9), max: values.reduce((a, b) => Math.max(a, b), 0), samples: values.length };
}

/**
 * Times each URL `repeats` times, the URLs taking turns so that none profits from a cache the
 * other warmed; one untimed request each first. `check` sees every answer (e.g. a full page).
 */
export async function timeUrls(target: TaxiiTarget, urls: string[], repeats: number, check?: (index: number, page: EnvelopePage) => void): Promise<Timing[]> {
  const samples: number[][] = urls.map(() => []);
  for (const url of urls) await timedGet(target, url);
  for (let i = 0; i < repeats; i += 1) {
    for (const [index, url] of urls.entries()) {
      const { ms, page } = await timedGet(target, url);
      check?.(index, page);
      samples[index]?.push(ms);
    }
  }
  return samples.map(timing);
}

/** A TAXII timestamp (six fractional digits) from epoch microseconds. */
export function taxiiTimestamp(micros: number): string {
  const millis = Math.floor(micros / 1000);
  return `${new Date(millis).toISOString().slice(0, 23)}${String(micros - millis * 1000).padStart(3, '0')}Z`;
}
