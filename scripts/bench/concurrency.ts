import { performance } from 'node:perf_hooks';
import { httpCall } from './http-client';
import { quantile } from './taxii-workload';

/**
 * Several TAXII clients at once, each a different user with its own token, as SOC tools and
 * partner feeds hit a server: incremental `added_after` polls that follow their own watermark,
 * `match[type]=indicator` pages, and small posts. Responses are checked for their status and
 * headers but not parsed: on 2 cores the client's JSON.parse would take CPU from the server.
 */

export type MixKind = 'added_after poll' | 'match[type] page' | 'post of 10';

export interface MixClient {
  username: string;
  token: string;
}

export interface KindFigures {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface MixFigures {
  clients: number;
  seconds: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  byKind: Record<string, KindFigures>;
  /** The first few errors, for the log. */
  errorSamples: string[];
  mix: string;
}

const TAXII = 'application/taxii+json;version=2.1';
// Request i of each client: one post in four, and twice as many incremental polls as type pages.
const PLAN: readonly MixKind[] = ['added_after poll', 'match[type] page', 'added_after poll', 'post of 10'];

function figures(ms: number[], errors: number): KindFigures {
  return { requests: ms.length, errors, p50Ms: quantile(ms, 0.5), p99Ms: quantile(ms, 0.99), maxMs: ms.reduce((a, b) => Math.max(a, b), 0) };
}

export async function concurrentMix(options: {
  objectsUrl: string;
  clients: MixClient[];
  seconds: number;
  /** Where each poller's watermark starts (a TAXII timestamp). */
  addedAfter: string;
  /** The envelope of 10 new objects that client c sends as its n-th post. */
  envelope: (client: number, n: number) => string;
}): Promise<MixFigures> {
  const deadline = performance.now() + options.seconds * 1000;
  const samples = new Map<MixKind, number[]>();
  const errorsByKind = new Map<MixKind, number>();
  const errorSamples: string[] = [];
  const fail = (kind: MixKind, message: string) => {
    errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
    if (errorSamples.length < 5) errorSamples.push(`${kind}: ${message}`);
  };
  const started = performance.now();
  await Promise.all(
    options.clients.map(async (client, c) => {
      const headers = { Accept: TAXII, Authorization: `Bearer ${client.token}` };
      let watermark = options.addedAfter;
      let posts = 0;
      // Clients start at different points of the plan, so the kinds stay mixed at every moment.
      for (let i = c; performance.now() < deadline; i += 1) {
        const kind = PLAN[i % PLAN.length] ?? 'added_after poll';
        const requestStarted = performance.now();
        try {
          let response;
          if (kind === 'post of 10') {
            response = await httpCall('POST', options.objectsUrl, { ...headers, 'Content-Type': TAXII }, options.envelope(c, posts));
            posts += 1;
          } else if (kind === 'added_after poll') {
            response = await httpCall('GET', `${options.objectsUrl}?added_after=${encodeURIComponent(watermark)}&limit=1000`, headers);
          } else {
            response = await httpCall('GET', `${options.objectsUrl}?match%5Btype%5D=indicator&limit=100`, headers);
          }
          const ms = performance.now() - requestStarted;
          const expected = kind === 'post of 10' ? 202 : 200;
          if (response.status !== expected) {
            fail(kind, `HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
            continue;
          }
          const last = response.headers['x-taxii-date-added-last'];
          if (kind === 'added_after poll' && typeof last === 'string') watermark = last;
          const list = samples.get(kind) ?? [];
          list.push(ms);
          samples.set(kind, list);
        } catch (error) {
          fail(kind, error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const all = [...samples.values()].flat();
  const errors = [...errorsByKind.values()].reduce((a, b) => a + b, 0);
  const byKind: Record<string, KindFigures> = {};
  for (const kind of new Set(PLAN)) byKind[kind] = figures(samples.get(kind) ?? [], errorsByKind.get(kind) ?? 0);
  const overall = figures(all, errors);
  return {
    clients: options.clients.length,
    seconds,
    requests: all.length + errors,
    errors,
    requestsPerSecond: (all.length + errors) / seconds,
    p50Ms: overall.p50Ms,
    p99Ms: overall.p99Ms,
    maxMs: overall.maxMs,
    byKind,
    errorSamples,
    mix: 'per client, in turn: added_after poll (limit 1000, own watermark), match[type]=indicator page (limit 100), added_after poll, post of 10 new objects',
  };
}
