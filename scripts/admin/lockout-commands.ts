import { isIP } from 'node:net';
import { Command } from 'commander';
import { requestUnlock, type UnlockRequest } from '../../server/auth/unlock-requests';
import { CliError, type AdminContext } from './context';

const MAX_KEY_LENGTH = 256;

function unlockRequest(username: string | undefined, ip: string | undefined): UnlockRequest {
  if ((username === undefined) === (ip === undefined)) throw new CliError('name a username or give --ip <address>, not both');
  if (ip !== undefined) {
    if (isIP(ip) === 0) throw new CliError(`--ip '${ip}' is not an IPv4 or IPv6 address`);
    return { kind: 'ip', key: ip };
  }
  // Any username can be locked, existing or not (a lock must not reveal which exist), so any can be unlocked.
  if (!username || username.length > MAX_KEY_LENGTH) throw new CliError(`a username has 1 to ${MAX_KEY_LENGTH} characters`);
  return { kind: 'user', key: username };
}

async function unlock(context: AdminContext, username: string | undefined, options: { ip?: string }): Promise<void> {
  const request = unlockRequest(username, options.ip);
  const { actor } = await context.request();
  // An address lock may cover every user of a partner, so lifting one is the operator's call.
  if (actor.role !== 'alliance-admin') throw new CliError('only an alliance-admin may lift a login lock');
  await requestUnlock((await context.open()).audit, request, actor);
  const what = request.kind === 'user' ? `username ${request.key}` : `address ${request.key}`;
  context.output.out(`Unlock of ${what} recorded; every running server lifts its lock, if any, within a few seconds (docs/security.md).`);
}

/** `unlock <username>` and `unlock --ip <address>`: lift a failed-login lock before it expires. */
export function lockoutCommands(context: AdminContext): Command[] {
  const command = new Command('unlock')
    .description('lift the failed-login lock of a username, or of a client address with --ip, on every running server')
    .argument('[username]', 'the username that was locked')
    .option('--ip <address>', 'the client address that was locked, as in the auth.lockout audit record')
    .action((username: string | undefined, options: { ip?: string }) => unlock(context, username, options));
  return [command];
}
