import { EnvelopeSplitter, type Envelope } from '../../server/taxii/envelope-splitter';
import type { InputSource } from './inputs';
import { jsonItems } from './json-items';
import type { ProgressDisplay } from './progress';
import type { PublishTarget } from './resolve-target';
import { Semaphore } from './semaphore';
import { isSettled, parseStatus, type StatusResource } from '../../server/taxii/status-reader';
import { waitForStatus } from './status';
import { TaxiiRequestError, type TaxiiConnection } from './taxii-http';

/** One object that was not stored, and why: from a status resource, or found before sending. */
export interface Failure {
  id: string;
  version?: string;
  message: string;
}

export interface PublishSettings {
  concurrency: number;
  /** At most this many objects per envelope. */
  maxObjects: number;
  /** Envelope size limit: the API root's max_content_length, or less if asked. */
  maxBytes: number;
  /** How long to wait, in all, for statuses still pending once everything is sent. */
  statusTimeoutMs: number;
  statusFirstDelayMs: number;
  statusMaxDelayMs: number;
}

export interface PublishResult {
  /** Objects read from the input. */
  read: number;
  /** Objects in envelopes the server acknowledged. */
  sent: number;
  success: number;
  failure: number;
  /** Still pending on the server when the wait ended. */
  pending: number;
  /** Read but never acknowledged, because the command stopped. */
  notSent: number;
  envelopes: number;
  /** Messages that came with successes (warnings, "already held"), with how many objects each. */
  notes: Map<string, number>;
  elapsedMs: number;
  /** Why the command stopped before the end of the input, if it did. */
  stoppedBy?: string;
}

interface Counts {
  success: number;
  failure: number;
  pending: number;
}

const MAX_DISTINCT_NOTES = 20;

function stixId(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const { id } = item as { id?: unknown };
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Statuses the server sent back for a whole envelope that say "this request is wrong", not "try later" or "you may not". */
function refusesEnvelope(error: unknown): error is TaxiiRequestError {
  return error instanceof TaxiiRequestError && (error.status === 400 || error.status === 422);
}

/**
 * Reads the inputs one object at a time, cuts them into envelopes under the size limit, posts them
 * with at most `concurrency` requests in flight, follows each status until no object is pending, and
 * adds up the outcome. Nothing is kept per object except failures, so memory does not grow with the input.
 */
export class Publisher {
  private readonly result: PublishResult = { read: 0, sent: 0, success: 0, failure: 0, pending: 0, notSent: 0, envelopes: 0, notes: new Map(), elapsedMs: 0 };
  private readonly started = Date.now();
  private readonly postSlots: Semaphore;
  /** Envelopes acknowledged but not settled: bounded, so a server that queues does not get the whole input at once. */
  private readonly unsettledSlots: Semaphore;
  private readonly inFlight = new Set<Promise<void>>();
  private fatal: Error | undefined;
  private statusDeadline = Number.POSITIVE_INFINITY;

  constructor(
    private readonly connection: TaxiiConnection,
    private readonly target: PublishTarget,
    private readonly settings: PublishSettings,
    private readonly progress: ProgressDisplay,
    private readonly onFailure: (failure: Failure) => void,
    /** True once the user asked to stop (Ctrl-C): nothing more is read or sent. */
    private readonly stopped: () => boolean,
    private readonly total?: number,
  ) {
    this.postSlots = new Semaphore(settings.concurrency);
    this.unsettledSlots = new Semaphore(settings.concurrency * 4);
  }

  async run(inputs: InputSource[]): Promise<PublishResult> {
    const splitter = new EnvelopeSplitter({ maxBytes: this.settings.maxBytes, maxObjects: this.settings.maxObjects });
    let reading = '';
    try {
      reading: for (const input of inputs) {
        reading = input.name;
        let position = 0;
        for await (const item of jsonItems(input.open())) {
          if (this.fatal || this.stopped()) break reading;
          position += 1;
          this.result.read += 1;
          const id = stixId(item);
          if (id === undefined) {
            this.fail({ id: `${input.name}#${position}`, message: 'not a STIX object: it is not a JSON object with an id' });
            continue;
          }
          const json = JSON.stringify(item);
          const bytes = Buffer.byteLength(json);
          if (bytes > splitter.maxObjectBytes) {
            this.fail({ id, message: `${bytes} bytes: larger than the API root's max_content_length (${this.target.maxContentLength}) allows in one envelope` });
            continue;
          }
          const envelope = splitter.add(id, json, bytes);
          if (envelope) await this.dispatch(envelope);
        }
      }
    } catch (error) {
      // Unreadable input (bad JSON, a truncated file): what was sent stays sent; the rest is reported.
      this.fatal ??= new Error(`${reading}: ${(error as Error).message}`);
    }
    const last = splitter.flush();
    if (last) {
      if (this.fatal || this.stopped()) this.result.notSent += last.ids.length;
      else await this.dispatch(last);
    }
    // Once everything is sent, statuses still pending get statusTimeoutMs in all.
    this.statusDeadline = Date.now() + this.settings.statusTimeoutMs;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    this.result.elapsedMs = Date.now() - this.started;
    if (this.fatal) this.result.stoppedBy = this.fatal.message;
    else if (this.stopped()) this.result.stoppedBy = 'interrupted';
    return this.result;
  }

  private fail(failure: Failure): void {
    this.result.failure += 1;
    this.onFailure(failure);
    this.show();
  }

  private show(): void {
    const { sent, success, failure, pending } = this.result;
    this.progress.update({ sent, success, failure, pending, ...(this.total !== undefined && { total: this.total }) });
  }

  private async dispatch(envelope: Envelope): Promise<void> {
    await this.unsettledSlots.acquire();
    await this.postSlots.acquire();
    this.result.envelopes += 1;
    const number = this.result.envelopes;
    const task = this.deliver(envelope, number).finally(() => {
      this.unsettledSlots.release();
      this.inFlight.delete(task);
    });
    this.inFlight.add(task);
  }

  private async deliver(envelope: Envelope, number: number): Promise<void> {
    const what = `envelope ${number} (${envelope.ids.length} objects, ${envelope.bytes} bytes)`;
    let status: StatusResource;
    try {
      if (this.fatal) {
        this.result.notSent += envelope.ids.length;
        return;
      }
      const answer = await this.connection.postJson(this.target.objectsUrl, envelope.body, what);
      status = parseStatus(answer.json, what);
    } catch (error) {
      if (refusesEnvelope(error)) {
        // The server refused the request as a whole: every object in it failed for that reason.
        for (const id of envelope.ids) this.fail({ id, message: `the server refused the whole envelope: ${error.message}` });
        return;
      }
      this.result.notSent += envelope.ids.length;
      // The first fatal error is the one to report; the others are its echoes from concurrent requests.
      this.fatal ??= error as Error;
      return;
    } finally {
      this.postSlots.release();
    }
    this.result.sent += envelope.ids.length;
    let counted: Counts = { success: 0, failure: 0, pending: 0 };
    const count = (next: StatusResource) => {
      this.result.success += next.success - counted.success;
      this.result.failure += next.failure - counted.failure;
      this.result.pending += next.pending - counted.pending;
      counted = { success: next.success, failure: next.failure, pending: next.pending };
      this.show();
    };
    count(status);
    if (!isSettled(status)) {
      const statusUrl = new URL(`status/${encodeURIComponent(status.id)}/`, this.target.apiRootUrl);
      try {
        status = await waitForStatus(this.connection, statusUrl, status, {
          deadline: () => this.statusDeadline,
          firstDelayMs: this.settings.statusFirstDelayMs,
          maxDelayMs: this.settings.statusMaxDelayMs,
          onUpdate: count,
          stopped: this.stopped,
        });
      } catch (error) {
        // The objects were delivered; only their outcome is unknown, so this stops nothing else.
        this.progress.note(`${what}: could not follow status ${status.id}: ${(error as Error).message}`);
      }
    }
    this.report(status, what);
  }

  /** Failures and notes of a status as it stands at the end of its wait. */
  private report(status: StatusResource, what: string): void {
    for (const failure of status.failures) this.onFailure({ id: failure.id, ...(failure.version !== undefined && { version: failure.version }), message: failure.message ?? 'no reason given' });
    if (status.failure > status.failures.length) {
      this.progress.note(`${what}: status ${status.id} counts ${status.failure} failures but details only ${status.failures.length}`);
    }
    for (const note of status.notes) {
      const message = note.message ?? '';
      const key = this.result.notes.has(message) || this.result.notes.size < MAX_DISTINCT_NOTES ? message : '(other messages)';
      this.result.notes.set(key, (this.result.notes.get(key) ?? 0) + 1);
    }
  }
}
