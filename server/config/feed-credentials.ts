import { isAbsolute, join } from 'node:path';
import { ConfigError } from '../errors';
import type { AllianceConfig, FeedConfig } from './types';

/** Where a feed's secrets come from: the process environment and files, handed in by config/settings.ts. */
export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
  /** Relative secret files are read from here (CONFIG_DIR), so a file sits beside the YAML that names it. */
  baseDir: string;
}

function fromEnv(sources: SecretSources, feed: FeedConfig, name: string): string {
  const value = sources.env[name];
  if (value === undefined || value === '') throw new ConfigError(`feed ${feed.id}: the environment variable ${name} named by its auth is not set`);
  return value;
}

function fromFile(sources: SecretSources, feed: FeedConfig, path: string): string {
  const full = isAbsolute(path) ? path : join(sources.baseDir, path);
  let text: string;
  try {
    text = sources.readFile(full);
  } catch (error) {
    throw new ConfigError(`feed ${feed.id}: cannot read the secret file ${full} named by its auth: ${(error as Error).message}`);
  }
  // A trailing newline is how editors and `echo` leave a file; it is never part of the secret.
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new ConfigError(`feed ${feed.id}: the secret file ${full} named by its auth is empty`);
  return secret;
}

/**
 * The Authorization header for one feed, or undefined when it declares no auth. Read afresh at each
 * poll, so a rotated token file is used without a restart. Throws a ConfigError naming the feed
 * and the missing variable or file.
 */
export function feedAuthorization(feed: FeedConfig, sources: SecretSources): string | undefined {
  const auth = feed.auth;
  if (!auth) return undefined;
  if (auth.type === 'bearer') {
    const token = auth.tokenEnv !== undefined ? fromEnv(sources, feed, auth.tokenEnv) : fromFile(sources, feed, auth.tokenFile ?? '');
    return `Bearer ${token}`;
  }
  const username = auth.usernameEnv !== undefined ? fromEnv(sources, feed, auth.usernameEnv) : (auth.username ?? '');
  const password = auth.passwordEnv !== undefined ? fromEnv(sources, feed, auth.passwordEnv) : fromFile(sources, feed, auth.passwordFile ?? '');
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Every feed of the alliance with its credentials resolved once: a start-up check that reports all problems together. */
export function checkFeedCredentials(config: AllianceConfig, sources: SecretSources): void {
  const problems: string[] = [];
  for (const collection of config.collections) {
    for (const feed of collection.feeds ?? []) {
      try {
        feedAuthorization(feed, sources);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}
