import type { Response } from 'express';
import { TAXII_MEDIA_TYPE } from '../taxii/media-types';

/**
 * Sends a TAXII resource. The body goes out as a Buffer because `res.send(string)`/`res.json`
 * would rewrite the Content-Type to add a charset and reorder its parameters (checklist Z-02).
 */
export function sendTaxii(res: Response, status: number, body: string | object | undefined, headers: Record<string, string> = {}): void {
  res.status(status);
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined) {
    res.end();
    return;
  }
  res.end(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
}
