import { Command, Option } from 'commander';
import { ROLES, type Role } from '../../server/auth/principal';
import { parseAdminInput } from '../../server/services/admin/input-errors';
import { addUserBody, listUsersQuery, setPasswordBody } from '../../server/services/admin/inputs';
import {
  addUser as addUserService, listUsers as listUsersService, setUserDisabled, setUserPassword, showUser as showUserService, type UserSummary,
} from '../../server/services/admin/users';
import { CliError, type AdminContext } from './context';
import { formatTable, isoOrDash, readPasswordFromStdin } from './input';

const PASSWORD_STDIN_HINT =
  'give the password on standard input with --password-stdin (a password on the command line is visible to every user of the machine)';

async function passwordFromStdin(context: AdminContext, passwordStdin: boolean | undefined): Promise<string> {
  if (!passwordStdin) throw new CliError(PASSWORD_STDIN_HINT);
  if (process.stdin.isTTY) context.output.err('Type the password, then press Enter and Ctrl-D:');
  return readPasswordFromStdin();
}

async function addUser(context: AdminContext, username: string, options: { org: string; role: Role; passwordStdin?: boolean }): Promise<void> {
  // The name is checked before the password is typed, with the API's own rule and sentence.
  parseAdminInput(addUserBody.pick({ username: true }), { username }, 'body');
  const config = await context.alliance();
  if (!config.organisations.some((org) => org.id === options.org)) {
    const declared = config.organisations.map((org) => org.id).join(', ');
    throw new CliError(`organisation '${options.org}' is not declared in ${context.settings.configDir} (declared: ${declared})`);
  }
  const password = await passwordFromStdin(context, options.passwordStdin);
  // The body POST /admin/users takes, through the same schema and use case: the admin policy decides, one audit record follows.
  const input = parseAdminInput(addUserBody, { username, organisation: options.org, role: options.role, password }, 'body');
  await addUserService(await context.dependencies(), await context.request(), input);
  context.output.out(`Added user ${username} (organisation ${options.org}, role ${options.role}).`);
}

async function listUsers(context: AdminContext, options: { org?: string }): Promise<void> {
  const { org } = parseAdminInput(listUsersQuery, { org: options.org }, 'query');
  const users = await listUsersService(await context.dependencies(), await context.request(), org);
  if (users.length === 0) {
    context.output.out(options.org ? `No users in organisation ${options.org}.` : 'No users.');
    return;
  }
  printUsers(context, users);
}

function printUsers(context: AdminContext, users: UserSummary[]): void {
  const rows = users.map((user) => [user.username, user.organisation, user.role, user.disabled ? 'disabled' : 'active', isoOrDash(user.createdAt)]);
  for (const line of formatTable(['USERNAME', 'ORGANISATION', 'ROLE', 'STATUS', 'CREATED'], rows)) context.output.out(line);
}

/** GET /admin/users/<username>: the same use case, so the same 404 for a user the actor may not see. */
async function showUser(context: AdminContext, username: string): Promise<void> {
  printUsers(context, [await showUserService(await context.dependencies(), await context.request(), { username })]);
}

async function setDisabled(context: AdminContext, username: string, disabled: boolean): Promise<void> {
  if (!(await (await context.credentials()).findUser(username))) throw new CliError(`no user '${username}'`);
  await setUserDisabled(await context.dependencies(), await context.request(), username, disabled);
  context.output.out(`User ${username} ${disabled ? 'disabled: its password and tokens no longer work' : 'enabled'}.`);
}

async function setPassword(context: AdminContext, username: string, options: { passwordStdin?: boolean }): Promise<void> {
  const credentials = await context.credentials();
  if (!(await credentials.findUser(username))) throw new CliError(`no user '${username}'`);
  const { password } = parseAdminInput(setPasswordBody, { password: await passwordFromStdin(context, options.passwordStdin) }, 'body');
  await setUserPassword(await context.dependencies(), await context.request(), { username, password });
  context.output.out(`Password of ${username} changed.`);
}

export function userCommands(context: AdminContext): Command {
  const user = new Command('user').description('manage the people and machines that log in');
  user
    .command('add <username>')
    .description('create a user of a declared organisation; the password is read from stdin')
    .requiredOption('--org <organisation>', 'organisation id declared in collections/')
    .addOption(new Option('--role <role>', 'what the user may administer').choices(ROLES).default('member'))
    .option('--password-stdin', 'read the password from standard input')
    .action((username: string, options: { org: string; role: Role; passwordStdin?: boolean }) => addUser(context, username, options));
  user
    .command('list')
    .description('list users, optionally of one organisation')
    .option('--org <organisation>', 'only this organisation')
    .action((options: { org?: string }) => listUsers(context, options));
  user
    .command('show <username>')
    .description('show one user: organisation, role, status and creation time')
    .action((username: string) => showUser(context, username));
  user
    .command('disable <username>')
    .description('refuse the user\'s password and tokens from now on')
    .action((username: string) => setDisabled(context, username, true));
  user
    .command('enable <username>')
    .description('accept a disabled user again')
    .action((username: string) => setDisabled(context, username, false));
  user
    .command('passwd <username>')
    .description('set a new password, read from stdin')
    .option('--password-stdin', 'read the password from standard input')
    .action((username: string, options: { passwordStdin?: boolean }) => setPassword(context, username, options));
  return user;
}
