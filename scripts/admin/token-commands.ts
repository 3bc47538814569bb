import { Command } from 'commander';
import { createToken as createTokenService, listTokens as listTokensService, revokeToken as revokeTokenService, type TokenSummary } from '../../server/services/admin/tokens';
import { CliError, type AdminContext } from './context';
import { parseAdminInput } from '../../server/services/admin/input-errors';
import { expiresOption } from '../../server/services/admin/input-fields';
import { createTokenBody, listTokensQuery } from '../../server/services/admin/inputs';
import { formatTable, isoOrDash } from './input';

function tokenStatus(token: TokenSummary, now: Date): string {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

async function createToken(context: AdminContext, username: string, options: { expires?: string; label?: string }): Promise<void> {
  const now = new Date();
  // `--expires` also takes durations; the instant it names then goes into the body POST /admin/tokens takes.
  const expiresAt = options.expires === undefined ? undefined : parseAdminInput(expiresOption(now), options.expires, 'body');
  const input = parseAdminInput(createTokenBody, { username, expires_at: expiresAt?.toISOString(), label: options.label }, 'body');
  const credentials = await context.credentials();
  const user = await credentials.findUser(username);
  if (!user) throw new CliError(`no user '${username}'`);
  if (user.disabled) throw new CliError(`user '${username}' is disabled: enable it before giving it a token`);
  const issued = await createTokenService(await context.dependencies(), await context.request(), input, now);
  const tokenId = issued.summary.tokenId;
  // The token alone goes to stdout, so `TOKEN=$(npm run -s admin -- token create ...)` works.
  context.output.out(issued.token);
  context.output.err(
    `Token ${tokenId} created for ${username}${expiresAt ? `, expires ${expiresAt.toISOString()}` : ', does not expire'}. ` +
      'Store it now: it is not stored and cannot be shown again. Send it as "Authorization: Bearer <token>".',
  );
}

async function listTokens(context: AdminContext, options: { user?: string }): Promise<void> {
  // `--user` is GET /admin/tokens' `user` parameter, through the same schema.
  const filter = parseAdminInput(listTokensQuery, { user: options.user }, 'query');
  const tokens = await listTokensService(await context.dependencies(), await context.request(), filter);
  if (tokens.length === 0) {
    context.output.out(options.user ? `No tokens for ${options.user}.` : 'No tokens.');
    return;
  }
  const now = new Date();
  const rows = tokens.map((token) => [
    token.tokenId,
    token.username,
    tokenStatus(token, now),
    isoOrDash(token.createdAt),
    isoOrDash(token.expiresAt),
    token.label ?? '-',
  ]);
  for (const line of formatTable(['TOKEN ID', 'USER', 'STATUS', 'CREATED', 'EXPIRES', 'LABEL'], rows)) context.output.out(line);
}

async function revokeToken(context: AdminContext, tokenId: string): Promise<void> {
  const credentials = await context.credentials();
  const token = await credentials.findToken(tokenId);
  if (!token) throw new CliError(`no token '${tokenId}' (token ids are the 16 hex digits after tas_)`);
  if (token.revokedAt) {
    context.output.out(`Token ${tokenId} was already revoked at ${token.revokedAt.toISOString()}.`);
    return;
  }
  await revokeTokenService(await context.dependencies(), await context.request(), tokenId);
  context.output.out(`Token ${tokenId} of ${token.username} revoked.`);
}

export function tokenCommands(context: AdminContext): Command {
  const token = new Command('token').description('manage API tokens (for machines and TAXII clients)');
  token
    .command('create <username>')
    .description('create a token and print it once')
    .option('--expires <when>', 'a duration (30d, 12h, 2w) or an ISO date; default: never')
    .option('--label <label>', 'what the token is for, e.g. the polling host')
    .action((username: string, options: { expires?: string; label?: string }) => createToken(context, username, options));
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--user <username>', 'only this user\'s tokens')
    .action((options: { user?: string }) => listTokens(context, options));
  token
    .command('revoke <token-id>')
    .description('stop a token from working, at once')
    .action((tokenId: string) => revokeToken(context, tokenId));
  return token;
}
