import { Command } from 'commander';
import { describeAlliance } from '../../server/config/alliance';
import { ConfigError } from '../../server/errors';
import { CliError, type AdminContext } from './context';

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

export function configCommands(context: AdminContext): Command {
  const config = new Command('config').description('the alliance configuration in collections/ (or CONFIG_DIR)');
  config
    .command('check')
    .description('validate the configuration and print what it declares')
    .action(() => checkConfig(context));
  return config;
}
