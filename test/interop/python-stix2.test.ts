import { spawn } from 'node:child_process';
import path from 'node:path';
import { COLLECTION_IDS } from '../support/alliance';
import { listenOnFreePort, type LiveServer } from '../support/live-server';
import { ensurePythonVenv } from '../support/python-venv';
import { startTestServer, taxiiClient, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

// python-stix2's TAXIICollectionSink posts STIX bundles, not envelopes (checklist A-03), and its
// TAXIICollectionSource reads through taxii2-client (10.3). The first run may build the venv.
jest.setTimeout(300_000);

interface Step {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}
interface DriverOutput {
  steps: Record<string, Step>;
  created: { id: string; modified: string };
  revised: { id: string; modified: string; name: string };
}

const DRIVER = path.join(__dirname, 'stix2_datastore_driver.py');

function runDriver(python: string, plan: Record<string, string>): Promise<DriverOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [DRIVER], { timeout: 120_000, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`driver exited with ${code}:\n${stderr}\n${stdout}`));
      resolve(JSON.parse(stdout) as DriverOutput);
    });
    child.stdin.end(JSON.stringify(plan));
  });
}

let server: TestServer;
let live: LiveServer;
let python: string;

beforeAll(async () => {
  python = await ensurePythonVenv();
  server = await startTestServer('python-stix2');
  live = await listenOnFreePort(server.app);
});
afterAll(async () => {
  await live.close();
  await server.close();
});

describe('python-stix2 TAXII data store', () => {
  it('adds a bundle through the sink and reads it back through the source', async () => {
    const output = await runDriver(python, {
      collection_url: `${live.origin}/alliance/collections/${COLLECTION_IDS.shared}/`,
      user: 'analyst@de-bka',
      password: TEST_PASSWORD,
    });
    const { steps } = output;
    for (const [name, result] of Object.entries(steps)) expect({ name, ok: result.ok, error: result.error }).toEqual({ name, ok: true, error: undefined });
    // The source's get returns the latest version, byte-equal to what the sink sent.
    expect(steps.source_get?.object).toEqual(output.revised);
    expect(steps.source_all_versions?.modified).toHaveLength(2);
    expect(steps.source_query?.ids).toEqual([output.created.id]);
    // What the server holds is what the sink posted, as read by another partner over plain TAXII.
    const held = await taxiiClient(server, 'gb-nca').get(`/alliance/collections/${COLLECTION_IDS.shared}/objects/${output.created.id}/?match[version]=all`);
    expect(held.body.objects).toEqual([output.created, output.revised]);
  });
});
