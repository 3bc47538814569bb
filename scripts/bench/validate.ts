// Objects validated per second on the ATT&CK bundles. Run: npx tsx scripts/bench/validate.ts [seconds]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import { createStixValidator } from '../../server/stix/validator';

const ATTACK_DIR = path.join(PROJECT_ROOT, 'fixtures', 'real', 'attack');
const BUNDLES = ['ics-attack-18.1.json', 'mobile-attack-17.1.json'];

function main(): void {
  const seconds = Number(process.argv[2] ?? '5');
  const objects = BUNDLES.flatMap((file) => (JSON.parse(readFileSync(path.join(ATTACK_DIR, file), 'utf8')) as { objects: unknown[] }).objects);
  const startup = process.hrtime.bigint();
  const validator = createStixValidator();
  const compiledMs = Number(process.hrtime.bigint() - startup) / 1e6;
  const options = { strictTypes: false };
  // One warm-up pass so that the figure is the steady state, not V8's first compilation.
  let invalid = objects.filter((object) => !validator.validate(object, options).valid).length;
  let validated = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    for (const object of objects) if (!validator.validate(object, options).valid) invalid += 1;
    validated += objects.length;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`schemas compiled in ${compiledMs.toFixed(0)} ms`);
  console.log(`${validated} objects (${objects.length} per pass, ${BUNDLES.join(' + ')}) in ${elapsed.toFixed(2)} s`);
  console.log(`${Math.round(validated / elapsed)} objects/s; invalid verdicts: ${invalid}`);
}

main();
