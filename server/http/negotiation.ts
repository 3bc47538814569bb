import type { NextFunction, Request, Response } from 'express';
import { NotAcceptable, UnsupportedMediaType } from '../errors';
import { acceptsTaxii21, isTaxii21ContentType } from '../taxii/media-types';

export function requireAcceptable(alsoStix: boolean) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (acceptsTaxii21(req.get('accept'), alsoStix)) return next();
    next(new NotAcceptable(`This server answers with application/taxii+json;version=2.1; the Accept header '${req.get('accept')}' does not allow it.`));
  };
}

export function requireTaxiiBody(req: Request, _res: Response, next: NextFunction): void {
  if (isTaxii21ContentType(req.get('content-type'))) return next();
  next(new UnsupportedMediaType(`Send the body as application/taxii+json;version=2.1, not '${req.get('content-type') ?? 'nothing'}'.`));
}
