import express, { Router, type NextFunction, type Request, type Response } from 'express';
import supertest from 'supertest';
import { MethodNotAllowed, TaxiiError } from '../../server/errors';
import { refuseUnlistedMethods } from '../../server/http/method-not-allowed';

describe('refuseUnlistedMethods', () => {
  const router = Router({ strict: false });
  const routes = [
    { method: 'get', path: '/things' },
    { method: 'post', path: '/things' },
    { method: 'delete', path: '/things/:id' },
  ] as const;
  router.get('/things', (_req, res) => void res.send('listed'));
  router.post('/things', (_req, res) => void res.send('added'));
  router.delete('/things/:id', (_req, res) => void res.send('removed'));
  refuseUnlistedMethods(router, routes);
  const app = express();
  app.use(router);
  // The app's own error handler is not under test: expose what reached it.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const isOurs = error instanceof MethodNotAllowed;
    res.status(error instanceof TaxiiError ? error.httpStatus : 500).json({ isOurs, description: error instanceof Error ? error.message : '' });
  });

  it('lets the listed methods through', async () => {
    expect((await supertest(app).get('/things')).text).toBe('listed');
    expect((await supertest(app).delete('/things/x')).text).toBe('removed');
  });

  it.each([
    ['put', '/things', 'GET, POST'],
    ['delete', '/things', 'GET, POST'],
    ['get', '/things/x', 'DELETE'],
  ] as const)('refuses %s %s with a 405 naming %s', async (method, path, allowed) => {
    const response = await supertest(app)[method](path);
    expect(response.status).toBe(405);
    expect(response.body.isOurs).toBe(true);
    expect(response.body.description).toContain(allowed);
  });

  it('leaves a path outside the table to whatever answers next', async () => {
    expect((await supertest(app).put('/elsewhere')).status).toBe(404);
  });
});
