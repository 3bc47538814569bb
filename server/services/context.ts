import type { AllianceConfig } from '../config/types';
import type { ObjectRepository, StatusRepository } from '../storage/repository';
import type { PageSizeSettings } from '../taxii/pagination';
import type { DateAddedClock } from '../taxii/timestamps';
import type { KeyedLock } from './keyed-lock';

/** One verdict per object (issue 4); the STIX validator is one implementation. */
export type ObjectVerdict = { valid: true } | { valid: false; reasons: string[] };

export interface ObjectValidator {
  validate(object: unknown, options: { strictTypes: boolean }): ObjectVerdict;
}

/** Everything the TAXII use cases need, built once by app.ts. */
export interface TaxiiContext {
  config: AllianceConfig;
  objects: ObjectRepository;
  statuses: StatusRepository;
  validator: ObjectValidator;
  clock: DateAddedClock;
  ingestLock: KeyedLock;
  pageSizes: PageSizeSettings;
  statusRetentionHours: number;
}
