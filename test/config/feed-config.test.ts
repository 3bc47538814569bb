import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAllianceConfig } from '../../server/config/alliance';
import { checkFeedCredentials, feedAuthorization, type SecretSources } from '../../server/config/feed-credentials';
import type { FeedConfig } from '../../server/config/types';
import { ConfigError } from '../../server/errors';

const GOOD = join(__dirname, 'fixtures', 'good');
const BKA_COLLECTION = '3b0e6a3c-8f0e-4b8c-9d33-6a0f3e0c1a01';
const dirs: string[] = [];

/** The good fixture with these lines appended to de-bka's only collection (indented as its fields). */
async function withFeeds(feedsYaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'taxii-feed-config-'));
  dirs.push(dir);
  await cp(GOOD, dir, { recursive: true });
  const file = join(dir, 'de-bka.yaml');
  await writeFile(file, `${await readFile(file, 'utf8')}    feeds:\n${feedsYaml.replace(/^/gm, '      ')}\n`);
  return dir;
}

async function problemsOf(dir: string): Promise<string> {
  try {
    await loadAllianceConfig(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration loaded without error');
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('feeds: in collections/<owner>.yaml', () => {
  it('loads feeds with their defaults, credentials named by reference', async () => {
    const dir = await withFeeds([
      '- id: partner-b',
      '  url: https://taxii.partner-b.example/taxii2/',
      '  collection: 91a7b528-80eb-42ed-a74d-c6fbd5a26116',
      '  auth: { type: basic, username: alliance-mirror, password_env: PARTNER_B_PASSWORD }',
      '  poll_interval: 60',
      '  types: [indicator, malware]',
      '  added_after: "2026-01-01T00:00:00Z"',
      '- id: partner-c',
      '  url: https://taxii.partner-c.example/api1/collections/abc/',
      '  auth: { type: bearer, token_file: secrets/partner-c.token }',
    ].join('\n'));
    const config = await loadAllianceConfig(dir);
    expect(config.collections.find((collection) => collection.id === BKA_COLLECTION)?.feeds).toEqual([
      {
        id: 'partner-b', url: 'https://taxii.partner-b.example/taxii2/', remoteCollection: '91a7b528-80eb-42ed-a74d-c6fbd5a26116',
        auth: { type: 'basic', username: 'alliance-mirror', passwordEnv: 'PARTNER_B_PASSWORD' }, pollIntervalSeconds: 60,
        types: ['indicator', 'malware'], addedAfter: '2026-01-01T00:00:00Z', pageSize: 1000,
      },
      { id: 'partner-c', url: 'https://taxii.partner-c.example/api1/collections/abc/', auth: { type: 'bearer', tokenFile: 'secrets/partner-c.token' }, pollIntervalSeconds: 300, pageSize: 1000 },
    ]);
  });

  it.each([
    ['a secret written in the YAML', '- id: a\n  url: https://x.example/c/collections/1/\n  auth: { type: basic, username: u, password: hunter2 }', /de-bka\.yaml: \/collections\/0\/feeds\/0\/auth/],
    ['credentials inside the URL', '- id: a\n  url: https://mirror:hunter2@x.example/c/collections/1/', /\/feeds\/0\/url: must not carry credentials/],
    ['a URL that names no collection, without collection', '- id: a\n  url: https://x.example/taxii2/', /de-bka\.yaml: \/collections\/0\/feeds\/0\/collection: is required when url 'https:\/\/x\.example\/taxii2\/' is not a collection URL/],
    ['a feed id used twice', '- id: a\n  url: https://x.example/c/collections/1/\n- id: a\n  url: https://y.example/c/collections/2/', /\/collections\/0\/feeds\/1\/id: 'a' is already the id of a feed in de-bka\.yaml \/collections\/0\/feeds\/0/],
    ['basic auth with no username', '- id: a\n  url: https://x.example/c/collections/1/\n  auth: { type: basic, password_env: P }', /basic authentication needs exactly one of username and username_env/],
    ['a poll interval of 0', '- id: a\n  url: https://x.example/c/collections/1/\n  poll_interval: 0', /\/feeds\/0\/poll_interval/],
    ['an added_after that is not a timestamp', '- id: a\n  url: https://x.example/c/collections/1/\n  added_after: yesterday', /\/feeds\/0\/added_after: 'yesterday' must match/],
  ])('refuses %s, naming the file and the path', async (_name, yaml, message) => {
    expect(await problemsOf(await withFeeds(yaml))).toMatch(message);
  });
});

describe('feed credentials', () => {
  const basicFeed: FeedConfig = { id: 'b', url: 'https://x.example/c/collections/1/', pollIntervalSeconds: 300, pageSize: 1000, auth: { type: 'basic', usernameEnv: 'B_USER', passwordEnv: 'B_PASSWORD' } };
  const bearerFeed: FeedConfig = { id: 't', url: 'https://x.example/c/collections/1/', pollIntervalSeconds: 300, pageSize: 1000, auth: { type: 'bearer', tokenFile: 'tokens/t.token' } };
  const files: Record<string, string> = { '/etc/taxii/tokens/t.token': 'secret-token\n' };
  const sources = (env: Record<string, string>): SecretSources => ({
    env,
    baseDir: '/etc/taxii',
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
  });

  it('builds Basic from environment variables and Bearer from a file beside the configuration, without its newline', () => {
    expect(feedAuthorization(basicFeed, sources({ B_USER: 'mirror', B_PASSWORD: 'pw' }))).toBe(`Basic ${Buffer.from('mirror:pw').toString('base64')}`);
    expect(feedAuthorization(bearerFeed, sources({}))).toBe('Bearer secret-token');
    expect(feedAuthorization({ ...basicFeed, auth: undefined }, sources({}))).toBeUndefined();
  });

  it('reports every missing variable and unreadable file at start, naming the feed', () => {
    const config = { server: { title: 't' }, apiRoots: [], organisations: [], collections: [{ id: 'c', title: 'c', owner: 'o', apiRoot: 'r', mediaTypes: [], unmarked: 'allow' as const, foreignVersions: 'refuse' as const, grants: [], feeds: [basicFeed, { ...bearerFeed, auth: { type: 'bearer' as const, tokenFile: 'missing.token' } }] }] };
    expect(() => checkFeedCredentials(config, sources({ B_USER: 'mirror' }))).toThrow(
      new ConfigError("feed b: the environment variable B_PASSWORD named by its auth is not set\nfeed t: cannot read the secret file /etc/taxii/missing.token named by its auth: ENOENT: no such file, open '/etc/taxii/missing.token'"),
    );
  });
});
