/**
 * Cuts a stream of serialized STIX objects into TAXII envelopes (§3.7) that each fit the API root's
 * `max_content_length` (§4.2: a larger request is refused with 413). Sizes are counted in UTF-8 bytes
 * of exactly the text that is posted, so an envelope never passes the limit by a multi-byte character.
 */

const HEAD = '{"objects":[';
const TAIL = ']}';
/** Bytes of an envelope around its objects: the head, the tail (both ASCII). */
export const ENVELOPE_OVERHEAD_BYTES = HEAD.length + TAIL.length;

export interface Envelope {
  /** The request body, ready to post. */
  body: string;
  /** Its size in bytes, at most the limit. */
  bytes: number;
  /** The ids of its objects, in order (a failure found later is reported with them). */
  ids: string[];
}

export interface EnvelopeLimits {
  /** The API root's max_content_length, or less. */
  maxBytes: number;
  /** At most this many objects in one envelope, so that one request stays short even on a slow server. */
  maxObjects: number;
}

export class EnvelopeSplitter {
  private parts: string[] = [];
  private ids: string[] = [];
  private bytes = ENVELOPE_OVERHEAD_BYTES;

  constructor(private readonly limits: EnvelopeLimits) {
    if (!(limits.maxObjects >= 1)) throw new RangeError('maxObjects must be at least 1');
    if (limits.maxBytes < ENVELOPE_OVERHEAD_BYTES + 2) throw new RangeError(`maxBytes must be at least ${ENVELOPE_OVERHEAD_BYTES + 2}`);
  }

  /** The largest serialized object an envelope can carry alone. */
  get maxObjectBytes(): number {
    return this.limits.maxBytes - ENVELOPE_OVERHEAD_BYTES;
  }

  /**
   * Adds one serialized object, whose byte length the caller has measured. Returns the envelope it
   * closed, when the object did not fit with the ones before it. An object larger than
   * `maxObjectBytes` can never be posted: the caller must reject it before calling this.
   */
  add(id: string, json: string, jsonBytes: number): Envelope | undefined {
    if (jsonBytes > this.maxObjectBytes) throw new RangeError(`object ${id} is ${jsonBytes} bytes, more than an envelope can carry (${this.maxObjectBytes})`);
    // One comma joins it to the previous object.
    const added = this.ids.length === 0 ? jsonBytes : jsonBytes + 1;
    let closed: Envelope | undefined;
    if (this.ids.length >= this.limits.maxObjects || this.bytes + added > this.limits.maxBytes) closed = this.flush();
    this.bytes += this.ids.length === 0 ? jsonBytes : jsonBytes + 1;
    this.parts.push(json);
    this.ids.push(id);
    return closed;
  }

  /** The envelope being filled, if it holds anything; the splitter starts a new one. */
  flush(): Envelope | undefined {
    if (this.ids.length === 0) return undefined;
    const envelope: Envelope = { body: `${HEAD}${this.parts.join(',')}${TAIL}`, bytes: this.bytes, ids: this.ids };
    this.parts = [];
    this.ids = [];
    this.bytes = ENVELOPE_OVERHEAD_BYTES;
    return envelope;
  }
}
