/** Reads a status resource (TAXII 2.1 §4.3.1) a remote server answered: what a client that posts envelopes needs of it. */

/** One object's outcome in a status resource (§4.3.1 status-details). */
export interface ObjectOutcome {
  id: string;
  version?: string;
  message?: string;
}

/** The parts of a TAXII 2.1 status resource (§4.3.1) a posting client reads. */
export interface StatusResource {
  id: string;
  status: 'complete' | 'pending';
  total: number;
  success: number;
  failure: number;
  pending: number;
  failures: ObjectOutcome[];
  /** Successes that carry a message: a server's warning, or "already held". */
  notes: ObjectOutcome[];
}

/** The server answered something that is not a status resource. */
export class StatusFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatusFormatError';
  }
}

function details(value: unknown): ObjectOutcome[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): ObjectOutcome[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { id, version, message } = entry as Record<string, unknown>;
    if (typeof id !== 'string') return [];
    return [{ id, ...(typeof version === 'string' && { version }), ...(typeof message === 'string' && { message }) }];
  });
}

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

export function parseStatus(value: unknown, what: string): StatusResource {
  const resource = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  if (!resource || typeof resource.id !== 'string' || (resource.status !== 'complete' && resource.status !== 'pending')) {
    throw new StatusFormatError(`${what}: the server's answer is not a TAXII 2.1 status resource`);
  }
  const failures = details(resource.failures);
  const successes = details(resource.successes);
  const pendings = details(resource.pendings);
  return {
    id: resource.id,
    status: resource.status,
    // The counts are required by §4.3.1; the lists are optional, so counts win when both are there.
    total: count(resource.total_count, failures.length + successes.length + pendings.length),
    success: count(resource.success_count, successes.length),
    failure: count(resource.failure_count, failures.length),
    pending: count(resource.pending_count, pendings.length),
    failures,
    notes: successes.filter((success) => success.message !== undefined),
  };
}

export function isSettled(status: StatusResource): boolean {
  return status.status === 'complete' || status.pending === 0;
}
