/**
 * The error catalog. Every request that fails as a whole throws one of these; `http/error-handler.ts`
 * is the only place that turns them into TAXII error resources (TAXII 2.1 §3.6.1).
 * `errorCode` is stable and is what tests and clients should match on, never the sentence.
 */
export class TaxiiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly errorCode: string,
    readonly title: string,
    readonly description?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(description ?? title);
    this.name = new.target.name;
  }
}

export class InvalidParameter extends TaxiiError {
  constructor(description: string, details?: Record<string, unknown>) {
    super(400, 'invalid-parameter', 'Invalid query parameter', description, details);
  }
}

export class InvalidBody extends TaxiiError {
  constructor(description: string, details?: Record<string, unknown>) {
    super(400, 'invalid-body', 'Invalid request body', description, details);
  }
}

export class Unauthenticated extends TaxiiError {
  constructor(description = 'Authentication is required: use HTTP Basic or a Bearer token.') {
    super(401, 'unauthenticated', 'Authentication required', description);
  }
}

/** Too many password checks are already queued (docs/security.md); the client may retry, nothing was verified. */
export class AuthenticationBusy extends TaxiiError {
  constructor() {
    super(503, 'authentication-busy', 'Server busy', 'Too many logins are being checked; retry shortly, or use an API token.');
  }
}

export class Forbidden extends TaxiiError {
  constructor(description: string) {
    super(403, 'forbidden', 'Forbidden', description);
  }
}

export class NotFound extends TaxiiError {
  constructor(description = 'The requested resource does not exist or you do not have access to it.') {
    super(404, 'not-found', 'Not found', description);
  }
}

/** What answers a URL with no TAXII resource: an unknown path, and an API root the caller may not see (docs/security.md §5). */
export const NO_RESOURCE_HERE = 'There is no TAXII resource at this URL.';

/**
 * An API root the caller may not see. It answers exactly as a URL where nothing exists, not with an
 * error code of its own, which would tell a hidden root from an absent one (docs/security.md §5).
 */
export class ApiRootNotFound extends NotFound {
  constructor() {
    super(NO_RESOURCE_HERE);
  }
}

/** Deliberately the same answer for "does not exist" and "exists but hidden from you" (TAXII 2.1 §1.6.9). */
export class CollectionNotFound extends TaxiiError {
  constructor(id: string) {
    super(404, 'collection-not-found', 'Collection not found', `No collection '${id}' is available to you.`);
  }
}

export class ObjectNotFound extends TaxiiError {
  constructor(id: string) {
    super(404, 'object-not-found', 'Object not found', `No object '${id}' matches in this collection.`);
  }
}

export class StatusNotFound extends TaxiiError {
  constructor(id: string) {
    super(404, 'status-not-found', 'Status not found', `No status resource '${id}' is available to you.`);
  }
}

/** RFC 9110 §15.5.6: a 405 names the methods the resource does support, in `Allow` (set by http/error-handler.ts). */
export class MethodNotAllowed extends TaxiiError {
  constructor(method: string, readonly allowed: string[]) {
    super(405, 'method-not-allowed', 'Method not allowed', `${method} is not allowed here; use ${allowed.join(', ')}.`);
  }
}

export class NotAcceptable extends TaxiiError {
  constructor(description: string) {
    super(406, 'not-acceptable', 'Not acceptable', description);
  }
}

export class PayloadTooLarge extends TaxiiError {
  constructor(limit: number) {
    super(413, 'payload-too-large', 'Request body too large', `The body exceeds this API root's max_content_length of ${limit} bytes.`);
  }
}

export class UnsupportedMediaType extends TaxiiError {
  constructor(description: string) {
    super(415, 'unsupported-media-type', 'Unsupported media type', description);
  }
}

export class UnprocessableEntity extends TaxiiError {
  constructor(description: string) {
    super(422, 'unprocessable-entity', 'Unprocessable request', description);
  }
}

/** Over the request rate of a credential (docs/security.md 6); `Retry-After` tells when to come back (RFC 6585 §4). */
export class TooManyRequests extends TaxiiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too-many-requests', 'Too many requests', `The request rate for these credentials is exceeded; retry in ${retryAfterSeconds} s.`);
  }
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The request is well-formed but clashes with the current state: a user that exists, a configuration changed meanwhile. */
export class Conflict extends TaxiiError {
  constructor(description: string) {
    super(409, 'conflict', 'Conflict', description);
  }
}

/** An administration request the caller's role does not allow; the reason names the rule, never other organisations' data. */
export class AdminForbidden extends TaxiiError {
  constructor(reason: string) {
    super(403, 'admin-forbidden', 'Not allowed', reason);
  }
}
