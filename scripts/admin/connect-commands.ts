import { Argument, Command } from 'commander';
import type { Principal } from '../../server/auth/principal';
import { resolveCollection } from '../../server/config/resolve-collection';
import { parsePublicBaseUrl, type ServerSettings } from '../../server/config/settings';
import { canSee, rightsOn } from '../../server/policy/access-policy';
import { visibleCollections } from '../../server/policy/visibility';
import { CliError, type AdminContext } from './context';
import { canUse, connectionSheet, INTEGRATION_TOOLS, isIntegrationTool, type ConnectionSheet, type IntegrationTool } from './integration-profiles';

interface ConnectOptions {
  user: string;
  collection: string;
  baseUrl?: string;
}

/** --base-url, else PUBLIC_BASE_URL, else the address this server listens on (said on stderr: partners rarely reach it). */
function baseUrlFor(context: AdminContext, option: string | undefined): string {
  if (option !== undefined) return parsePublicBaseUrl(option, '--base-url');
  if (context.settings.publicBaseUrl) return context.settings.publicBaseUrl;
  const fallback = listeningUrl(context.settings);
  context.output.err(`PUBLIC_BASE_URL is not set: printing ${fallback}, where this server listens. Set PUBLIC_BASE_URL or pass --base-url with the address partners reach.`);
  return fallback;
}

function listeningUrl(settings: ServerSettings): string {
  const scheme = settings.tlsCertFile ? 'https' : 'http';
  const host = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return `${scheme}://${host}:${settings.port}`;
}

async function connect(context: AdminContext, tool: IntegrationTool, options: ConnectOptions): Promise<void> {
  const baseUrl = baseUrlFor(context, options.baseUrl);
  const config = await context.alliance();
  const collection = resolveCollection(config, options.collection);
  if (!collection) throw new CliError(`no collection '${options.collection}' in ${context.settings.configDir} (give its id or alias)`);
  const user = await (await context.credentials()).findUser(options.user);
  if (!user) throw new CliError(`no user '${options.user}'`);
  if (user.disabled) throw new CliError(`user '${options.user}' is disabled: enable it before connecting a tool with it`);
  // The same question every TAXII route asks the policy module, for the user the tool will authenticate as.
  const principal: Principal = { username: user.username, organisation: user.organisation, role: user.role, authenticatedBy: { method: 'password' } };
  const rights = rightsOn(principal, collection);
  const named = `"${collection.title}" (${collection.id})`;
  if (!canSee(rights)) {
    throw new CliError(`${user.username} (organisation ${user.organisation}) has no grant on ${named}: the collection does not exist for them (404). The owner, ${collection.owner}, grants access in its YAML file.`);
  }
  if (!canUse(tool, rights)) {
    throw new CliError(`${user.username} (organisation ${user.organisation}) may not read ${named}, and ${tool} polls it. The owner, ${collection.owner}, grants read in its YAML file.`);
  }
  const apiRoot = config.apiRoots.find((root) => root.path === collection.apiRoot);
  if (!apiRoot) throw new CliError(`collection ${named} names API root '${collection.apiRoot}', which ${context.settings.configDir} does not declare`);
  const sameTitleElsewhere = visibleCollections(principal, config, apiRoot.path).filter((other) => other.id !== collection.id && other.title === collection.title).length;
  const sheet = connectionSheet(tool, {
    baseUrl,
    apiRoot: { path: apiRoot.path, title: apiRoot.title, maxContentLength: apiRoot.maxContentLength },
    collection: { id: collection.id, title: collection.title, ...(collection.alias !== undefined && { alias: collection.alias }) },
    username: user.username,
    organisation: user.organisation,
    rights,
    sameTitleElsewhere,
  });
  const apiRootUrl = `${baseUrl}/${apiRoot.path}/`;
  const facts: Array<[string, string]> = [
    ['User', `${user.username} (organisation ${user.organisation})`],
    ['Collection', collection.title],
    ['  id', collection.id],
    ...(collection.alias !== undefined ? [['  alias', `${collection.alias} (accepted by this server only; tools get the id)`] as [string, string]] : []),
    ['  can_read', String(rights.canRead)],
    ['  can_write', String(rights.canWrite)],
    ['API root', `${apiRootUrl} (max_content_length ${apiRoot.maxContentLength})`],
    ['Discovery', `${baseUrl}/taxii2/`],
  ];
  for (const line of render(sheet, facts)) context.output.out(line);
}

function aligned(fields: Array<[string, string]>, indent: string): string[] {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  return fields.map(([label, value]) => `${indent}${`${label}:`.padEnd(width + 1)}${value}`);
}

function render(sheet: ConnectionSheet, facts: Array<[string, string]>): string[] {
  const lines = [sheet.product, `Guide: ${sheet.guide}`, '', ...aligned(facts, ''), '', 'Authentication:', ...sheet.auth.map((line) => `  ${line}`)];
  for (const section of sheet.sections) lines.push('', `${section.heading}:`, ...aligned(section.fields, '  '));
  lines.push('', 'Smoke test:', ...sheet.smokeTest.map((line) => `  ${line}`));
  if (sheet.warnings.length > 0) lines.push('', 'Warnings:', ...sheet.warnings.map((line) => `  ${line}`));
  return lines;
}

export function connectCommands(context: AdminContext): Command {
  return new Command('connect')
    .description('print what to paste into a partner\'s tool (OpenCTI, MISP, Sentinel, Elastic, Splunk, QRadar) for one user and collection')
    .addArgument(new Argument('<tool>', 'the tool to connect').choices(INTEGRATION_TOOLS))
    .requiredOption('--user <username>', 'the user the tool authenticates as')
    .requiredOption('--collection <id-or-alias>', 'the collection to poll (or, for MISP, to push to)')
    .option('--base-url <url>', 'scheme://host[:port] partners reach this server at (default: PUBLIC_BASE_URL)')
    .action((tool: string, options: ConnectOptions) => {
      if (!isIntegrationTool(tool)) throw new CliError(`unknown tool '${tool}' (one of ${INTEGRATION_TOOLS.join(', ')})`);
      return connect(context, tool, options);
    });
}
