import { Command } from 'commander';
import { describeAlliance } from '../../server/config/alliance';
import { applyConfigDirectory, diffConfigDirectory } from '../../server/services/admin/config-apply';
import { ConfigError } from '../../server/errors';
import { CliError, type AdminContext } from './context';
import { printOutcome } from './grant-commands';

async function checkConfig(context: AdminContext): Promise<void> {
  const directory = context.settings.configDir;
  try {
    const config = await context.loadConfig();
    context.output.out(`Configuration in ${directory} is valid.`);
    context.output.out('');
    context.output.out(describeAlliance(config));
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration in ${directory} is invalid:\n${error.message}`);
    throw error;
  }
}

/** An invalid directory is reported as `config check` reports it, and nothing is written. */
async function invalidAsCliError<T>(context: AdminContext, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration in ${context.settings.configDir} is invalid:\n${error.message}`);
    throw error;
  }
}

async function diffConfig(context: AdminContext): Promise<void> {
  const { revision, diff } = await invalidAsCliError(context, async () => diffConfigDirectory(await context.dependencies(), await context.request()));
  if (diff.lines.length === 0) {
    context.output.out(`No differences: ${context.settings.configDir} matches the stored configuration (revision ${revision}).`);
    return;
  }
  context.output.out(`Applying ${context.settings.configDir} over revision ${revision} would change:`);
  for (const line of diff.lines) context.output.out(line);
}

async function applyConfig(context: AdminContext): Promise<void> {
  printOutcome(context, await invalidAsCliError(context, async () => applyConfigDirectory(await context.dependencies(), await context.request(), 'config apply')));
}

export function configCommands(context: AdminContext): Command {
  const config = new Command('config').description('the alliance configuration in collections/ (or CONFIG_DIR)');
  config
    .command('check')
    .description('validate the configuration and print what it declares')
    .action(() => checkConfig(context));
  config
    .command('diff')
    .description('show what `config apply` would change, changing nothing')
    .action(() => diffConfig(context));
  config
    .command('apply')
    .description('validate the configuration, print the changes and store them as one revision that running servers pick up')
    .action(() => applyConfig(context));
  return config;
}
