/**
 * The console's only way to data: the server's TAXII and admin APIs, with the session cookie the
 * browser sends by itself (HttpOnly, never readable here) and, on changes, the CSRF token kept in
 * memory only (docs/security.md, "Console sessions").
 */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

export interface SessionInfo {
  username: string;
  organisation: string;
  role: 'member' | 'org-admin' | 'alliance-admin';
  csrf_token: string;
}

/** A refused request, carrying the TAXII error resource's fields when there is one. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly description: string) {
    super(description || title);
  }
}

let csrfToken = '';

export function rememberCsrfToken(token: string): void {
  csrfToken = token;
}

async function failure(response: Response): Promise<ApiError> {
  let title = response.statusText;
  let description = '';
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null) {
      const resource = body as { title?: unknown; description?: unknown };
      if (typeof resource.title === 'string') title = resource.title;
      if (typeof resource.description === 'string') description = resource.description;
    }
  } catch {
    // Not JSON: the status line is all there is.
  }
  return new ApiError(response.status, title, description);
}

export interface ApiResponse<T> {
  body: T;
  headers: Headers;
}

export async function request<T>(method: string, path: string, body?: unknown, accept = TAXII_MEDIA_TYPE): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: accept };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = accept === TAXII_MEDIA_TYPE ? TAXII_MEDIA_TYPE : 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  const text = response.status === 204 ? '' : await response.text();
  return { body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

export const taxiiGet = <T>(path: string): Promise<ApiResponse<T>> => request<T>('GET', path);
export const adminGet = <T>(path: string): Promise<ApiResponse<T>> => request<T>('GET', `/admin${path}`, undefined, 'application/json');

export async function logIn(username: string, password: string): Promise<SessionInfo> {
  const { body } = await request<SessionInfo>('POST', '/console/session', { username, password }, 'application/json');
  rememberCsrfToken(body.csrf_token);
  return body;
}

/** The session the cookie carries, or undefined when there is none (after a reload, say). */
export async function currentSession(): Promise<SessionInfo | undefined> {
  try {
    const { body } = await request<SessionInfo>('GET', '/console/session', undefined, 'application/json');
    rememberCsrfToken(body.csrf_token);
    return body;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return undefined;
    throw error;
  }
}

export async function logOut(): Promise<void> {
  await request('DELETE', '/console/session', undefined, 'application/json');
  rememberCsrfToken('');
}
