import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadAllianceConfig } from '../../server/config/alliance';
import { diffAllianceConfigs } from '../../server/config/config-diff';
import { ConfigError } from '../../server/errors';

const PEER = 'https://peer.example.org/taxii/alliance/collections/9b1f3f4e-7c1d-4e8a-9f0b-2c3d4e5f6a70/';

/** The `good` fixture with these `push:` entries on de-bka's collection. */
async function loadWithPush(push: unknown[]) {
  const dir = mkdtempSync(join(tmpdir(), 'taxii-push-config-'));
  try {
    cpSync(join(__dirname, 'fixtures', 'good'), dir, { recursive: true });
    const file = join(dir, 'de-bka.yaml');
    const document = parseDocument(readFileSync(file, 'utf8'));
    document.setIn(['collections', 0, 'push'], push);
    writeFileSync(file, document.toString());
    return await loadAllianceConfig(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function problemsOf(push: unknown[]): Promise<string> {
  try {
    await loadWithPush(push);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('loaded without error');
}

describe('push: on a collection', () => {
  it('reads Basic, bearer and anonymous targets, secrets as references, the interval defaulting to 30 s', async () => {
    const config = await loadWithPush([
      { collection_url: PEER, username: 'pusher@de-bka', password_env: 'PEER_PASSWORD', interval_seconds: 5 },
      { collection_url: PEER.replace('peer.', 'second.'), token_file: '/run/secrets/second' },
      { collection_url: 'http://10.0.0.5:8000/api/collections/abc/' },
    ]);
    expect(config.collections.find((collection) => collection.owner === 'de-bka')?.push).toEqual([
      { collectionUrl: PEER, credentials: { kind: 'basic', username: 'pusher@de-bka', password: { env: 'PEER_PASSWORD' } }, intervalSeconds: 5 },
      { collectionUrl: PEER.replace('peer.', 'second.'), credentials: { kind: 'bearer', token: { file: '/run/secrets/second' } }, intervalSeconds: 30 },
      { collectionUrl: 'http://10.0.0.5:8000/api/collections/abc/', credentials: { kind: 'none' }, intervalSeconds: 30 },
    ]);
  });

  it.each([
    [[{ collection_url: PEER, password: 'hunter2hunter2' }], 'de-bka.yaml: /collections/0/push/0/password: is not a known setting'],
    [[{ collection_url: 'https://peer.example.org/taxii/alliance/' }], 'de-bka.yaml: /collections/0/push/0/collection_url: \'https://peer.example.org/taxii/alliance/\' must match'],
    [[{ collection_url: PEER, username: 'pusher@de-bka' }], 'de-bka.yaml: /collections/0/push/0/username: needs exactly one of password_env or password_file'],
    [[{ collection_url: PEER, username: 'p', password_env: 'A', password_file: '/a' }], 'de-bka.yaml: /collections/0/push/0/username: needs exactly one of password_env or password_file'],
    [[{ collection_url: PEER, password_env: 'A' }], 'de-bka.yaml: /collections/0/push/0/password_env: is a password for no username: add username'],
    [[{ collection_url: PEER, token_env: 'A', token_file: '/a' }], 'de-bka.yaml: /collections/0/push/0/token_file: give token_env or token_file, not both'],
    [[{ collection_url: PEER, username: 'p', password_env: 'A', token_env: 'B' }], 'de-bka.yaml: /collections/0/push/0/username: give either username with a password or a token, not both'],
    [[{ collection_url: PEER, token_env: 'not a name' }], 'de-bka.yaml: /collections/0/push/0/token_env: \'not a name\' must match'],
    [[{ collection_url: PEER, interval_seconds: 0 }], 'de-bka.yaml: /collections/0/push/0/interval_seconds: must be > 0'],
    [[{ collection_url: PEER }, { collection_url: PEER }], `de-bka.yaml: /collections/0/push/1/collection_url: '${PEER}' is already a push target of this collection`],
  ])('refuses %j', async (push, message) => {
    expect(await problemsOf(push)).toContain(message);
  });

  it('is a change a config apply stores, so running servers start or stop pushing without a restart', async () => {
    const before = await loadWithPush([{ collection_url: PEER }]);
    const after = await loadWithPush([{ collection_url: PEER, token_env: 'PEER_TOKEN' }]);
    const diff = diffAllianceConfigs(before, after);
    expect(diff.needsRestart).toBe(false);
    expect(diff.lines).toHaveLength(1);
    expect(diff.lines[0]).toContain('push');
    expect(diff.lines[0]).toContain('PEER_TOKEN');
  });
});
