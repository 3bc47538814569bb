import type { Request } from 'express';
import { InvalidBody, PayloadTooLarge } from '../errors';

/**
 * Reads and parses a JSON body while counting bytes against the API root's max_content_length:
 * the header is checked first, and the streamed bytes too, because a chunked body has no
 * Content-Length (checklist B-02). A body of exactly the limit is accepted (B-01).
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(req.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new PayloadTooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) {
      req.resume();
      throw new PayloadTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new InvalidBody('The request body is empty.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidBody(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}
