/** TAXII 2.1 §1.6.8 media types and RFC 7231 Accept/Content-Type matching. */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

interface MediaRange {
  type: string;
  subtype: string;
  params: Map<string, string>;
  quality: number;
}

function parseMediaRange(text: string): MediaRange | undefined {
  const [essence = '', ...rawParams] = text.split(';');
  const [type, subtype] = essence.trim().toLowerCase().split('/');
  if (!type || !subtype) return undefined;
  const params = new Map<string, string>();
  let quality = 1;
  for (const raw of rawParams) {
    const separator = raw.indexOf('=');
    if (separator < 0) continue;
    const name = raw.slice(0, separator).trim().toLowerCase();
    const value = raw.slice(separator + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name === 'q') quality = Number(value);
    else params.set(name, value.toLowerCase());
  }
  return { type, subtype, params, quality: Number.isFinite(quality) ? quality : 0 };
}

function isVersion21(range: MediaRange): boolean {
  const version = range.params.get('version');
  return version === undefined || version === '2.1';
}

/**
 * Whether the Accept header lets us answer with TAXII 2.1. A missing header and wildcards mean
 * "anything"; a taxii+json range without a version means the newest, which is 2.1 (§1.6.8.1).
 * The manifest endpoint also lists the STIX type as acceptable (§5.3).
 */
export function acceptsTaxii21(accept: string | undefined, alsoStix = false): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const part of accept.split(',')) {
    const range = parseMediaRange(part);
    if (!range || range.quality <= 0) continue;
    if (range.type === '*' && range.subtype === '*') return true;
    if (range.type !== 'application') continue;
    if (range.subtype === '*') return true;
    if (range.subtype === 'taxii+json' && isVersion21(range)) return true;
    if (alsoStix && range.subtype === 'stix+json' && isVersion21(range)) return true;
  }
  return false;
}

/** POST bodies must be TAXII 2.1 (§5.5); `charset=utf-8` is tolerated, any other charset is not. */
export function isTaxii21ContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const range = parseMediaRange(contentType);
  if (!range || range.type !== 'application' || range.subtype !== 'taxii+json' || !isVersion21(range)) return false;
  const charset = range.params.get('charset');
  return charset === undefined || charset === 'utf-8';
}
