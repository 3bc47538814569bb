import { isTaxii21ContentType, TAXII_MEDIA_TYPE } from '../taxii/media-types';
import { parseRetryAfter } from './backoff';

/** Why a request to a feed's remote failed; every kind is retried with back-off (feed-poller.ts). */
export type RemoteFailureKind = 'network' | 'timeout' | 'rate-limited' | 'server' | 'client' | 'garbage';

export class RemoteFailure extends Error {
  constructor(
    readonly kind: RemoteFailureKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RemoteFailure';
  }
}

/** One page of a remote collection's objects (TAXII 2.1 §5.4), with the headers that place it in date_added order. */
export interface RemotePage {
  objects: unknown[];
  more: boolean;
  next?: string;
  /** X-TAXII-Date-Added-Last: the date_added of the newest object in the page, as the remote keeps it. */
  dateAddedLast?: string;
}

export interface RemoteCall {
  authorization?: string;
  timeoutMs: number;
  /** Aborted when the server shuts down. */
  signal?: AbortSignal;
}

export interface PageRequest {
  addedAfter?: string;
  types?: string[];
  limit: number;
  next?: string;
}

/** The largest answer read from a remote: a page of objects far over this is a remote gone wrong, not data. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

// Errors raised inside fetch may come from another realm (a test runner's sandbox), so they are
// read by their fields rather than by instanceof.
function fieldOf(value: unknown, field: 'name' | 'message' | 'code' | 'cause'): unknown {
  return typeof value === 'object' && value !== null && field in value ? (value as Record<string, unknown>)[field] : undefined;
}

function nameOf(error: unknown): string | undefined {
  const name = fieldOf(error, 'name');
  return typeof name === 'string' ? name : undefined;
}

/** fetch says only "fetch failed"; the socket's error code (ECONNREFUSED, ENOTFOUND, ECONNRESET) is in its cause. */
function causeOf(error: unknown): string {
  const cause = fieldOf(error, 'cause') ?? error;
  const code = fieldOf(cause, 'code');
  const message = fieldOf(cause, 'message');
  const text = [typeof code === 'string' ? code : '', typeof message === 'string' ? message : ''].filter((part) => part !== '').join(' ');
  return text || String(error);
}

function describe(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

async function getJson(url: string, call: RemoteCall): Promise<{ body: Record<string, unknown>; headers: Headers }> {
  const signals = [AbortSignal.timeout(call.timeoutMs), ...(call.signal ? [call.signal] : [])];
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: TAXII_MEDIA_TYPE, ...(call.authorization !== undefined && { Authorization: call.authorization }) },
      signal: AbortSignal.any(signals),
      redirect: 'error',
    });
  } catch (error) {
    if (call.signal?.aborted) throw error;
    if (nameOf(error) === 'TimeoutError' || nameOf(error) === 'AbortError') throw new RemoteFailure('timeout', `no answer from ${url} within ${call.timeoutMs} ms`);
    throw new RemoteFailure('network', `cannot reach ${url}: ${causeOf(error)}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (call.signal?.aborted) throw error;
    if (nameOf(error) === 'TimeoutError' || nameOf(error) === 'AbortError') throw new RemoteFailure('timeout', `no complete answer from ${url} within ${call.timeoutMs} ms`);
    throw new RemoteFailure('network', `the answer from ${url} was cut off: ${causeOf(error)}`);
  }
  if (response.status === 429) {
    throw new RemoteFailure('rate-limited', `${url} answered 429 Too Many Requests`, 429, parseRetryAfter(response.headers.get('retry-after'), Date.now()));
  }
  if (response.status >= 500) {
    throw new RemoteFailure('server', `${url} answered ${response.status}: ${describe(text)}`, response.status, parseRetryAfter(response.headers.get('retry-after'), Date.now()));
  }
  if (response.status !== 200) throw new RemoteFailure('client', `${url} answered ${response.status}: ${describe(text)}`, response.status);
  if (Buffer.byteLength(text) > MAX_ANSWER_BYTES) throw new RemoteFailure('garbage', `${url} answered more than ${MAX_ANSWER_BYTES} bytes`);
  // TAXII 2.1 §1.6.8: a TAXII answer is application/taxii+json; anything else is a proxy's error page or another service.
  if (!isTaxii21ContentType(response.headers.get('content-type') ?? undefined)) {
    throw new RemoteFailure('garbage', `${url} answered ${response.headers.get('content-type') ?? 'no Content-Type'} instead of ${TAXII_MEDIA_TYPE}: ${describe(text)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RemoteFailure('garbage', `${url} answered text that is not JSON: ${describe(text)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RemoteFailure('garbage', `${url} answered JSON that is not an object`);
  return { body: body as Record<string, unknown>, headers: response.headers };
}

/** GET a collection's objects/ with `added_after`, `match[type]`, `match[version]=all`, `limit` and `next` (TAXII 2.1 §5.4). */
export async function fetchObjectsPage(objectsUrl: string, request: PageRequest, call: RemoteCall): Promise<RemotePage> {
  const url = new URL(objectsUrl);
  if (request.addedAfter !== undefined) url.searchParams.set('added_after', request.addedAfter);
  if (request.types !== undefined) url.searchParams.set('match[type]', request.types.join(','));
  // Every version, not only the latest (TAXII 2.1 §3.4.2): an object updated twice between two
  // polls keeps both versions here, as it does upstream.
  url.searchParams.set('match[version]', 'all');
  url.searchParams.set('limit', String(request.limit));
  if (request.next !== undefined) url.searchParams.set('next', request.next);
  const { body, headers } = await getJson(url.toString(), call);
  const objects = body.objects ?? [];
  if (!Array.isArray(objects)) throw new RemoteFailure('garbage', `${objectsUrl}: the envelope's objects is not a list`);
  if (body.more !== undefined && typeof body.more !== 'boolean') throw new RemoteFailure('garbage', `${objectsUrl}: the envelope's more is not a boolean`);
  if (body.next !== undefined && typeof body.next !== 'string') throw new RemoteFailure('garbage', `${objectsUrl}: the envelope's next is not a string`);
  const dateAddedLast = headers.get('x-taxii-date-added-last') ?? undefined;
  return {
    objects,
    more: body.more === true,
    ...(typeof body.next === 'string' && body.next !== '' && { next: body.next }),
    ...(dateAddedLast !== undefined && { dateAddedLast }),
  };
}

const COLLECTION_URL = /\/collections\/[^/]+\/?$/;

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The objects/ URL of a feed's remote collection. A collection URL is used as it is; a discovery URL
 * (TAXII 2.1 §4.1) leads to its default API root (or its only one), and an API root URL is used as
 * the root. Answers `url` relative to the document that named it.
 */
export async function resolveObjectsUrl(url: string, remoteCollection: string | undefined, call: RemoteCall): Promise<string> {
  if (COLLECTION_URL.test(url)) return `${withSlash(url)}objects/`;
  if (remoteCollection === undefined) throw new RemoteFailure('client', `${url} is not a collection URL and the feed names no collection`);
  const { body } = await getJson(withSlash(url), call);
  let root = withSlash(url);
  if (Array.isArray(body.api_roots)) {
    const named = typeof body.default === 'string' ? body.default : body.api_roots.length === 1 ? body.api_roots[0] : undefined;
    if (typeof named !== 'string') throw new RemoteFailure('client', `${url} is a discovery resource with several API roots and no default: name an API root URL instead`);
    root = withSlash(new URL(named, withSlash(url)).toString());
  }
  return `${root}collections/${encodeURIComponent(remoteCollection)}/objects/`;
}
