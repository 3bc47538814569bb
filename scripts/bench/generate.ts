import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Benchmark data: a deterministic stream of STIX 2.1 objects, produced one batch at a time so a
 * run of 1M objects never holds more than one envelope in memory (docs/architecture.md, convention 15).
 *
 * Synthetic mix per 100 objects: 40 indicators (STIX patterns over IPs, domains, URLs, file
 * hashes, network traffic), 25 SCOs (ipv4-addr, domain-name, url, file), 25 relationships
 * (indicator `indicates` malware), 4 malware, 1 campaign, and 5 new versions of indicators of
 * the previous hundred, so about 5% of the stored versions are superseded and the default
 * listing (latest versions only) has real work to do.
 */

export interface BenchObject {
  stix: Record<string, unknown>;
  /** True when a later object of the same stream is a newer version of this one. */
  superseded: boolean;
}

export const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
export const BENCH_IDENTITY = 'identity--7b0c0dd4-27f1-4bb6-9b6f-5f3dd1c6a9a1';

/** A UUIDv4-shaped id derived from a seed and a counter: the same run always gives the same ids. */
function uuidFrom(seed: string, counter: number | string): string {
  const hex = createHash('sha1').update(`${seed}:${counter}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function ipOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

function sha256Of(i: number): string {
  return createHash('sha256').update(`file-${i}`).digest('hex');
}

const BASE_MS = Date.UTC(2024, 0, 1);

function timestampOf(i: number, offsetMs = 0): string {
  return new Date(BASE_MS + i * 1000 + offsetMs).toISOString();
}

const KILL_CHAIN_PHASES = [
  { kill_chain_name: 'mitre-attack', phase_name: 'initial-access' },
  { kill_chain_name: 'mitre-attack', phase_name: 'execution' },
  { kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' },
];

const MALWARE_NAMES = ['Emotet', 'QakBot', 'IcedID', 'TrickBot', 'Cobalt Strike', 'AsyncRAT', 'Remcos', 'Lumma'];

/** One synthetic object for position `i` of the stream; `i` alone decides its type and content. */
function syntheticObject(seed: string, i: number, end: number): BenchObject {
  const slot = i % 100;
  const id = (type: string, n: number = i) => `${type}--${uuidFrom(seed, `${type}:${n}`)}`;
  const common = (type: string, n: number = i) => ({
    type,
    spec_version: '2.1',
    id: id(type, n),
    created: timestampOf(n),
    modified: timestampOf(n),
    created_by_ref: BENCH_IDENTITY,
    object_marking_refs: [TLP_GREEN],
  });
  const malwareOf = (n: number) => id('malware', n - (n % 100) + 96);
  // Slots 0..4 of each hundred re-publish the indicator of slot 5..9 from the previous hundred.
  if (slot < 5 && i >= 100) {
    const original = i - 100 + 5 + slot;
    const base = indicatorAt(seed, original);
    return { stix: { ...base, modified: timestampOf(i, 500), description: `Revised after sighting ${i}`, confidence: 85 }, superseded: false };
  }
  if (slot < 45) {
    // Its new version is object i + 95, which exists only if the stream goes that far.
    return { stix: indicatorAt(seed, i), superseded: slot >= 5 && slot < 10 && i + 95 < end };
  }
  if (slot < 70) {
    const kind = slot % 4;
    if (kind === 0) return { stix: { type: 'ipv4-addr', spec_version: '2.1', id: id('ipv4-addr'), value: ipOf(i) }, superseded: false };
    if (kind === 1) return { stix: { type: 'domain-name', spec_version: '2.1', id: id('domain-name'), value: `c2-${i}.bench.example` }, superseded: false };
    if (kind === 2) return { stix: { type: 'url', spec_version: '2.1', id: id('url'), value: `https://dl-${i}.bench.example/payload.bin` }, superseded: false };
    return {
      stix: { type: 'file', spec_version: '2.1', id: id('file'), name: `invoice-${i}.js`, size: 1000 + (i % 5000), hashes: { 'SHA-256': sha256Of(i) } },
      superseded: false,
    };
  }
  if (slot < 95) {
    // Slots 70..94 link the indicators of slots 10..34 of the same hundred to one of its malware.
    const indicatorIndex = i - slot + 10 + (slot - 70);
    return {
      stix: {
        ...common('relationship'),
        relationship_type: 'indicates',
        description: `Indicator ${indicatorIndex} was seen delivering this malware during wave ${Math.floor(i / 100)}.`,
        source_ref: id('indicator', indicatorIndex),
        target_ref: malwareOf(i),
        start_time: timestampOf(i),
        confidence: 70,
      },
      superseded: false,
    };
  }
  if (slot < 99) {
    const name = MALWARE_NAMES[(Math.floor(i / 100) + slot) % MALWARE_NAMES.length] ?? 'Unknown';
    return {
      stix: {
        ...common('malware'),
        name: `${name} variant ${Math.floor(i / 100)}-${slot}`,
        is_family: false,
        malware_types: ['trojan', 'remote-access-trojan'],
        description: `Loader observed in campaign wave ${Math.floor(i / 100)}; drops a second stage over HTTPS and persists through a scheduled task.`,
        aliases: [`${name}-${slot}`],
        architecture_execution_envs: ['x86-64'],
        implementation_languages: ['c++'],
        kill_chain_phases: [KILL_CHAIN_PHASES[slot % KILL_CHAIN_PHASES.length]],
      },
      superseded: false,
    };
  }
  return {
    stix: { ...common('campaign'), name: `Wave ${Math.floor(i / 100)}`, objective: 'Credential theft against alliance members', first_seen: timestampOf(i) },
    superseded: false,
  };
}

function indicatorAt(seed: string, i: number): Record<string, unknown> {
  const patterns = [
    `[ipv4-addr:value = '${ipOf(i)}']`,
    `[domain-name:value = 'c2-${i}.bench.example']`,
    `[url:value = 'https://dl-${i}.bench.example/payload.bin']`,
    `[file:hashes.'SHA-256' = '${sha256Of(i)}']`,
    `[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '${ipOf(i)}' AND network-traffic:dst_port = 443]`,
  ];
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuidFrom(seed, `indicator:${i}`)}`,
    created: timestampOf(i),
    modified: timestampOf(i),
    created_by_ref: BENCH_IDENTITY,
    object_marking_refs: [TLP_GREEN],
    name: `Malicious infrastructure ${i}`,
    description: `Infrastructure seen in phishing wave ${Math.floor(i / 100)}: first stage download and command and control. Block at the perimeter and hunt for past connections.`,
    indicator_types: ['malicious-activity'],
    pattern: patterns[i % patterns.length],
    pattern_type: 'stix',
    valid_from: timestampOf(i),
    kill_chain_phases: [KILL_CHAIN_PHASES[i % KILL_CHAIN_PHASES.length]],
    confidence: 60,
    labels: ['bench', 'phishing'],
    external_references: [{ source_name: 'alliance-case', external_id: `CASE-${2024_000_000 + Math.floor(i / 100)}`, url: `https://cases.bench.example/case/${Math.floor(i / 100)}` }],
  };
}

/** The real ATT&CK bundles, replicated with fresh ids per copy (references remapped consistently). */
class AttackSource {
  private readonly texts: string[] = [];

  constructor(dataDir: string) {
    for (const file of ['attack/ics-attack-18.1.json', 'attack/mobile-attack-17.1.json']) {
      const bundle = JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as { objects: Record<string, unknown>[] };
      for (const object of bundle.objects) this.texts.push(JSON.stringify(object));
    }
  }

  get size(): number {
    return this.texts.length;
  }

  object(seed: string, i: number): BenchObject {
    const copy = Math.floor(i / this.texts.length);
    const text = this.texts[i % this.texts.length] ?? '{}';
    const remapped = copy === 0 ? text : text.replace(/--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g, (_m, uuid: string) => `--${uuidFrom(`${seed}:${copy}`, uuid)}`);
    return { stix: JSON.parse(remapped) as Record<string, unknown>, superseded: false };
  }
}

export type DataKind = 'synthetic' | 'attack';

export class ObjectStream {
  private readonly attack?: AttackSource;

  constructor(
    readonly kind: DataKind,
    private readonly seed: string,
    realDataDir: string,
  ) {
    if (kind === 'attack') this.attack = new AttackSource(realDataDir);
  }

  /** Object i of a region of the stream that ends before `end` (which decides the superseded flags). */
  at(i: number, end: number): BenchObject {
    return this.attack ? this.attack.object(this.seed, i) : syntheticObject(this.seed, i, end);
  }

  /** See indicatorRevisions: always synthetic indicators, whatever the stream's kind. */
  revisions(i: number, count: number): BenchObject[] {
    return indicatorRevisions(this.seed, i, count);
  }

  /** Objects [start, stop) of a region that ends before `end`. */
  batch(start: number, stop: number, end: number): BenchObject[] {
    const objects: BenchObject[] = [];
    for (let i = start; i < stop; i += 1) objects.push(this.at(i, end));
    return objects;
  }
}

/** The identity every synthetic object names as its creator; posted once before the timed ingest. */
export function benchIdentity(): Record<string, unknown> {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: BENCH_IDENTITY,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: 'Bench Alliance CERT',
    identity_class: 'organization',
  };
}

/** Stream positions i < end that are a new version of an earlier indicator (slots 0..4 of every hundred but the first). */
function revisionsBefore(end: number): number {
  if (end <= 100) return 0;
  const hundreds = Math.floor(end / 100);
  return (hundreds - 1) * 5 + (end % 100 > 0 ? Math.min(5, end % 100) : 0);
}

/**
 * The stream length whose synthetic objects are exactly `objects` distinct STIX objects: the
 * stream also carries about 5% new versions of earlier ones, so a collection of 1,000,000 objects
 * takes about 1,052,632 posted versions. ATT&CK copies have no new versions.
 */
export function streamLengthFor(kind: DataKind, objects: number): number {
  if (kind === 'attack') return objects;
  let length = objects;
  while (length - revisionsBefore(length) < objects) length += objects - (length - revisionsBefore(length));
  return length;
}

/** Distinct objects in the first `length` positions of a stream. */
export function distinctObjectsIn(kind: DataKind, length: number): number {
  return kind === 'attack' ? length : length - revisionsBefore(length);
}

/**
 * `count` newer versions of the indicator at stream position i (an indicator slot, 10..44 of its
 * hundred, which the stream itself never revises), in increasing `modified` order: the objects
 * whose versions endpoint the benchmark times.
 */
export function indicatorRevisions(seed: string, i: number, count: number): BenchObject[] {
  const base = indicatorAt(seed, i);
  return Array.from({ length: count }, (_, k) => ({
    stix: { ...base, modified: timestampOf(i, 10_000 * (k + 1)), description: `Revision ${k + 1} after a sighting report.`, confidence: 60 + k },
    superseded: k < count - 1,
  }));
}

/** `count` stream positions of indicators the stream never revises (slot 10..44 of their hundred), spread over [0, length). */
export function unrevisedIndicatorPositions(count: number, length: number): number[] {
  const hundreds = Math.max(1, Math.floor(length / 100));
  return Array.from({ length: count }, (_, n) => Math.floor((n * hundreds) / count) * 100 + 10 + (n % 35)).filter((i) => i < length);
}
