import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors';
import {
  formatProblem,
  schemaProblems,
  validateAllianceFile,
  validateOrganisationFile,
  type ConfigProblem,
} from './config-schema';
import { crossCheck, type LoadedOrganisationFile } from './cross-check';
import type { RawAllianceFile, RawCollection, RawFeed, RawOrganisationFile } from './raw-config';
import type { AllianceConfig, CollectionConfig, FeedAuth, FeedConfig } from './types';
import { toPushTarget } from './push-config';

export { describeAlliance } from './describe-alliance';

export const ALLIANCE_FILE = 'alliance.yaml';
export const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
export const DEFAULT_MEDIA_TYPES: readonly string[] = ['application/stix+json;version=2.1'];
export const DEFAULT_FEED_POLL_SECONDS = 300;
export const DEFAULT_FEED_PAGE_SIZE = 1000;

const YAML_FILE = /\.ya?ml$/;

type Parsed = { ok: true; value: unknown } | { ok: false; problem: ConfigProblem };

async function readYaml(configDir: string, file: string): Promise<Parsed> {
  const text = await readFile(join(configDir, file), 'utf8');
  // uniqueKeys (the default) turns a repeated key into an error: a silently overridden grant is
  // exactly the kind of mistake a sharing review must not miss.
  const document = parseDocument(text, { prettyErrors: true });
  const error = document.errors[0];
  if (error) {
    const firstLine = (error.message.split('\n')[0] ?? error.message).replace(/:$/, '');
    return { ok: false, problem: { file, path: '', message: `is not valid YAML: ${firstLine}` } };
  }
  return { ok: true, value: document.toJS() };
}

async function listYamlFiles(configDir: string): Promise<string[]> {
  try {
    return (await readdir(configDir)).filter((name) => YAML_FILE.test(name)).sort();
  } catch (error) {
    throw new ConfigError(`cannot read the configuration directory ${configDir}: ${(error as Error).message}`);
  }
}

/**
 * Loads `collections/alliance.yaml` and one `<organisation-id>.yaml` per partner, validates each
 * against schemas/config/ and the cross-file rules, and returns the camelCase configuration.
 * Every problem found is reported at once, one line each, as "<file>: <json-pointer>: <message>".
 */
export async function loadAllianceConfig(configDir: string): Promise<AllianceConfig> {
  const files = await listYamlFiles(configDir);
  if (!files.includes(ALLIANCE_FILE)) throw new ConfigError(`${ALLIANCE_FILE}: missing from ${configDir}`);
  const organisationFiles = files.filter((file) => file !== ALLIANCE_FILE);
  if (organisationFiles.length === 0) throw new ConfigError(`${configDir}: declares no organisation (expected <organisation-id>.yaml files)`);

  const problems: ConfigProblem[] = [];
  const alliance = await readYaml(configDir, ALLIANCE_FILE);
  if (!alliance.ok) problems.push(alliance.problem);
  else problems.push(...schemaProblems(ALLIANCE_FILE, validateAllianceFile, alliance.value));

  const organisations: LoadedOrganisationFile[] = [];
  for (const file of organisationFiles) {
    const parsed = await readYaml(configDir, file);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    const found = schemaProblems(file, validateOrganisationFile, parsed.value);
    problems.push(...found);
    if (found.length === 0) organisations.push({ file, document: parsed.value as RawOrganisationFile });
  }
  // Cross-file rules are only meaningful once every file has its declared shape.
  if (problems.length > 0 || !alliance.ok) throw new ConfigError(problems.map(formatProblem).join('\n'));

  const allianceDocument = alliance.value as RawAllianceFile;
  problems.push(...crossCheck(ALLIANCE_FILE, allianceDocument, organisations));
  if (problems.length > 0) throw new ConfigError(problems.map(formatProblem).join('\n'));
  return toAllianceConfig(allianceDocument, organisations.map((loaded) => loaded.document));
}

function toCollection(owner: string, raw: RawCollection): CollectionConfig {
  return {
    id: raw.id,
    ...(raw.alias !== undefined && { alias: raw.alias }),
    title: raw.title,
    ...(raw.description !== undefined && { description: raw.description }),
    owner,
    apiRoot: raw.api_root,
    mediaTypes: raw.media_types ?? [...DEFAULT_MEDIA_TYPES],
    ...(raw.max_tlp !== undefined && { maxTlp: raw.max_tlp }),
    unmarked: raw.unmarked ?? 'allow',
    foreignVersions: raw.foreign_versions ?? 'refuse',
    grants: (raw.grants ?? []).map((grant) => ({
      organisation: grant.organisation,
      read: grant.access.includes('read'),
      write: grant.access.includes('write'),
    })),
    ...(raw.feeds !== undefined && raw.feeds.length > 0 && { feeds: raw.feeds.map(toFeed) }),
    ...(raw.push !== undefined && { push: raw.push.map(toPushTarget) }),
  };
}

function toFeedAuth(raw: NonNullable<RawFeed['auth']>): FeedAuth {
  // The schema allows exactly one secret source per shape; `in` picks the shape.
  if (raw.type === 'bearer') return { type: 'bearer', ...('token_env' in raw ? { tokenEnv: raw.token_env } : { tokenFile: raw.token_file }) };
  return {
    type: 'basic',
    ...(raw.username !== undefined && { username: raw.username }),
    ...(raw.username_env !== undefined && { usernameEnv: raw.username_env }),
    ...('password_env' in raw ? { passwordEnv: raw.password_env } : { passwordFile: raw.password_file }),
  };
}

function toFeed(raw: RawFeed): FeedConfig {
  return {
    id: raw.id,
    url: raw.url,
    ...(raw.collection !== undefined && { remoteCollection: raw.collection }),
    ...(raw.auth !== undefined && { auth: toFeedAuth(raw.auth) }),
    pollIntervalSeconds: raw.poll_interval ?? DEFAULT_FEED_POLL_SECONDS,
    ...(raw.types !== undefined && { types: raw.types }),
    ...(raw.added_after !== undefined && { addedAfter: raw.added_after }),
    pageSize: raw.page_size ?? DEFAULT_FEED_PAGE_SIZE,
  };
}

function toAllianceConfig(alliance: RawAllianceFile, organisations: RawOrganisationFile[]): AllianceConfig {
  const { server } = alliance;
  return {
    server: {
      title: server.title,
      ...(server.description !== undefined && { description: server.description }),
      ...(server.contact !== undefined && { contact: server.contact }),
      ...(server.default_api_root !== undefined && { defaultApiRoot: server.default_api_root }),
    },
    apiRoots: alliance.api_roots.map((root) => ({
      path: root.path,
      title: root.title,
      ...(root.description !== undefined && { description: root.description }),
      maxContentLength: root.max_content_length ?? DEFAULT_MAX_CONTENT_LENGTH,
      strictTypes: root.strict_types ?? false,
      ...(root.created_by_check !== undefined && { createdByCheck: root.created_by_check }),
      ...(root.rate_limit_per_second !== undefined && { rateLimitPerSecond: root.rate_limit_per_second }),
    })),
    organisations: organisations.map((org) => ({
      id: org.id,
      name: org.name,
      ...(org.country !== undefined && { country: org.country }),
      kind: org.kind,
      ...(org.identities !== undefined && { identities: org.identities }),
    })),
    collections: organisations.flatMap((org) => (org.collections ?? []).map((collection) => toCollection(org.id, collection))),
  };
}
