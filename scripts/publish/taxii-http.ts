import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isRetryableStatus, isTransientNetworkError, parseRetryAfter, retryDelayMs, type RetryPolicy } from '../../server/taxii/retry-policy';
import { describeErrorBody } from '../../server/taxii/error-sentence';

/**
 * HTTP for a TAXII 2.1 client, over node:http/https rather than fetch: fetch cannot be given a CA
 * file (`--ca`) without a dispatcher from undici, which is not installed. Keep-alive agents carry the
 * concurrent posts over a few reused connections.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' };

export interface ConnectionOptions {
  credentials: Credentials;
  /** PEM certificates to trust besides the system's, for a server with a private CA. */
  ca?: Buffer;
  /** A request with no byte moving for this long is abandoned (and retried). */
  timeoutMs: number;
  retry: RetryPolicy;
  maxSockets: number;
  /** Told of each retry, for the person watching. */
  onRetry?: (note: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request that failed for good: after its retries, or at once when retrying could not help. */
export class TaxiiRequestError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'TaxiiRequestError';
  }
}

/** The server refused the credentials: nothing else will work, so the command stops at once. */
export class AuthenticationError extends TaxiiRequestError {
  constructor(message: string) {
    super(message, 401);
    this.name = 'AuthenticationError';
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}


export class TaxiiConnection {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ConnectionOptions) {
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets, ...(options.ca && { ca: options.ca }) });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** GET of a TAXII resource; `what` names it in messages ("the API root", "status 1234"). */
  async getJson(url: URL, what: string): Promise<unknown> {
    return (await this.exchange('GET', url, what)).json;
  }

  /** POST of an envelope; the answer's status code is returned with it (202 is success, §5.5). */
  async postJson(url: URL, body: string, what: string): Promise<{ status: number; json: unknown }> {
    return this.exchange('POST', url, what, body);
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async exchange(method: 'GET' | 'POST', url: URL, what: string, body?: string): Promise<{ status: number; json: unknown }> {
    const { retry } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      let response: RawResponse;
      try {
        response = await this.send(method, url, body);
      } catch (error) {
        const code = errorCode(error);
        const reason = `${(error as Error).message}${code && !(error as Error).message.includes(code) ? ` (${code})` : ''}`;
        if (code && TLS_CODES.test(code)) {
          throw new TaxiiRequestError(`${what}: TLS: ${reason} at ${url.origin}; if the server's certificate comes from a private CA, give that CA with --ca FILE`);
        }
        if (!isTransientNetworkError(code) || attempt >= retry.retries) {
          throw new TaxiiRequestError(`${what}: ${method} ${url.href} failed: ${reason}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`);
        }
        await this.wait(attempt + 1, undefined, `${what}: ${reason}`);
        continue;
      }
      if (response.status >= 200 && response.status < 300) return { status: response.status, json: this.parse(response, what) };
      if (isRetryableStatus(response.status) && attempt < retry.retries) {
        const retryAfter = parseRetryAfter(headerValue(response.headers['retry-after']), Date.now());
        await this.wait(attempt + 1, retryAfter, `${what}: HTTP ${response.status}`);
        continue;
      }
      throw this.failure(method, url, what, response, attempt);
    }
  }

  private async wait(retry: number, retryAfterMs: number | undefined, why: string): Promise<void> {
    const delay = retryDelayMs(retry, this.options.retry, retryAfterMs);
    this.options.onRetry?.(`${why}; retrying in ${(delay / 1000).toFixed(1)} s (retry ${retry} of ${this.options.retry.retries})`);
    await this.sleep(delay);
  }

  private parse(response: RawResponse, what: string): unknown {
    if (response.status === 204 || response.body === '') return undefined;
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      throw new TaxiiRequestError(`${what}: the server answered ${response.status} with a body that is not JSON`, response.status);
    }
  }

  private failure(method: string, url: URL, what: string, response: RawResponse, attempt: number): TaxiiRequestError {
    const { status } = response;
    const detail = describeErrorBody(response.body);
    const tries = attempt > 0 ? ` after ${attempt + 1} attempts` : '';
    if (status === 401) {
      const given = this.options.credentials.kind === 'none' ? 'the server requires credentials: give --user with --password-stdin, or --token' : 'check --user and the password given on stdin, or --token';
      return new AuthenticationError(`authentication failed (HTTP 401) at ${url.origin}: ${given}`);
    }
    if (status >= 300 && status < 400) {
      return new TaxiiRequestError(`${what}: the server redirects ${url.href} to ${headerValue(response.headers.location) ?? '?'} (HTTP ${status}); give that URL instead`, status);
    }
    // A proxy in front of the server may allow less than the API root announces.
    const hint = status === 413 ? '; if a proxy sits in front of the server, lower the envelope size with --max-bytes' : '';
    return new TaxiiRequestError(`${what}: ${method} ${url.href} answered HTTP ${status}${detail ? ` (${detail})` : ''}${tries}${hint}`, status);
  }

  private send(method: 'GET' | 'POST', url: URL, body?: string): Promise<RawResponse> {
    const headers: Record<string, string | number> = { Accept: TAXII_MEDIA_TYPE };
    const { credentials } = this.options;
    if (credentials.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    if (credentials.kind === 'bearer') headers.Authorization = `Bearer ${credentials.token}`;
    if (body !== undefined) {
      headers['Content-Type'] = TAXII_MEDIA_TYPE;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = send(url, { method, headers, agent: secure ? this.httpsAgent : this.httpAgent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('aborted', () => reject(Object.assign(new Error('the connection closed mid-answer'), { code: 'ECONNRESET' })));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      outgoing.setTimeout(this.options.timeoutMs, () => {
        outgoing.destroy(Object.assign(new Error(`no answer within ${Math.round(this.options.timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
