import { readFile } from 'node:fs/promises';
import type { PushCredentials, SecretReference } from '../config/types';

/** Reads an environment variable; config/settings.ts hands one over, since it alone reads process.env. */
export type EnvironmentLookup = (name: string) => string | undefined;

/** A secret that cannot be read: the round fails with this sentence, recorded in the target's state. */
export class SecretUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretUnavailable';
  }
}

async function readSecret(reference: SecretReference, environment: EnvironmentLookup): Promise<string> {
  if ('env' in reference) {
    const value = environment(reference.env);
    if (value === undefined || value === '') throw new SecretUnavailable(`the environment variable ${reference.env} is not set`);
    return value;
  }
  try {
    // One trailing newline is what `echo secret > file` leaves; it is not part of the secret.
    return (await readFile(reference.file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new SecretUnavailable(`cannot read ${reference.file}: ${(error as Error).message}`);
  }
}

/**
 * The Authorization header for a push target, read at each round so a rotated secret is picked up
 * without a restart; undefined when the remote takes no credentials.
 */
export async function authorizationFor(credentials: PushCredentials, environment: EnvironmentLookup): Promise<string | undefined> {
  if (credentials.kind === 'basic') {
    const password = await readSecret(credentials.password, environment);
    return `Basic ${Buffer.from(`${credentials.username}:${password}`).toString('base64')}`;
  }
  if (credentials.kind === 'bearer') return `Bearer ${await readSecret(credentials.token, environment)}`;
  return undefined;
}
