import { Command } from 'commander';
import { readSettings } from '../server/config/settings';
import { ConfigError } from '../server/errors';
import { configCommands } from './admin/config-commands';
import { AdminContext, CliError, type Output } from './admin/context';
import { tokenCommands } from './admin/token-commands';
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
      .showHelpAfterError('(run with --help for usage)');
    const adminContext = new AdminContext(readSettings(), output, () => program.opts<{ verbose?: boolean }>().verbose === true);
    context = adminContext;
    program.addCommand(userCommands(adminContext)).addCommand(tokenCommands(adminContext)).addCommand(configCommands(adminContext));
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) output.err(`error: ${error.message}`);
    else output.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await context?.close();
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
