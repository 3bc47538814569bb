import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { MethodNotAllowed, NO_RESOURCE_HERE, NotFound, TaxiiError, TooManyRequests, Unauthenticated } from '../errors';
import type { Logger } from '../logging';
import { toErrorResource } from '../taxii/error-resource';
import { sendTaxii } from './respond';

export const AUTH_CHALLENGE = 'Basic realm="taxii-alliance", Bearer realm="taxii-alliance"';

/** The single place an error becomes a TAXII error resource (TAXII 2.1 §3.6). Nothing of a 5xx's cause is exposed. */
export function createErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const errorId = randomUUID();
    const taxiiError = error instanceof TaxiiError ? error : internalError(error);
    if (taxiiError.httpStatus >= 500) {
      logger.error({ err: error, errorId, method: req.method, url: req.originalUrl }, 'request failed');
    } else {
      logger.info({ errorId, errorCode: taxiiError.errorCode, status: taxiiError.httpStatus, url: req.originalUrl }, 'request refused');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendTaxii(res, taxiiError.httpStatus, toErrorResource(taxiiError, errorId), headersFor(taxiiError));
  };
}

/** Headers the status code's own RFC asks for beside the body. */
function headersFor(error: TaxiiError): Record<string, string> {
  if (error instanceof Unauthenticated) return { 'WWW-Authenticate': AUTH_CHALLENGE };
  if (error instanceof MethodNotAllowed) return { Allow: error.allowed.join(', ') };
  if (error instanceof TooManyRequests) return { 'Retry-After': String(error.retryAfterSeconds) };
  return {};
}

function internalError(error: unknown): TaxiiError {
  // Errors raised by Express' own parsers carry a status; map the ones a client can cause.
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new TaxiiError(status, 'bad-request', 'Bad request', 'The request could not be understood.');
  }
  return new TaxiiError(500, 'internal-error', 'Internal error', 'internal error');
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFound(NO_RESOURCE_HERE));
}
