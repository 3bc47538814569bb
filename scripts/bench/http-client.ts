import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * A minimal keep-alive HTTP client for loopback only: the same client drives our server and
 * medallion, so neither side is favoured by client overhead.
 */

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// One socket per concurrent client of the mix (concurrency.ts), so none waits for a socket instead of the server.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

export function httpCall(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string | Buffer): Promise<HttpResponse> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') return Promise.reject(new Error(`the benchmark only talks to 127.0.0.1, not ${target.hostname}`));
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = httpRequest(
      {
        agent,
        method,
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: payload ? { ...headers, 'Content-Length': String(payload.length) } : headers,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} took longer than ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function closeHttpAgent(): void {
  agent.destroy();
}
