import { Command } from 'commander';
import { readSettings } from '../server/config/settings';
import { ConfigError, TaxiiError } from '../server/errors';
import { auditCommands } from './admin/audit-commands';
import { grantCommands } from './admin/grant-commands';
import { lockoutCommands } from './admin/lockout-commands';
import { configCommands } from './admin/config-commands';
import { connectCommands } from './admin/connect-commands';
import { feedCommands } from './admin/feed-commands';
import { AdminContext, CliError, type Output } from './admin/context';
import { pushCommands } from './admin/push-commands';
import { tokenCommands } from './admin/token-commands';
import { transferCommands } from './admin/transfer-commands';
import { userCommands } from './admin/user-commands';

/**
 * Administration of users, API tokens and the alliance configuration:
 * `npm run admin -- <command>`; `npm run admin -- --help` lists the commands.
 * The database is the one the server uses: MONGODB_URI if set, else the embedded FerretDB.
 */
async function main(argv: string[]): Promise<number> {
  const output: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
  let context: AdminContext | undefined;
  try {
    const program = new Command('admin')
      .description('Taxii Alliance Server administration')
      .option('-v, --verbose', 'log database start-up and connection details to stderr')
      .option('--as <username>', 'act with this user\'s organisation and role (default: the operator, an alliance-admin)')
      .showHelpAfterError('(run with --help for usage)');
    const options = () => program.opts<{ verbose?: boolean; as?: string }>();
    const adminContext = new AdminContext(readSettings(), output, () => options().verbose === true, () => options().as);
    context = adminContext;
    program.addCommand(userCommands(adminContext)).addCommand(tokenCommands(adminContext)).addCommand(configCommands(adminContext));
    program.addCommand(grantCommands(adminContext));
    program.addCommand(connectCommands(adminContext));
    program.addCommand(pushCommands(adminContext));
    for (const command of auditCommands(adminContext)) program.addCommand(command);
    for (const command of transferCommands(adminContext)) program.addCommand(command);
    for (const command of lockoutCommands(adminContext)) program.addCommand(command);
    for (const command of feedCommands(adminContext)) program.addCommand(command);
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) output.err(`error: ${error.message}`);
    // The admin use cases speak in the server's error catalog; their description is the sentence for a person.
    else if (error instanceof TaxiiError) output.err(`error: ${error.description ?? error.title}`);
    else output.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await context?.close();
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
