import { showValue, type ConfigProblem } from './config-schema';
import type { RawPushTarget } from './raw-config';
import type { PushCredentials, PushTarget, SecretReference } from './types';

/** How often a target is looked at when the YAML does not say (docs/federation.md, push). */
export const DEFAULT_PUSH_INTERVAL_SECONDS = 30;

/**
 * The credential rules of one `push:` entry that the schema cannot say in a readable way: Basic
 * takes a username and exactly one password source, a bearer token exactly one source, never both.
 */
export function pushTargetProblems(file: string, at: string, targets: RawPushTarget[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const urls = new Set<string>();
  targets.forEach((target, index) => {
    const path = `${at}/push/${index}`;
    const passwords = [target.password_env, target.password_file].filter((source) => source !== undefined).length;
    const tokens = [target.token_env, target.token_file].filter((source) => source !== undefined).length;
    if (target.username !== undefined && passwords !== 1) {
      problems.push({ file, path: `${path}/username`, message: 'needs exactly one of password_env or password_file' });
    }
    if (target.username === undefined && passwords > 0) {
      problems.push({ file, path: `${path}/${target.password_env !== undefined ? 'password_env' : 'password_file'}`, message: 'is a password for no username: add username' });
    }
    if (tokens > 1) problems.push({ file, path: `${path}/token_file`, message: 'give token_env or token_file, not both' });
    if (tokens > 0 && target.username !== undefined) {
      problems.push({ file, path: `${path}/username`, message: 'give either username with a password or a token, not both' });
    }
    if (urls.has(target.collection_url)) {
      problems.push({ file, path: `${path}/collection_url`, message: `${showValue(target.collection_url)} is already a push target of this collection` });
    }
    urls.add(target.collection_url);
  });
  return problems;
}

function secret(envName: string | undefined, file: string | undefined): SecretReference | undefined {
  if (envName !== undefined) return { env: envName };
  if (file !== undefined) return { file };
  return undefined;
}

function toCredentials(raw: RawPushTarget): PushCredentials {
  const password = secret(raw.password_env, raw.password_file);
  if (raw.username !== undefined && password) return { kind: 'basic', username: raw.username, password };
  const token = secret(raw.token_env, raw.token_file);
  if (token) return { kind: 'bearer', token };
  return { kind: 'none' };
}

export function toPushTarget(raw: RawPushTarget): PushTarget {
  return { collectionUrl: raw.collection_url, credentials: toCredentials(raw), intervalSeconds: raw.interval_seconds ?? DEFAULT_PUSH_INTERVAL_SECONDS };
}
