import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../server/config/settings';

// No container engine runs on the test machines: compose.yaml is checked against the Compose
// Specification's own JSON schema (fixtures/compose-spec.json, as compose-go v2.16.2 embeds it), its
// topology against the replica-set init and the proxy, and the Dockerfile against the README.

interface ComposeService {
  image?: string;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');
const compose = (path: string) => parse(read(path), { merge: true }) as ComposeFile;

function composeValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'compose-spec.json'), 'utf8')) as object);
}

describe('compose.yaml', () => {
  const file = compose('compose.yaml');
  const services = file.services;

  it.each(['compose.yaml', 'deploy/compose.tls.yaml'])('%s follows the Compose Specification schema', (path) => {
    const validate = composeValidator();
    const valid = validate(parse(read(path), { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('refuses a file the schema does not allow (the check can fail)', () => {
    const validate = composeValidator();
    expect(validate({ services: { taxii: { image: 'x', restart: 'sometimes', ports: 'not-a-list' } } })).toBe(false);
  });

  it('runs MongoDB 7.0 as the three members that the init script joins into the set the server names', () => {
    const members = Object.keys(services).filter((name) => /^mongo\d$/.test(name));
    expect(members).toEqual(['mongo1', 'mongo2', 'mongo3']);
    for (const name of members) {
      expect(services[name]?.image).toBe('mongo:7.0');
      expect(services[name]?.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    }
    const init = read('deploy/mongo/init-replica-set.js');
    expect([...init.matchAll(/host: '([\w-]+):27017'/g)].map((match) => match[1])).toEqual(members);
    expect(init).toContain("_id: 'rs0'");
    expect(services.taxii?.environment?.MONGODB_URI).toBe('mongodb://mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0');
    expect(services.taxii?.depends_on?.['mongo-init']).toEqual({ condition: 'service_completed_successfully' });
  });

  it('puts the replicas profile\'s servers, and only them, behind the proxy, all sharing CURSOR_KEYS', () => {
    const servers = Object.entries(services).filter(([, service]) => service.image?.startsWith('taxii-alliance-server')).map(([name]) => name);
    expect(servers).toEqual(['taxii', 'taxii-b']);
    expect(services['taxii-b']?.profiles).toEqual(['replicas']);
    expect(services.proxy?.profiles).toEqual(['replicas']);
    const upstream = [...read('deploy/proxy/nginx.conf').matchAll(/^\s*server ([\w-]+):8000/gm)].map((match) => match[1]);
    expect(upstream).toEqual(servers);
    for (const name of servers) expect(services[name]?.environment?.CURSOR_KEYS).toMatch(/^\$\{CURSOR_KEYS:\?/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const readme = read('README.md');
  const start = readme.indexOf('## Production: containers');
  const production = start < 0 ? '' : readme.slice(start, readme.indexOf('\n## ', start));
  // Continuation lines joined, so that one instruction is one line.
  const instructions = dockerfile.replace(/\\\n\s*/g, ' ').split('\n');
  const runCommands = instructions
    .filter((line) => line.startsWith('RUN '))
    .flatMap((line) => line.slice(4).split('&&').map((command) => command.trim()))
    .filter((command) => /^(npm|node) /.test(command));
  const execForm = (prefix: string) => {
    const line = instructions.find((instruction) => instruction.startsWith(prefix));
    return line ? (JSON.parse(line.slice(line.indexOf('['))) as string[]).join(' ') : '';
  };

  it('runs, installs and builds with the commands the README\'s production section documents', () => {
    expect(production).not.toBe('');
    expect(runCommands).toEqual(['npm ci --no-audit --no-fund', 'npm run build', 'npm prune --omit=dev --no-audit --no-fund']);
    for (const command of [...runCommands, execForm('CMD'), execForm('HEALTHCHECK')]) expect(production).toContain(command);
    expect(execForm('CMD')).toBe('node dist/server/main.js');
  });

  it('runs as a non-root user and checks its health', () => {
    expect(instructions.filter((line) => line.startsWith('USER ')).at(-1)).toBe('USER 1000:1000');
    expect(execForm('HEALTHCHECK')).toBe('node deploy/healthcheck.js');
  });
});
