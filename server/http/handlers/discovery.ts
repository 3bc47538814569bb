import type { Request, Response } from 'express';
import type { CollectionRequest, TaxiiContext } from '../../services/context';
import { describeCollection, listCollections } from '../../services/collections';
import { describeApiRoot, discover } from '../../services/discovery';
import { statusFor } from '../../services/status';
import { principalOf } from '../request-scope';
import type { RootScope } from '../request-scope';
import { sendTaxii } from '../respond';

export function discoveryHandler(context: TaxiiContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    sendTaxii(res, 200, discover(context.config, principalOf(res)));
  };
}

export async function apiRootHandler(_context: TaxiiContext, scope: RootScope, _req: Request, res: Response): Promise<void> {
  sendTaxii(res, 200, describeApiRoot(scope.root));
}

export async function collectionsHandler(context: TaxiiContext, scope: RootScope, _req: Request, res: Response): Promise<void> {
  sendTaxii(res, 200, listCollections(context.config, scope.principal, scope.root));
}

export async function collectionHandler(_context: TaxiiContext, scope: CollectionRequest, _req: Request, res: Response): Promise<void> {
  sendTaxii(res, 200, describeCollection(scope.principal, scope.collection));
}

export async function statusHandler(context: TaxiiContext, scope: RootScope, req: Request, res: Response): Promise<void> {
  sendTaxii(res, 200, await statusFor(context, scope.principal, scope.root, String(req.params.statusId)));
}
