import type { Request, Response } from 'express';
import { InvalidBody, PayloadTooLarge } from '../errors';
import { closeAfterResponse } from './lingering-close';

/**
 * How many bytes past max_content_length are still read (and thrown away) so that the 413 can be
 * answered on a connection that stays usable: HTTP/1.1 can only reuse a connection once the whole
 * request has been read (RFC 9112 §9.3). Past this bound, or after DRAIN_TIMEOUT_MS, reading the
 * rest costs more than opening a new connection does, so the answer says `Connection: close`.
 */
export const DRAIN_LIMIT_BYTES = 1024 * 1024;
const DRAIN_TIMEOUT_MS = 5000;

/**
 * Reads and parses a JSON body while counting bytes against the API root's max_content_length:
 * the header is checked first, and the streamed bytes too, because a chunked body has no
 * Content-Length (checklist B-02). A body of exactly the limit is accepted (B-01). An oversize
 * body never breaks the connection under the client, so the 413 of B-02 reaches it: it is drained up to a bound,
 * or the 413 says `Connection: close` and the connection is closed in stages.
 */
export async function readJsonBody(req: Request, res: Response, maxBytes: number): Promise<unknown> {
  const outcome = await receive(req, maxBytes);
  if (outcome === 'drained') throw new PayloadTooLarge(maxBytes);
  if (outcome === 'abandoned') {
    closeAfterResponse(req, res);
    throw new PayloadTooLarge(maxBytes);
  }
  const text = outcome.toString('utf8');
  if (text.trim() === '') throw new InvalidBody('The request body is empty.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidBody(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The whole body; or 'drained' when it was too large but read to its end; or 'abandoned' when it
 * was too large and the rest will not be read. Listeners rather than `for await`: leaving a
 * `for await` early destroys the request, and with it the socket, under a response in flight.
 */
function receive(req: Request, maxBytes: number): Promise<Buffer | 'drained' | 'abandoned'> {
  const declared = Number(req.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes + DRAIN_LIMIT_BYTES) return Promise.resolve('abandoned');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: Buffer | 'drained' | 'abandoned' | Error) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const overflow = () => {
      tooLarge = true;
      chunks.length = 0;
      timer = setTimeout(() => finish('abandoned'), DRAIN_TIMEOUT_MS);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (!tooLarge && received > maxBytes) overflow();
      if (!tooLarge) chunks.push(chunk);
      else if (received > maxBytes + DRAIN_LIMIT_BYTES) finish('abandoned');
    };
    const onEnd = () => finish(tooLarge ? 'drained' : Buffer.concat(chunks));
    // The client went away mid-body: nobody will read the answer, but it must still not be a 5xx.
    const onAborted = () => finish(new InvalidBody('The request body was not received completely.'));
    const onError = onAborted;
    if (Number.isFinite(declared) && declared > maxBytes) overflow();
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}
