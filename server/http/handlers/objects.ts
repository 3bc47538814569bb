import type { Request, Response } from 'express';
import { addObjects } from '../../services/add-objects';
import type { CollectionRequest, TaxiiContext } from '../../services/context';
import { deleteObject } from '../../services/delete-object';
import { readListing } from '../../services/read-objects';
import { buildStatus } from '../../taxii/envelope';
import { readJsonBody } from '../body';
import { rawQueryOf } from '../request-scope';
import { sendTaxii } from '../respond';

export async function getObjectsHandler(context: TaxiiContext, scope: CollectionRequest, req: Request, res: Response): Promise<void> {
  const response = await readListing(context, scope, 'objects', rawQueryOf(req.originalUrl));
  sendTaxii(res, 200, response.body, response.headers);
}

export async function manifestHandler(context: TaxiiContext, scope: CollectionRequest, req: Request, res: Response): Promise<void> {
  const response = await readListing(context, scope, 'manifest', rawQueryOf(req.originalUrl));
  sendTaxii(res, 200, response.body, response.headers);
}

export async function getObjectHandler(context: TaxiiContext, scope: CollectionRequest, req: Request, res: Response): Promise<void> {
  const response = await readListing(context, scope, 'object', rawQueryOf(req.originalUrl), String(req.params.objectId));
  sendTaxii(res, 200, response.body, response.headers);
}

export async function versionsHandler(context: TaxiiContext, scope: CollectionRequest, req: Request, res: Response): Promise<void> {
  const response = await readListing(context, scope, 'versions', rawQueryOf(req.originalUrl), String(req.params.objectId));
  sendTaxii(res, 200, response.body, response.headers);
}

export async function addObjectsHandler(context: TaxiiContext, scope: CollectionRequest, req: Request, res: Response): Promise<void> {
  const body = await readJsonBody(req, res, scope.root.maxContentLength);
  const status = await addObjects(context, scope, body);
  sendTaxii(res, 202, buildStatus(status));
}

export async function deleteObjectHandler(context: TaxiiContext, scope: CollectionRequest, req: Request, res: Response): Promise<void> {
  await deleteObject(context, scope, String(req.params.objectId), rawQueryOf(req.originalUrl));
  sendTaxii(res, 200, undefined);
}
