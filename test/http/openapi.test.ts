import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import supertest, { type Response } from 'supertest';
import { buildAdminDocument } from '../../server/http/openapi/admin-document';
import type { OpenApiDocument, Operation, ResponseObject } from '../../server/http/openapi/openapi-document';
import { buildTaxiiDocument } from '../../server/http/openapi/taxii-document';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { IDS, adminClient, startAdminTestServer, taxiiAs, type AdminTestServer } from '../scripts/admin/admin-test-server';
import { validateOpenApi } from '../support/openapi-validator';
import { indicator } from '../support/stix-samples';

/**
 * Paths the server answers that belong to neither API: the web console is a page for people, not an
 * API. Its pages are routed by regular expressions (server/http/console/console-static.ts), which the
 * walk shows by their source, hence the second pattern.
 */
const NOT_IN_THE_APIS = [/^\/console(\/|$)/, /^\/\^\\\/console/];

interface RouterLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
}

/**
 * Every method and path the app answers through a route, found by walking Express's router
 * stacks as createApp mounted them. `all` routes are the 405 answers (server/http/method-not-allowed.ts),
 * not operations. An API root's mount path is replaced by the `{apiRoot}` template.
 */
function mountedOperations(app: Express, rootPaths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (stack: RouterLayer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${String(layer.route.path)}`.replace(/:(\w+)/g, '{$1}');
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.push(`${method} ${path}`);
      } else if (layer.handle.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        const root = rootPaths.includes(mount.slice(1));
        walk(layer.handle.stack, `${prefix}${root ? '/{apiRoot}' : mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return [...new Set(found)].filter((entry) => !NOT_IN_THE_APIS.some((pattern) => pattern.test(entry.split(' ')[1] ?? ''))).sort();
}

function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)).sort();
}

const isAdmin = (entry: string): boolean => / \/(admin\/|openapi\/admin\.json$)/.test(entry);

let server: AdminTestServer;
const taxiiDocument = buildTaxiiDocument();
const adminDocument = buildAdminDocument();

beforeAll(async () => {
  server = await startAdminTestServer('openapi');
});
afterAll(() => server.close());

describe('the OpenAPI documents against the mounted routes', () => {
  it('document every TAXII route createApp mounts, and nothing it does not', () => {
    const mounted = mountedOperations(server.app, server.context.config.apiRoots.map((root) => root.path)).filter((entry) => !isAdmin(entry));
    expect(mounted).toContain('get /{apiRoot}/collections/{collectionId}/objects/');
    expect(documentedOperations(taxiiDocument)).toEqual(mounted);
  });

  it('document every admin route createApp mounts, and nothing it does not', () => {
    const mounted = mountedOperations(server.app, server.context.config.apiRoots.map((root) => root.path)).filter(isAdmin);
    expect(mounted).toContain('put /admin/collections/{collectionId}/grants/{organisation}');
    expect(documentedOperations(adminDocument)).toEqual(mounted);
  });

  it.each([['TAXII', taxiiDocument], ['admin', adminDocument]])('the %s document is valid OpenAPI 3.1', async (_name, document) => {
    const result = await validateOpenApi(document);
    expect(result).toEqual({ valid: true });
  });

  it('takes admin query parameters and body fields from the zod schemas the routes validate with', () => {
    const addUser = adminDocument.paths['/admin/users']?.post;
    expect(addUser?.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object', required: expect.arrayContaining(['username', 'organisation', 'password']), additionalProperties: false,
    });
    const audit = adminDocument.paths['/admin/audit']?.get;
    expect(audit?.parameters?.map((parameter) => ('name' in parameter ? parameter.name : parameter.$ref))).toEqual(
      ['org', 'collection', 'since', 'until', 'action', 'limit'],
    );
  });
});

describe('the served documents', () => {
  it('serves both documents to an authenticated caller, as built, with path templates and no collection of this server', async () => {
    for (const [path, document] of [['/openapi/taxii.json', taxiiDocument], ['/openapi/admin.json', adminDocument]] as const) {
      const response = await adminClient(server, 'analyst@nl-police').get(path);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual(JSON.parse(JSON.stringify(document)));
      for (const id of Object.values(IDS)) expect(response.text).not.toContain(id);
      for (const root of server.context.config.apiRoots) expect(Object.keys(document.paths).some((key) => key.startsWith(`/${root.path}/`))).toBe(false);
    }
  });

  it('answers an unauthenticated caller 401 like any other path (checklist H-07)', async () => {
    const response = await supertest(server.app).get('/openapi/taxii.json');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error_code: 'unauthenticated' });
  });

  it('answers OPTIONS without credentials with the methods the document lists', async () => {
    const response = await supertest(server.app).options('/openapi/taxii.json');
    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, OPTIONS');
  });

  it('refuses other methods with 405', async () => {
    const response = await adminClient(server, 'analyst@nl-police').post('/openapi/admin.json', {});
    expect(response.status).toBe(405);
    expect(response.body).toMatchObject({ error_code: 'method-not-allowed' });
  });
});

/** Validates answers against the schemas of the document itself, as a client generated from it would expect them. */
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(taxiiDocument, 'taxii');
ajv.addSchema(adminDocument, 'admin');

function documentedResponse(document: OpenApiDocument, method: string, path: string, status: number): ResponseObject {
  const operation = (document.paths[path] as Record<string, Operation> | undefined)?.[method];
  if (!operation) throw new Error(`no operation ${method} ${path}`);
  const entry = operation.responses[String(status)];
  if (!entry) throw new Error(`${method} ${path} does not document status ${status}`);
  if (!('$ref' in entry)) return entry;
  const name = entry.$ref.split('/').pop() ?? '';
  const shared = document.components.responses?.[name];
  if (!shared) throw new Error(`no component ${entry.$ref}`);
  return shared;
}

/** The answer's status, media type, body and headers are the ones the operation documents. */
function expectDocumented(documentName: 'taxii' | 'admin', method: string, path: string, response: Response): void {
  const document = documentName === 'taxii' ? taxiiDocument : adminDocument;
  const documented = documentedResponse(document, method, path, response.status);
  const [mediaType, media] = Object.entries(documented.content ?? {})[0] ?? [];
  if (!mediaType || !media) return expect(response.text).toBe('');
  expect(response.headers['content-type']?.replace(/; charset=utf-8$/, '')).toBe(mediaType);
  // A schema of the document's own refers to its components; compiled alone, it must name the document they are in.
  const ref = media.schema.$ref;
  const validate = ajv.compile(typeof ref === 'string' ? { $ref: `${documentName}${ref}` } : media.schema);
  validate(JSON.parse(response.text));
  expect({ path, status: response.status, errors: validate.errors ?? null }).toEqual({ path, status: response.status, errors: null });
  for (const header of Object.keys(documented.headers ?? {})) expect(response.headers[header.toLowerCase()]).toEqual(expect.any(String));
}

describe('live answers match the documented responses', () => {
  const collection = `/alliance/collections/${IDS.bkaRansomware}`;
  const template = '/{apiRoot}/collections/{collectionId}';
  const published = indicator();
  const objectPath = `${collection}/objects/${String(published.id)}/`;

  it('for every TAXII operation, including a POST with a failure and refusals', async () => {
    const bka = taxiiAs(server, 'analyst@de-bka');
    expectDocumented('taxii', 'get', '/taxii2/', await bka.get('/taxii2/'));
    expectDocumented('taxii', 'get', '/{apiRoot}/', await bka.get('/alliance/'));
    expectDocumented('taxii', 'get', '/{apiRoot}/collections/', await bka.get('/alliance/collections/'));
    expectDocumented('taxii', 'get', `${template}/`, await bka.get(`${collection}/`));
    const added = await bka.post(`${collection}/objects/`, { objects: [published, { type: 'indicator', id: 'indicator--not-a-uuid' }] });
    expect(added.status).toBe(202);
    expect(added.body).toMatchObject({ success_count: 1, failure_count: 1 });
    expectDocumented('taxii', 'post', `${template}/objects/`, added);
    expectDocumented('taxii', 'get', '/{apiRoot}/status/{statusId}/', await bka.get(`/alliance/status/${String(added.body.id)}/`));
    expectDocumented('taxii', 'get', `${template}/objects/`, await bka.get(`${collection}/objects/?limit=1`));
    expectDocumented('taxii', 'get', `${template}/manifest/`, await bka.get(`${collection}/manifest/`));
    expectDocumented('taxii', 'get', `${template}/objects/{objectId}/`, await bka.get(objectPath));
    expectDocumented('taxii', 'get', `${template}/objects/{objectId}/versions/`, await bka.get(`${objectPath}versions/`));
    expectDocumented('taxii', 'get', `${template}/objects/`, await bka.get(`${collection}/objects/?limit=abc`));
    expectDocumented('taxii', 'post', `${template}/objects/`, await bka.post(`${collection}/objects/`, { objects: [] }));
    const deleted = await supertest(server.app).delete(objectPath).set(server.auth('analyst@de-bka')).set('Accept', TAXII_MEDIA_TYPE);
    expectDocumented('taxii', 'delete', `${template}/objects/{objectId}/`, deleted);
    expectDocumented('taxii', 'get', `${template}/objects/{objectId}/`, await bka.get(objectPath));
    expectDocumented('taxii', 'get', '/taxii2/', await supertest(server.app).get('/taxii2/'));
    for (const probe of ['/health', '/health/live', '/health/ready']) expectDocumented('taxii', 'get', probe, await supertest(server.app).get(probe));
  });

  it('for admin operations and their refusals', async () => {
    expectDocumented('admin', 'get', '/admin/users', await adminClient(server, 'lead@de-bka').get('/admin/users'));
    expectDocumented('admin', 'get', '/admin/users', await adminClient(server, 'analyst@de-bka').get('/admin/users'));
    expectDocumented('admin', 'post', '/admin/users', await adminClient(server, 'lead@de-bka').post('/admin/users', { username: 'x' }));
    expectDocumented('admin', 'get', '/admin/audit', await adminClient(server, 'lead@de-bka').get('/admin/audit?colour=red'));
  });
});
