import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to the next POST instead of passing it on. */
export type PostFault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'drop' }
  | { kind: 'pending' }
  /** 200 with a body that is no TAXII resource, as a captive portal or a misrouted proxy answers. */
  | { kind: 'garbage' }
  /** Passed on after this long: a slow server, or one a client gives up on before it answers. */
  | { kind: 'delay'; ms: number };

/**
 * What the proxy does to the next GET instead of (or before) passing it on: an error status, a dropped
 * connection, an answer that is not TAXII, or a delay. `onlyWithNext` leaves GETs without a `next`
 * parameter alone, as a remote that restarted and forgot its paging sessions would.
 */
export type GetFault = (
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'drop' }
  | { kind: 'garbage'; contentType: string; body: string }
  | { kind: 'delay'; ms: number }
) & { onlyWithNext?: boolean };

export interface SeenRequest {
  method: string;
  url: string;
  bytes: number;
  /** What reached the client: the server's status, the injected one, or 0 for a dropped connection. */
  answered: number;
}

export interface FaultProxy {
  origin: string;
  seen: SeenRequest[];
  /** Faults for the coming GETs, in order; a test may push more at any time. */
  getFaults: GetFault[];
  close(): Promise<void>;
}

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * A status resource as a server that ingests asynchronously (TAXII 2.1 §4.3) would first answer it:
 * every object pending. The real server's status URL, which the client then polls, has the outcome.
 */
function asPending(body: Buffer): Buffer {
  const status = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  const details = [...((status.successes as unknown[] | undefined) ?? []), ...((status.failures as unknown[] | undefined) ?? [])]
    .map((detail) => ({ id: (detail as { id: string }).id, version: (detail as { version: string }).version }));
  const pending: Record<string, unknown> = { ...status, status: 'pending', success_count: 0, failure_count: 0, pending_count: status.total_count, pendings: details };
  delete pending.successes;
  delete pending.failures;
  return Buffer.from(JSON.stringify(pending));
}

function withoutLength(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  delete copy['content-length'];
  delete copy['transfer-encoding'];
  return copy;
}

/**
 * A real HTTP proxy in front of the real server that records every request and, for the POSTs
 * listed in `faults` (in order), answers an error, drops the connection or turns the answer into a
 * pending status, answers garbage or answers late, the way an overloaded server, a restarting one,
 * an asynchronous one or something misrouted in between behaves.
 */
export async function startFaultProxy(target: string, faults: PostFault[] = []): Promise<FaultProxy> {
  const seen: SeenRequest[] = [];
  const pendingFaults = [...faults];
  const getFaults: GetFault[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const record: SeenRequest = { method: req.method ?? '', url: req.url ?? '', bytes: body.length, answered: 0 };
      seen.push(record);
      const nextGetFault = getFaults[0];
      const getFault = req.method === 'GET' && nextGetFault && (!nextGetFault.onlyWithNext || /[?&]next=/.test(req.url ?? '')) ? getFaults.shift() : undefined;
      if (getFault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (getFault?.kind === 'status') {
        record.answered = getFault.status;
        res.writeHead(getFault.status, { 'Content-Type': 'application/taxii+json;version=2.1', ...(getFault.retryAfter !== undefined && { 'Retry-After': getFault.retryAfter }) });
        res.end(JSON.stringify({ title: 'injected by the test proxy' }));
        return;
      }
      if (getFault?.kind === 'garbage') {
        record.answered = 200;
        res.writeHead(200, { 'Content-Type': getFault.contentType });
        res.end(getFault.body);
        return;
      }
      if (getFault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, getFault.ms));
      if (req.socket.destroyed) return;
      const fault = req.method === 'POST' ? pendingFaults.shift() : undefined;
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'garbage') {
        record.answered = 200;
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html><body>Welcome to the hotel network</body></html>');
        return;
      }
      if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (fault?.kind === 'status') {
        record.answered = fault.status;
        res.writeHead(fault.status, { 'Content-Type': 'application/taxii+json;version=2.1', ...(fault.retryAfter !== undefined && { 'Retry-After': fault.retryAfter }) });
        res.end(JSON.stringify({ title: 'Service Unavailable', description: 'injected by the test proxy' }));
        return;
      }
      const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, async (answer) => {
        let answerBody = await readBody(answer);
        record.answered = answer.statusCode ?? 0;
        if (fault?.kind === 'pending' && answer.statusCode === 202) answerBody = asPending(answerBody);
        res.writeHead(answer.statusCode ?? 502, { ...withoutLength(answer.headers), 'content-length': String(answerBody.length) });
        res.end(answerBody);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    getFaults,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
