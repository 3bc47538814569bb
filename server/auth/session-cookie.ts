import type { Request } from 'express';

export const SESSION_COOKIE = 'tas_session';

/** The value of one cookie from the Cookie header (RFC 6265 §5.4), or undefined. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === name) return pair.slice(equals + 1).trim();
  }
  return undefined;
}

/**
 * The Set-Cookie value for a session id, or for its removal when `sessionId` is empty. HttpOnly so
 * scripts never read it; SameSite=Strict so no other site's page sends it; Secure whenever the
 * request came over TLS (req.secure follows `trust proxy`).
 */
export function sessionCookie(sessionId: string, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${sessionId}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (!sessionId) parts.push('Max-Age=0');
  return parts.join('; ');
}
