import type { TaxiiError } from '../errors';

/** TAXII 2.1 §3.6.1 error resource. `http_status` is a string by the spec. */
export interface ErrorResource {
  title: string;
  description?: string;
  error_id: string;
  error_code: string;
  http_status: string;
  details?: Record<string, unknown>;
}

export function toErrorResource(error: TaxiiError, errorId: string): ErrorResource {
  const resource: ErrorResource = {
    title: error.title,
    error_id: errorId,
    error_code: error.errorCode,
    http_status: String(error.httpStatus),
  };
  if (error.description) resource.description = error.description;
  if (error.details) resource.details = error.details;
  return resource;
}
