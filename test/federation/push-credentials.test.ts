import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizationFor, SecretUnavailable } from '../../server/federation/push-credentials';

describe('authorizationFor', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'taxii-push-credentials-'));
    writeFileSync(join(dir, 'token'), 's3cret-token\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const environment = (name: string) => ({ PEER_PASSWORD: 'pa:ss' } as Record<string, string>)[name];

  it('builds Basic from a username and a password read from the environment', async () => {
    const header = await authorizationFor({ kind: 'basic', username: 'pusher', password: { env: 'PEER_PASSWORD' } }, environment);
    expect(header).toBe(`Basic ${Buffer.from('pusher:pa:ss').toString('base64')}`);
  });

  it('builds Bearer from a file, without its trailing newline', async () => {
    expect(await authorizationFor({ kind: 'bearer', token: { file: join(dir, 'token') } }, environment)).toBe('Bearer s3cret-token');
  });

  it('sends nothing for a remote that takes no credentials', async () => {
    expect(await authorizationFor({ kind: 'none' }, environment)).toBeUndefined();
  });

  it.each([
    [{ env: 'UNSET_VARIABLE' }, /the environment variable UNSET_VARIABLE is not set/],
    [{ file: '/nonexistent/push-token' }, /cannot read \/nonexistent\/push-token/],
  ])('names the secret it cannot read: %j', async (token, message) => {
    const attempt = authorizationFor({ kind: 'bearer', token }, environment);
    await expect(attempt).rejects.toThrow(SecretUnavailable);
    await expect(authorizationFor({ kind: 'bearer', token }, environment)).rejects.toThrow(message);
  });
});
