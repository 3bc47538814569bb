import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../server/config/settings';
import { ADMIN_ROUTES } from '../../server/http/admin/admin-routes';

/** `<username>` in the doc, `:username` in Express: both become `{}`. */
const pathShape = (path: string): string => path.replace(/<[^>]+>|:\w+/g, '{}');

function namesIn(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input' });
  return Object.keys((json as { properties?: Record<string, unknown> }).properties ?? {});
}

function docRows(): { method: string; path: string; action: string; inputs: string }[] {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'access-model.md'), 'utf8').split('\n');
  const header = doc.findIndex((line) => line.startsWith('| Method | Path | Policy action |'));
  if (header < 0) throw new Error('docs/access-model.md has no admin API table');
  const end = doc.findIndex((line, index) => index > header + 1 && !line.startsWith('|'));
  return doc.slice(header + 2, end).map((line) => {
    const [method = '', path = '', action = '', inputs = ''] = line.split('|').slice(1).map((cell) => cell.trim());
    return { method, path: path.replace(/`/g, ''), action: action.replace(/`/g, ''), inputs };
  });
}

/** The admin route table is the API; docs/access-model.md's table must say the same (docs/adding-an-admin-endpoint.md, step 5). */
describe('the admin route table', () => {
  it('has exactly the rows of the admin API table in docs/access-model.md, with their policy actions', () => {
    const documented = docRows().map((row) => `${row.method} ${pathShape(row.path)} ${row.action}`);
    const served = ADMIN_ROUTES.map((route) => `${route.method.toUpperCase()} ${pathShape(`/admin${route.path}`)} ${route.action}`);
    expect(documented).toEqual(served);
  });

  it('documents every query parameter and body field each endpoint takes', () => {
    const rows = docRows();
    for (const route of ADMIN_ROUTES) {
      const row = rows.find((candidate) => candidate.method === route.method.toUpperCase() && pathShape(candidate.path) === pathShape(`/admin${route.path}`));
      const names = [...namesIn(route.schemas.query), ...namesIn(route.schemas.body)];
      const missing = names.filter((name) => !new RegExp(`\\b${name}\\b`).test(row?.inputs ?? ''));
      expect({ route: `${route.method} ${route.path}`, missing }).toEqual({ route: `${route.method} ${route.path}`, missing: [] });
    }
  });

  it('gives every endpoint schemas that convert to JSON Schema, for the OpenAPI document', () => {
    for (const route of ADMIN_ROUTES) {
      for (const schema of Object.values(route.schemas)) expect(z.toJSONSchema(schema, { io: 'input' })).toMatchObject({ type: 'object' });
    }
  });
});
