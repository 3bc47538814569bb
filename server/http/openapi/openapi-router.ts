import { Router, type Request, type Response } from 'express';
import { refuseUnlistedMethods } from '../method-not-allowed';
import { ADMIN_DOCUMENT_PATH, buildAdminDocument } from './admin-document';
import { buildTaxiiDocument, TAXII_DOCUMENT_PATH } from './taxii-document';

/**
 * Serves the OpenAPI documents (docs/openapi.md). They are built once, at start-up, from the route
 * tables and schemas, and hold path templates only, never an API root or collection of this
 * deployment; they are still served after authentication, like every other path (checklist H-07).
 */
export function createOpenApiRouter(options: { admin: boolean }): Router {
  const router = Router({ strict: false });
  const documents = [{ method: 'get', path: TAXII_DOCUMENT_PATH, text: JSON.stringify(buildTaxiiDocument()) }];
  if (options.admin) documents.push({ method: 'get', path: ADMIN_DOCUMENT_PATH, text: JSON.stringify(buildAdminDocument()) });
  for (const document of documents) {
    router.get(document.path, (_req: Request, res: Response) => {
      res.type('application/json').send(document.text);
    });
  }
  refuseUnlistedMethods(router, documents);
  return router;
}
