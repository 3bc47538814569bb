import { adminGet, request, type SessionInfo } from '../api';

/**
 * The admin API's wire shapes and calls, as docs/access-model.md lists them (server/http/admin/present.ts
 * builds them). Changes go through `request`, which adds the session's CSRF token.
 */
export type Role = SessionInfo['role'];

export interface AdminUser {
  username: string;
  organisation: string;
  role: Role;
  disabled: boolean;
  created_at: string;
}

export interface AdminToken {
  token_id: string;
  username: string;
  created_at: string;
  expires_at?: string;
  revoked_at?: string;
  label?: string;
}

export interface IssuedToken extends AdminToken {
  token: string;
}

export interface AdminOrganisation {
  id: string;
  name: string;
  country?: string;
  kind: string;
}

export interface Grant {
  organisation: string;
  read: boolean;
  write: boolean;
}

export interface AdminCollection {
  id: string;
  alias?: string;
  title: string;
  owner: string;
  api_root: string;
  max_tlp?: string;
  unmarked: string;
  grants: Grant[];
}

export interface ConfigChange {
  changed: boolean;
  revision: number;
  diff: string[];
  needs_restart: boolean;
}

export interface AuditRecord {
  at: string;
  action: string;
  username?: string;
  organisation?: string;
  api_root?: string;
  collection_id?: string;
  object_ids?: string[];
  request_id?: string;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  org?: string;
  collection?: string;
  action?: string;
  since?: string;
  until?: string;
  limit?: number;
}

const JSON_TYPE = 'application/json';
const send = <T>(method: string, path: string, body?: unknown) => request<T>(method, `/admin${path}`, body, JSON_TYPE).then((answer) => answer.body);
const get = <T>(path: string) => adminGet<T>(path).then((answer) => answer.body);
const segment = encodeURIComponent;

export const listOrganisations = async () => (await get<{ organisations: AdminOrganisation[] }>('/organisations')).organisations;
export const listCollections = async () => (await get<{ collections: AdminCollection[] }>('/collections')).collections;

export const listUsers = async () => (await get<{ users: AdminUser[] }>('/users')).users;
export const addUser = (user: { username: string; organisation: string; role: Role; password: string }) => send<AdminUser>('POST', '/users', user);
export const setUserDisabled = (username: string, disabled: boolean) => send<AdminUser>('POST', `/users/${segment(username)}/${disabled ? 'disable' : 'enable'}`);
export const setUserPassword = (username: string, password: string) => send<unknown>('PUT', `/users/${segment(username)}/password`, { password });

export const listTokens = async () => (await get<{ tokens: AdminToken[] }>('/tokens')).tokens;
export const createToken = (token: { username: string; label?: string; expires_at?: string }) => send<IssuedToken>('POST', '/tokens', token);
export const revokeToken = (tokenId: string) => send<AdminToken>('DELETE', `/tokens/${segment(tokenId)}`);

/** Rights with neither read nor write remove the grant (the API refuses such a PUT). */
export function setGrant(collectionId: string, organisation: string, rights: { read: boolean; write: boolean }): Promise<ConfigChange> {
  const path = `/collections/${segment(collectionId)}/grants/${segment(organisation)}`;
  return rights.read || rights.write ? send<ConfigChange>('PUT', path, rights) : send<ConfigChange>('DELETE', path);
}

export async function readAuditTrail(filter: AuditFilter): Promise<AuditRecord[]> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return (await get<{ records: AuditRecord[] }>(`/audit${text ? `?${text}` : ''}`)).records;
}

/** A mirrored upstream feed and its state (GET /admin/feeds, docs/federation.md). */
export interface FeedState {
  id: string;
  collection_id: string;
  collection_alias?: string;
  owner: string;
  url: string;
  poll_interval: number;
  health: 'ok' | 'failing' | 'new';
  cursor?: string;
  last_poll_at?: string;
  last_success_at?: string;
  lag_seconds?: number;
  last_error?: { at: string; message: string };
  consecutive_failures: number;
  objects_mirrored: number;
  objects_duplicate: number;
  objects_rejected: number;
}

export const listFeeds = async () => (await get<{ feeds: FeedState[] }>('/feeds')).feeds;
