import { Command } from 'commander';
import { changeGrant } from '../../server/services/admin/grants';
import { parseAdminInput } from '../../server/services/admin/input-errors';
import { grantPath, setGrantBody } from '../../server/services/admin/inputs';
import type { ApplyOutcome } from '../../server/services/admin/config-apply';
import { CliError, type AdminContext } from './context';

export function printOutcome(context: AdminContext, outcome: ApplyOutcome): void {
  if (!outcome.changed) {
    context.output.out(`Nothing to apply: the stored configuration (revision ${outcome.revision}) already says so.`);
    return;
  }
  for (const line of outcome.diff.lines) context.output.out(line);
  context.output.out(`Applied as revision ${outcome.revision}; running servers pick it up within seconds.`);
  if (outcome.diff.needsRestart) context.output.out('API roots were added or removed: restart the servers to serve the new paths.');
}

async function setGrant(context: AdminContext, collection: string, organisation: string, options: { read?: boolean; write?: boolean }): Promise<void> {
  if (!options.read && !options.write) throw new CliError('give --read, --write or both; to remove a grant use `grant revoke`');
  // The path and body PUT /admin/collections/<collection>/grants/<org> takes, through the same schemas and use case.
  const path = parseAdminInput(grantPath, { collectionId: collection, organisation }, 'path');
  const body = parseAdminInput(setGrantBody, { read: options.read === true, write: options.write === true }, 'body');
  printOutcome(context, await changeGrant(await context.dependencies(), await context.request(), { ...path, ...body }));
}

async function revokeGrant(context: AdminContext, collection: string, organisation: string): Promise<void> {
  const path = parseAdminInput(grantPath, { collectionId: collection, organisation }, 'path');
  printOutcome(context, await changeGrant(await context.dependencies(), await context.request(), path));
}

/** Grant changes edit the owner's YAML file, validate the directory and apply it, exactly as the admin API does. */
export function grantCommands(context: AdminContext): Command {
  const grant = new Command('grant').description('give or take another organisation\'s access to a collection');
  grant
    .command('set <collection> <organisation>')
    .description('set the organisation\'s rights on the collection (id or alias), replacing any it had')
    .option('--read', 'may read')
    .option('--write', 'may write')
    .action((collection: string, organisation: string, options: { read?: boolean; write?: boolean }) => setGrant(context, collection, organisation, options));
  grant
    .command('revoke <collection> <organisation>')
    .description('remove the organisation\'s grant on the collection')
    .action((collection: string, organisation: string) => revokeGrant(context, collection, organisation));
  return grant;
}
