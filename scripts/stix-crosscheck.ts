// Cross-checks our STIX validator against the OASIS stix2-validator on one corpus: the published objects in
// fixtures/real plus one-rule mutations of the spec examples. Run: npx tsx scripts/stix-crosscheck.ts
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createStixValidator } from '../server/stix/validator';
import { ensurePythonVenv } from '../test/support/python-venv';
import { ALL_EXAMPLES } from '../test/support/stix-examples';
import { loadRealObjects } from '../test/support/real-data';

export interface CrosscheckCase {
  readonly name: string;
  readonly object: Record<string, unknown>;
}

export interface CrosscheckResult {
  readonly name: string;
  readonly ours: boolean;
  readonly oasis: boolean;
  readonly ourReasons: readonly string[];
  readonly oasisErrors: readonly string[];
}

const ALWAYS_KEPT = new Set(['type']);

/** The published corpus, then every spec example with each property removed, retyped or broken in turn. */
export function crosscheckCorpus(): CrosscheckCase[] {
  const cases: CrosscheckCase[] = loadRealObjects().map(({ file, object }) => ({ name: `${file} ${String(object.id)}`, object }));
  for (const [example, object] of Object.entries(ALL_EXAMPLES)) {
    cases.push({ name: `${example}`, object });
    for (const key of Object.keys(object).filter((k) => !ALWAYS_KEPT.has(k))) {
      const without = { ...object };
      delete without[key];
      cases.push({ name: `${example} without ${key}`, object: without });
      cases.push({ name: `${example} with ${key} = 42`, object: { ...object, [key]: 42 } });
      cases.push({ name: `${example} with ${key} = []`, object: { ...object, [key]: [] } });
    }
    cases.push({ name: `${example} with a v1 UUID`, object: { ...object, id: `${String(object.type)}--1621d4d4-b67d-11e3-9670-f01faf20d111` } });
    cases.push({ name: `${example} with a foreign id prefix`, object: { ...object, id: 'vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061' } });
    cases.push({ name: `${example} with a custom property`, object: { ...object, x_acme_score: 5 } });
    cases.push({ name: `${example} with a bad custom property name`, object: { ...object, 'X-Acme': 5 } });
    if ('created' in object) {
      cases.push({ name: `${example} created on Feb 30`, object: { ...object, created: '2016-02-30T00:00:00Z' } });
      cases.push({ name: `${example} modified before created`, object: { ...object, modified: '2016-04-06T20:03:47.999999Z' } });
    }
  }
  return cases;
}

/** One Python process for the whole corpus: JSON lines in, one verdict line out per object. */
async function oasisVerdicts(objects: readonly unknown[]): Promise<{ valid: boolean; errors: string[] }[]> {
  const python = await ensurePythonVenv();
  const driver = path.join(__dirname, 'stix2_validate.py');
  const child = spawn(python, [driver], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.end(objects.map((object) => JSON.stringify(object)).join('\n') + '\n');
  const code = await exited;
  if (code !== 0) throw new Error(`stix2_validate.py exited with ${String(code)}`);
  return output.trim().split('\n').map((line) => JSON.parse(line) as { valid: boolean; errors: string[] });
}

export async function runCrosscheck(): Promise<CrosscheckResult[]> {
  const cases = crosscheckCorpus();
  const validator = createStixValidator();
  const oasis = await oasisVerdicts(cases.map(({ object }) => object));
  if (oasis.length !== cases.length) throw new Error(`stix2-validator answered ${oasis.length} of ${cases.length} objects`);
  return cases.map(({ name, object }, index) => {
    const ours = validator.validate(object, { strictTypes: false });
    const theirs = oasis[index] ?? { valid: false, errors: ['no answer'] };
    return { name, ours: ours.valid, oasis: theirs.valid, ourReasons: ours.valid ? [] : ours.reasons, oasisErrors: theirs.errors };
  });
}

async function main(): Promise<void> {
  const results = await runCrosscheck();
  const disagreements = results.filter((result) => result.ours !== result.oasis);
  const agreed = results.length - disagreements.length;
  for (const d of disagreements) {
    console.log(`${d.name}\n  ours: ${d.ours ? 'valid' : d.ourReasons.join(' | ')}\n  stix2-validator: ${d.oasis ? 'valid' : d.oasisErrors.join(' | ')}`);
  }
  console.log(`agreement: ${agreed} of ${results.length} objects (${((100 * agreed) / results.length).toFixed(2)}%), ${disagreements.length} disagreements`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
