import type { AllianceConfig } from '../config/types';

/** The effective alliance configuration, as last applied (docs/access-model.md, How configuration changes apply). */
export interface StoredAllianceConfig {
  /** Counts applies from 1; a server swaps its configuration when it sees a higher one. */
  revision: number;
  config: AllianceConfig;
  appliedAt: Date;
  /** `username (organisation)` of whoever applied it, or the server at start-up. */
  appliedBy: string;
}

export type NewAllianceConfig = Omit<StoredAllianceConfig, 'revision'>;

/**
 * One record, replaced whole: an apply is a single atomic write, so a reader sees the old
 * configuration or the new one and never a mixture of both.
 */
export interface AllianceConfigStore {
  read(): Promise<StoredAllianceConfig | undefined>;
  /** The stored revision, 0 when nothing was ever applied; cheap enough to poll. */
  revision(): Promise<number>;
  /** Stores `next` as revision `expectedRevision + 1`; false, storing nothing, when another apply came first. */
  replace(expectedRevision: number, next: NewAllianceConfig): Promise<boolean>;
}
