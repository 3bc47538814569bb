import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseRetryAfter } from '../taxii/retry-policy';
import { parseStatus, type StatusResource } from '../taxii/status-reader';
import { describeErrorBody } from '../taxii/error-sentence';

const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The most of an answer read: a status of a full envelope, with room; anything larger is not a TAXII answer to us. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * The remote did not answer as a TAXII 2.1 server should: down, slow, overloaded, or answering
 * garbage. The round stops and is tried again after a back-off (Retry-After when it gave one).
 */
export class RemoteError extends Error {
  constructor(message: string, readonly status?: number, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface RemoteEndpoints {
  /** The API root, derived from the collection URL (TAXII 2.1 §4.2 / §5.2 paths). */
  apiRootUrl: URL;
  objectsUrl: URL;
}

export function remoteEndpoints(collectionUrl: string): RemoteEndpoints {
  const url = new URL(collectionUrl);
  const match = /^(.*\/)collections\/[^/]+\/$/.exec(url.pathname);
  if (!match?.[1]) throw new RemoteError(`${collectionUrl} is not a TAXII collection URL (…/collections/<id>/)`);
  return { apiRootUrl: new URL(match[1], url), objectsUrl: new URL('objects/', url) };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}


export interface RemoteOptions {
  /** The Authorization header value, when the remote wants one. */
  authorization?: string;
  /** A request with no answer within this long is abandoned. */
  timeoutMs: number;
  /** Aborts every request in flight (the server is stopping). */
  signal: AbortSignal;
}

/** One remote TAXII 2.1 collection, as a push client sees it. No retries here: the pusher's back-off decides. */
export class PushRemote {
  readonly endpoints: RemoteEndpoints;

  constructor(collectionUrl: string, private readonly options: RemoteOptions) {
    this.endpoints = remoteEndpoints(collectionUrl);
  }

  /** The API root's max_content_length (TAXII 2.1 §4.2.1): no envelope may be larger. */
  async maxContentLength(): Promise<number> {
    const resource = await this.json('GET', this.endpoints.apiRootUrl, 'the API root');
    const limit = (resource as { max_content_length?: unknown } | undefined)?.max_content_length;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
      throw new RemoteError(`the API root ${this.endpoints.apiRootUrl.href} answered no max_content_length: not a TAXII 2.1 API root resource`);
    }
    return limit;
  }

  /** POSTs an envelope (TAXII 2.1 §5.5) and returns the status resource it was answered with. */
  async post(envelope: string): Promise<StatusResource> {
    const what = `POST ${this.endpoints.objectsUrl.href}`;
    return this.statusFrom(await this.json('POST', this.endpoints.objectsUrl, what, envelope), what);
  }

  /** GETs a status resource (TAXII 2.1 §4.3). */
  async status(id: string): Promise<StatusResource> {
    const url = new URL(`status/${encodeURIComponent(id)}/`, this.endpoints.apiRootUrl);
    return this.statusFrom(await this.json('GET', url, `status ${id}`), `status ${id}`);
  }

  private statusFrom(value: unknown, what: string): StatusResource {
    try {
      return parseStatus(value, what);
    } catch (error) {
      throw new RemoteError((error as Error).message);
    }
  }

  private async json(method: 'GET' | 'POST', url: URL, what: string, body?: string): Promise<unknown> {
    let answer: Answer;
    try {
      answer = await this.send(method, url, body);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new RemoteError(`${what}: ${(error as Error).message}${typeof code === 'string' && !(error as Error).message.includes(code) ? ` (${code})` : ''}`);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const retryAfter = parseRetryAfter(headerValue(answer.headers['retry-after']), Date.now());
      const detail = describeErrorBody(answer.body);
      throw new RemoteError(`${what} answered HTTP ${answer.status}${detail ? ` (${detail})` : ''}`, answer.status, retryAfter);
    }
    try {
      return JSON.parse(answer.body) as unknown;
    } catch {
      throw new RemoteError(`${what} answered HTTP ${answer.status} with a body that is not JSON: ${describeErrorBody(answer.body)}`, answer.status);
    }
  }

  private send(method: 'GET' | 'POST', url: URL, body?: string): Promise<Answer> {
    const headers: Record<string, string | number> = { Accept: TAXII_MEDIA_TYPE };
    if (this.options.authorization) headers.Authorization = this.options.authorization;
    if (body !== undefined) {
      headers['Content-Type'] = TAXII_MEDIA_TYPE;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      // No keep-alive agent: a push round is a few requests every interval, and no socket outlives the server's stop.
      const outgoing = send(url, { method, headers, agent: false, signal: this.options.signal }, (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) outgoing.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        incoming.on('error', reject);
        incoming.on('aborted', () => reject(new Error('the connection closed mid-answer')));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      outgoing.setTimeout(this.options.timeoutMs, () => outgoing.destroy(Object.assign(new Error(`no answer within ${this.options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
