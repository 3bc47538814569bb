import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoUsers, type DemoUser } from '../../server/auth/demo-users';
import { loadAllianceConfig } from '../../server/config/alliance';
import { PROJECT_ROOT } from '../../server/config/settings';
import type { AllianceConfig } from '../../server/config/types';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { startDemoServer } from '../support/demo-server';
import { indicator } from '../support/stix-samples';

// Issue item 5 by construction: the console has no data endpoints of its own, it calls the TAXII and
// admin APIs with its session cookie. So for every demo user, every URL the console calls must answer
// the cookie exactly as it answers the same user's Basic credentials (docs/security.md, "Console sessions").
jest.setTimeout(180_000);

interface Answer {
  status: number;
  body: unknown;
}

interface Session {
  cookie: string;
  csrfToken: string;
}

let child: ChildProcess;
let dataDir: string;
let base: string;
let config: AllianceConfig;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'taxii-console-security-'));
  const server = await startDemoServer(dataDir);
  child = server.child;
  base = `http://127.0.0.1:${server.port}`;
  config = await loadAllianceConfig(join(PROJECT_ROOT, 'collections'));
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
  await rm(dataDir, { recursive: true, force: true });
});

const basicOf = (user: DemoUser) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;

async function logIn(user: DemoUser): Promise<Session> {
  const response = await fetch(`${base}/console/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }),
  });
  expect(response.status).toBe(200);
  const cookie = /^(tas_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error('no session cookie');
  const body = (await response.json()) as { csrf_token: string };
  return { cookie, csrfToken: body.csrf_token };
}

async function get(path: string, credentials: { Authorization: string } | { Cookie: string }): Promise<Answer> {
  const accept = path.startsWith('/admin/') ? 'application/json' : TAXII_MEDIA_TYPE;
  const response = await fetch(`${base}${path}`, { headers: { Accept: accept, ...credentials } });
  const text = await response.text();
  return { status: response.status, body: text ? withoutErrorIds(JSON.parse(text)) : undefined };
}

/** An error resource's error_id is fresh for every answer; everything else must be equal. */
function withoutErrorIds(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const rest: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  delete rest.error_id;
  return rest;
}

/** The URLs the console reads for one user: discovery, roots, every collection of the alliance, its objects, manifest and versions. */
function consolePaths(): string[] {
  const paths = ['/taxii2/', '/admin/collections', '/admin/users'];
  for (const root of config.apiRoots) paths.push(`/${root.path}/`, `/${root.path}/collections/`);
  for (const collection of config.collections) {
    const base = `/${collection.apiRoot}/collections/${collection.id}/`;
    paths.push(base, `${base}objects/?limit=1000`, `${base}manifest/?limit=1000`, `${base}objects/?match[type]=relationship`);
  }
  return paths;
}

describe('the console session sees exactly what Basic sees', () => {
  it('covers every demo user of the shipped alliance', () => {
    expect(demoUsersOfDemoAlliance()).toEqual(demoUsers(config).map((user) => user.username).sort());
  });

  it.each(demoUsersOfDemoAlliance())('for %s, every URL the console reads answers the cookie as it answers Basic', async (username) => {
    const user = demoUsers(config).find((candidate) => candidate.username === username);
    if (!user) throw new Error(`no demo user ${username}`);
    const session = await logIn(user);
    const paths = consolePaths();
    const hidden: string[] = [];
    for (const path of paths) {
      const viaBasic = await get(path, { Authorization: basicOf(user) });
      const viaCookie = await get(path, { Cookie: session.cookie });
      expect({ path, ...viaCookie }).toEqual({ path, ...viaBasic });
      if (viaBasic.status === 404) hidden.push(path);
    }
    // The comparison means something only if some URLs are hidden from this user and some are not.
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.length).toBeLessThan(paths.length);
    // One object's versions too, where the user can read one.
    for (const collection of config.collections) {
      const objects = await get(`/${collection.apiRoot}/collections/${collection.id}/objects/?limit=1`, { Authorization: basicOf(user) });
      const first = (objects.body as { objects?: { id: string }[] } | undefined)?.objects?.[0];
      if (!first) continue;
      const path = `/${collection.apiRoot}/collections/${collection.id}/objects/${first.id}/versions/`;
      expect(await get(path, { Cookie: session.cookie })).toEqual(await get(path, { Authorization: basicOf(user) }));
    }
  });
});

function demoUsersOfDemoAlliance(): string[] {
  // The demo users are derived from the shipped configuration (server/auth/demo-users.ts).
  return ['admin@europol', 'analyst@de-bka', 'analyst@europol', 'analyst@fr-ofac', 'analyst@gb-nca', 'analyst@nl-police', 'analyst@sentinelgrid'];
}

describe('a change made with the console cookie needs the CSRF token', () => {
  const collectionPath = () => {
    const pool = config.collections.find((collection) => collection.alias === 'alliance-indicators');
    if (!pool) throw new Error('the demo alliance has no alliance-indicators collection');
    return `/${pool.apiRoot}/collections/${pool.id}/objects/`;
  };

  async function post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${base}${path}`, {
      method: 'POST', headers: { Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE, ...headers }, body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('refuses a TAXII POST without the token or with another session\'s token, and stores nothing', async () => {
    const europol = demoUsers(config).find((user) => user.username === 'analyst@europol');
    if (!europol) throw new Error('no analyst@europol');
    const session = await logIn(europol);
    const other = await logIn(europol);
    const object = indicator();
    const attempts: Record<string, string>[] = [{ Cookie: session.cookie }, { Cookie: session.cookie, 'X-CSRF-Token': other.csrfToken }, { Cookie: session.cookie, 'X-CSRF-Token': '' }];
    for (const headers of attempts) {
      const refused = await post(collectionPath(), headers, { objects: [object] });
      expect(refused.status).toBe(403);
      expect(refused.body.error_code).toBe('csrf-token-invalid');
    }
    const stored = await get(`${collectionPath()}${String(object.id)}/`, { Authorization: basicOf(europol) });
    expect(stored.status).toBe(404);

    const accepted = await post(collectionPath(), { Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken }, { objects: [object] });
    expect(accepted.status).toBe(202);
  });

  it('refuses an admin change without the token, and the user is not created', async () => {
    const admin = demoUsers(config).find((user) => user.role === 'alliance-admin');
    if (!admin) throw new Error('no alliance admin in the demo');
    const session = await logIn(admin);
    const response = await fetch(`${base}/admin/users`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Cookie: session.cookie },
      body: JSON.stringify({ username: 'csrf-victim@europol', organisation: 'europol', role: 'alliance-admin', password: 'a long enough password' }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error_code: string }).error_code).toBe('csrf-token-invalid');
    expect((await get('/admin/users/csrf-victim@europol', { Authorization: basicOf(admin) })).status).toBe(404);
  });
});
