import { userInfo } from 'node:os';
import pino from 'pino';
import { createAdminDependencies } from '../../server/bootstrap';
import { loadAllianceConfig } from '../../server/config/alliance';
import type { ServerSettings } from '../../server/config/settings';
import type { AllianceConfig } from '../../server/config/types';
import { OPERATOR_ORGANISATION, type AdminActor } from '../../server/policy/admin-policy';
import type { AdminRequest, AdminDependencies } from '../../server/services/admin/admin-dependencies';
import type { CredentialRepository } from '../../server/storage/credential-repository';
import { openConfiguredStorage } from '../../server/storage/open-storage';
import type { Storage } from '../../server/storage/storage';

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
  private storage?: Storage;
  private config?: AllianceConfig;
  private adminDependencies?: AdminDependencies;

  constructor(
    readonly settings: ServerSettings,
    readonly output: Output,
    private readonly verbose: () => boolean,
    /** `--as <username>`: act with that user's organisation and role instead of as the operator. */
    private readonly actingAs: () => string | undefined = () => undefined,
  ) {}

  loadConfig(): Promise<AllianceConfig> {
    return loadAllianceConfig(this.settings.configDir);
  }

  async alliance(): Promise<AllianceConfig> {
    this.config ??= await this.loadConfig();
    return this.config;
  }

  /** The configured store, as a tool beside a server that may be running on it. */
  async open(): Promise<Storage> {
    if (this.storage) return this.storage;
    // Logs go to stderr so that stdout carries only results (a token can be captured with $(...)).
    const log = pino({ level: this.verbose() ? 'debug' : 'warn', base: { service: 'taxii-admin' } }, pino.destination({ dest: 2, sync: true }));
    const storage = await openConfiguredStorage(this.settings, log, 'tool');
    // The unique username index is what refuses a duplicate user, and the CLI may run before any server did.
    await storage.prepare();
    this.storage = storage;
    return storage;
  }

  async credentials(): Promise<CredentialRepository> {
    return (await this.open()).credentials;
  }

  /** The same use cases the admin API calls, over the same database, with collections/ (or CONFIG_DIR) as the configuration. */
  async dependencies(): Promise<AdminDependencies> {
    this.adminDependencies ??= createAdminDependencies(await this.open(), this.settings.configDir, { config: await this.alliance() });
    return this.adminDependencies;
  }

  /**
   * Who the CLI acts as. Whoever can run it holds the database credentials and the
   * configuration directory, so by default it is the alliance's operator (an alliance-admin
   * named after the OS account, for the audit trail); `--as` narrows it to a real user's rights.
   */
  async request(): Promise<AdminRequest> {
    const username = this.actingAs();
    if (username === undefined) {
      const actor: AdminActor = { username: `cli:${userInfo().username}`, organisation: OPERATOR_ORGANISATION, role: 'alliance-admin' };
      return { actor, via: 'cli' };
    }
    const user = await (await this.credentials()).findUser(username);
    if (!user) throw new CliError(`--as: no user '${username}'`);
    if (user.disabled) throw new CliError(`--as: user '${username}' is disabled`);
    return { actor: { username: user.username, organisation: user.organisation, role: user.role }, via: 'cli' };
  }

  async close(): Promise<void> {
    await this.storage?.close();
    this.storage = undefined;
    this.adminDependencies = undefined;
  }
}
