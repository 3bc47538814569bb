import pino from 'pino';
import { loadAllianceConfig } from '../../server/config/alliance';
import type { ServerSettings } from '../../server/config/settings';
import type { AllianceConfig } from '../../server/config/types';
import type { CredentialRepository } from '../../server/storage/credential-repository';
import { MongoCredentialRepository } from '../../server/storage/mongo/credential-repository';
import { openConfiguredDatabase, type ConfiguredDatabase } from '../../server/storage/open-database';

/** A mistake of the person at the keyboard: printed as one line on stderr, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * What commands need, opened only on first use: `config check` never starts a database, and a
 * command that fails on its arguments fails before one is started.
 */
export class AdminContext {
  private database?: ConfiguredDatabase;
  private repository?: CredentialRepository;
  private config?: AllianceConfig;

  constructor(
    readonly settings: ServerSettings,
    readonly output: Output,
    private readonly verbose: () => boolean,
  ) {}

  loadConfig(): Promise<AllianceConfig> {
    return loadAllianceConfig(this.settings.configDir);
  }

  async alliance(): Promise<AllianceConfig> {
    this.config ??= await this.loadConfig();
    return this.config;
  }

  async credentials(): Promise<CredentialRepository> {
    if (this.repository) return this.repository;
    // Logs go to stderr so that stdout carries only results (a token can be captured with $(...)).
    const log = pino({ level: this.verbose() ? 'debug' : 'warn', base: { service: 'taxii-admin' } }, pino.destination({ dest: 2, sync: true }));
    this.database = await openConfiguredDatabase(this.settings, log);
    const repository = new MongoCredentialRepository(this.database.handle.db);
    await repository.ensureIndexes();
    this.repository = repository;
    return repository;
  }

  async close(): Promise<void> {
    await this.database?.stop();
    this.database = undefined;
    this.repository = undefined;
  }
}
