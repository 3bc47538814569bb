import type { Principal } from '../auth/principal';
import type { ApiRootConfig } from '../config/types';
import { StatusNotFound } from '../errors';
import { buildStatus, type StatusResource } from '../taxii/envelope';
import type { TaxiiContext } from './context';

/** Only the publishing organisation reads a status (checklist S-03); to anyone else it does not exist. */
export async function statusFor(context: TaxiiContext, principal: Principal, root: ApiRootConfig, id: string): Promise<StatusResource> {
  const status = await context.statuses.find(root.path, id);
  if (!status || status.organisation !== principal.organisation) throw new StatusNotFound(id);
  return buildStatus(status);
}
