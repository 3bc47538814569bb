import { taxiiGet, request } from './api';

/** Wire shapes of TAXII 2.1 resources the console reads (TAXII 2.1 §4, §5). */
export interface Collection {
  id: string;
  title: string;
  description?: string;
  alias?: string;
  can_read: boolean;
  can_write: boolean;
}

export interface CollectionInRoot extends Collection {
  /** The API root's path, such as `alliance`. */
  root: string;
}

export interface StixObject {
  type: string;
  id: string;
  spec_version?: string;
  created?: string;
  modified?: string;
  name?: string;
  pattern?: string;
  object_marking_refs?: string[];
  source_ref?: string;
  target_ref?: string;
  relationship_type?: string;
  [property: string]: unknown;
}

export interface ManifestRecord {
  id: string;
  date_added: string;
  version: string;
  media_type?: string;
}

export interface StatusResource {
  id: string;
  status: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  successes?: { id: string; version?: string; message?: string }[];
  failures?: { id: string; version?: string; message?: string }[];
}

/** The filters the objects endpoint takes (TAXII 2.1 §3.4.1, §5.4). */
export interface ObjectFilters {
  type?: string;
  id?: string;
  addedAfter?: string;
  version?: string;
}

export function filterQuery(filters: ObjectFilters, limit?: number, next?: string): string {
  const query = new URLSearchParams();
  if (filters.type) query.set('match[type]', filters.type);
  if (filters.id) query.set('match[id]', filters.id);
  if (filters.addedAfter) query.set('added_after', filters.addedAfter);
  if (filters.version) query.set('match[version]', filters.version);
  if (limit) query.set('limit', String(limit));
  if (next) query.set('next', next);
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function collectionPath(root: string, collectionId: string): string {
  return `/${encodeURIComponent(root)}/collections/${encodeURIComponent(collectionId)}/`;
}

/** Every collection the user may see, over every API root discovery lists. */
export async function listAllCollections(): Promise<CollectionInRoot[]> {
  const { body: discovery } = await taxiiGet<{ api_roots?: string[] }>('/taxii2/');
  const all: CollectionInRoot[] = [];
  for (const rootUrl of discovery.api_roots ?? []) {
    const root = new URL(rootUrl, window.location.origin).pathname.replace(/^\/|\/$/g, '');
    const { body } = await taxiiGet<{ collections?: Collection[] }>(`/${root}/collections/`);
    for (const collection of body.collections ?? []) all.push({ ...collection, root });
  }
  return all;
}

export async function getCollection(root: string, collectionId: string): Promise<Collection> {
  return (await taxiiGet<Collection>(collectionPath(root, collectionId))).body;
}

export interface ObjectPage {
  objects: StixObject[];
  more: boolean;
  next?: string;
  /** date_added of each version, keyed by `<id> <modified>`, from the manifest of the same page. */
  dateAdded: Map<string, string>;
}

export const versionKey = (id: string, version: string | undefined): string => `${id} ${version ?? ''}`;

export async function getObjectPage(root: string, collectionId: string, filters: ObjectFilters, limit: number, next?: string): Promise<ObjectPage> {
  const base = collectionPath(root, collectionId);
  const { body } = await taxiiGet<{ objects?: StixObject[]; more?: boolean; next?: string }>(`${base}objects/${filterQuery(filters, limit, next)}`);
  const objects = body.objects ?? [];
  const dateAdded = new Map<string, string>();
  // The manifest carries date_added per version; the same filters and cursor select the same versions.
  const { body: manifest } = await taxiiGet<{ objects?: ManifestRecord[] }>(`${base}manifest/${filterQuery(filters, limit, next)}`);
  for (const record of manifest.objects ?? []) dateAdded.set(versionKey(record.id, record.version), record.date_added);
  return { objects, more: body.more === true, next: body.next, dateAdded };
}

/** Every object the filters select, page by page: what a downloaded bundle holds. */
export async function getAllObjects(root: string, collectionId: string, filters: ObjectFilters): Promise<StixObject[]> {
  const all: StixObject[] = [];
  let next: string | undefined;
  do {
    const { body } = await taxiiGet<{ objects?: StixObject[]; more?: boolean; next?: string }>(
      `${collectionPath(root, collectionId)}objects/${filterQuery(filters, 500, next)}`);
    all.push(...(body.objects ?? []));
    next = body.more ? body.next : undefined;
  } while (next);
  return all;
}

/** Every version of one object, oldest first (TAXII 2.1 §5.5, match[version]=all). */
export async function getAllVersions(root: string, collectionId: string, objectId: string): Promise<StixObject[]> {
  const path = `${collectionPath(root, collectionId)}objects/${encodeURIComponent(objectId)}/`;
  const versions: StixObject[] = [];
  let next: string | undefined;
  do {
    const { body } = await taxiiGet<{ objects?: StixObject[]; more?: boolean; next?: string }>(`${path}${filterQuery({ version: 'all' }, 500, next)}`);
    versions.push(...(body.objects ?? []));
    next = body.more ? body.next : undefined;
  } while (next);
  return versions.sort((a, b) => String(a.modified ?? a.created ?? '').localeCompare(String(b.modified ?? b.created ?? '')));
}

export async function postEnvelope(root: string, collectionId: string, objects: unknown[]): Promise<StatusResource> {
  return (await request<StatusResource>('POST', `${collectionPath(root, collectionId)}objects/`, { objects })).body;
}

export async function getStatus(root: string, statusId: string): Promise<StatusResource> {
  return (await taxiiGet<StatusResource>(`/${encodeURIComponent(root)}/status/${encodeURIComponent(statusId)}/`)).body;
}
