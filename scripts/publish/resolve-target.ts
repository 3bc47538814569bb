import { TaxiiRequestError, type TaxiiConnection } from './taxii-http';

/** Where the objects go: found from a discovery or API root URL and a collection's id, alias or title. */
export interface PublishTarget {
  apiRootUrl: URL;
  apiRootTitle: string;
  /** The API root's max_content_length (§4.2): no request body may be larger. */
  maxContentLength: number;
  collection: { id: string; title: string; alias?: string };
  objectsUrl: URL;
}

interface CollectionResource {
  id: string;
  title: string;
  alias?: string;
  can_write?: boolean;
}

/** The command's own mistake or the server's unexpected answer, phrased for the person at the keyboard. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** TAXII URLs end with a slash (§3.1); a URL typed without one means the same resource. */
export function withTrailingSlash(url: URL): URL {
  const copy = new URL(url.href);
  if (!copy.pathname.endsWith('/')) copy.pathname = `${copy.pathname}/`;
  return copy;
}

function asCollection(value: unknown): CollectionResource | undefined {
  const resource = record(value);
  if (!resource || typeof resource.id !== 'string' || typeof resource.title !== 'string') return undefined;
  return {
    id: resource.id,
    title: resource.title,
    ...(typeof resource.alias === 'string' && { alias: resource.alias }),
    ...(typeof resource.can_write === 'boolean' && { can_write: resource.can_write }),
  };
}

function describe(collection: CollectionResource): string {
  return `"${collection.title}" (${collection.id}${collection.alias ? `, alias ${collection.alias}` : ''})`;
}

/**
 * The collection named `name` in one API root. The collection URL is tried first: it answers an id on
 * every server and an alias on servers that accept aliases in URLs (this one does); then the
 * collections list, matched on `alias` (which many servers do not have) and on `title`.
 */
async function findCollection(connection: TaxiiConnection, root: URL, name: string): Promise<{ found?: CollectionResource; visible: CollectionResource[] }> {
  try {
    const direct = asCollection(await connection.getJson(new URL(`collections/${encodeURIComponent(name)}/`, root), `collection '${name}'`));
    if (direct) return { found: direct, visible: [] };
  } catch (error) {
    // 404: no such id here, or a server without aliases in URLs; 400: a name that is not an id, on a strict server.
    if (!(error instanceof TaxiiRequestError) || (error.status !== 404 && error.status !== 400)) throw error;
  }
  const list = record(await connection.getJson(new URL('collections/', root), 'the collections list'));
  const visible = (Array.isArray(list?.collections) ? list.collections : []).map(asCollection).filter((c): c is CollectionResource => c !== undefined);
  const exact = visible.filter((c) => c.id === name || c.alias === name || c.title === name);
  const matches = exact.length > 0 ? exact : visible.filter((c) => c.title.toLowerCase() === name.toLowerCase());
  if (matches.length > 1) {
    throw new TargetError(`'${name}' names several collections at ${root.href}: ${matches.map(describe).join(', ')}; give the id`);
  }
  return { ...(matches[0] && { found: matches[0] }), visible };
}

async function apiRootsFrom(connection: TaxiiConnection, url: URL): Promise<{ roots: URL[]; first?: { url: URL; resource: Record<string, unknown> } }> {
  const resource = record(await connection.getJson(url, 'the discovery or API root resource'));
  if (!resource) throw new TargetError(`${url.href} did not answer with a TAXII resource`);
  // An API root resource carries max_content_length (§4.2); a discovery resource lists API roots (§4.1).
  if (typeof resource.max_content_length === 'number') return { roots: [url], first: { url, resource } };
  if (typeof resource.title !== 'string') throw new TargetError(`${url.href} is neither a TAXII 2.1 discovery resource nor an API root`);
  const listed = Array.isArray(resource.api_roots) ? resource.api_roots.filter((root): root is string => typeof root === 'string') : [];
  const ordered = typeof resource.default === 'string' ? [resource.default, ...listed] : listed;
  // API root URLs may be relative to the discovery URL (checklist D-02).
  const roots = [...new Set(ordered.map((root) => withTrailingSlash(new URL(root, url)).href))].map((href) => new URL(href));
  if (roots.length === 0) throw new TargetError(`the discovery resource at ${url.href} lists no API root these credentials can see`);
  return { roots };
}

/**
 * Finds the API root and the collection. Given a discovery URL, the default API root is searched
 * first and then the others it lists, so `--collection` alone is enough on a server with several roots.
 */
export async function resolveTarget(connection: TaxiiConnection, url: URL, name: string): Promise<PublishTarget> {
  const start = withTrailingSlash(url);
  const { roots, first } = await apiRootsFrom(connection, start);
  const seen: string[] = [];
  for (const root of roots) {
    let found: CollectionResource | undefined;
    try {
      const lookup = await findCollection(connection, root, name);
      found = lookup.found;
      seen.push(...lookup.visible.map((c) => `${c.alias ?? c.title} (${c.id})`));
    } catch (error) {
      // Another root listed by discovery but closed to these credentials: the collection is not there.
      if (roots.length > 1 && error instanceof TaxiiRequestError && (error.status === 403 || error.status === 404)) continue;
      throw error;
    }
    if (!found) continue;
    if (found.can_write === false) throw new TargetError(`these credentials may not write to collection ${describe(found)} (can_write is false)`);
    const info = first?.url.href === root.href ? first.resource : record(await connection.getJson(root, 'the API root'));
    const maxContentLength = info?.max_content_length;
    if (typeof maxContentLength !== 'number' || !(maxContentLength > 0)) throw new TargetError(`the API root ${root.href} gives no max_content_length`);
    return {
      apiRootUrl: root,
      apiRootTitle: typeof info?.title === 'string' ? info.title : root.href,
      maxContentLength,
      collection: { id: found.id, title: found.title, ...(found.alias !== undefined && { alias: found.alias }) },
      objectsUrl: new URL(`collections/${encodeURIComponent(found.id)}/objects/`, root),
    };
  }
  const listing = seen.length > 0 ? `; collections these credentials can see: ${seen.join(', ')}` : '';
  throw new TargetError(`no collection '${name}' at ${start.href}${listing}`);
}
