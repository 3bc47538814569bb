import type { AllianceConfig, CollectionConfig } from '../../server/config/types';

/** What run.ts and server-process.ts say to each other over the IPC channel, and the bench alliance. */

export const BENCH_API_ROOT = 'bench';
/** The main collection: 1M objects from one publisher. */
export const BENCH_COLLECTION_ID = '5b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
/** A collection of its own for the workload run at medallion's N, so both servers hold the same amount. */
export const SAME_N_COLLECTION_ID = '6c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
export const BENCH_ORG = 'bench-org';
/** Organisations that read and write the main collection through grants: the concurrent clients' homes. */
export const READER_ORGS = ['reader-a', 'reader-b', 'reader-c'] as const;
export const PARTNER_COUNT = 10;

/** The collection of partner k (0-based): owned by partner-k, one per partner as in a real alliance. */
export function partnerCollectionId(k: number): string {
  return `7d3e4f5a-6b7c-4d8e-9f0a-${(0x1b2c3d4e5f00 + k).toString(16).padStart(12, '0')}`;
}

export function partnerOrg(k: number): string {
  return `partner-${k}`;
}

/** A user the bench server creates, with an API token it hands to the parent. */
export interface BenchUser {
  username: string;
  organisation: string;
}

/** The main publisher, one user per partner, and the concurrent clients spread over four organisations. */
export function benchUsers(clients: number): { publisher: BenchUser; partners: BenchUser[]; clients: BenchUser[] } {
  const homes = [BENCH_ORG, ...READER_ORGS];
  return {
    publisher: { username: `publisher@${BENCH_ORG}`, organisation: BENCH_ORG },
    partners: Array.from({ length: PARTNER_COUNT }, (_, k) => ({ username: `publisher@${partnerOrg(k)}`, organisation: partnerOrg(k) })),
    clients: Array.from({ length: clients }, (_, i) => {
      const organisation = homes[i % homes.length] ?? BENCH_ORG;
      return { username: `client-${i}@${organisation}`, organisation };
    }),
  };
}

export type ParentMessage =
  | { type: 'rss-start'; intervalMs: number }
  | { type: 'rss-stop' }
  | { type: 'gc' }
  | { type: 'storage-time' }
  | { type: 'stop' };

/** Time spent inside the storage layer, per `repository.method`, since the last `storage-time` question. */
export type StorageTime = Record<string, { count: number; ms: number }>;

export type ServerMessage =
  | { type: 'ready'; port: number; tokens: Record<string, string>; pid: number; engine: string }
  | { type: 'rss'; samples: number[] }
  | { type: 'memory'; rss: number; heapUsed: number; gcExposed: boolean }
  /** `cpuMs`: this process's CPU time (user + system) over the same span: on a shared machine, what the work cost apart from waiting for a core. */
  | { type: 'storage-time'; byCall: StorageTime; cpuMs: number }
  | { type: 'stopped' };

function collection(id: string, title: string, owner: string, grants: CollectionConfig['grants']): CollectionConfig {
  return { id, title, owner, apiRoot: BENCH_API_ROOT, mediaTypes: ['application/stix+json;version=2.1'], unmarked: 'allow', foreignVersions: 'refuse', grants };
}

export function benchAlliance(): AllianceConfig {
  const partners = Array.from({ length: PARTNER_COUNT }, (_, k) => partnerOrg(k));
  return {
    server: { title: 'Bench TAXII', description: 'benchmark run', contact: 'bench@example.org', defaultApiRoot: BENCH_API_ROOT },
    // 1,000 ATT&CK objects weigh about 1.4 MB; the limit leaves room for envelopes of 5,000.
    apiRoots: [{ path: BENCH_API_ROOT, title: 'Bench', maxContentLength: 64 * 1024 * 1024, strictTypes: false }],
    organisations: [BENCH_ORG, ...READER_ORGS, ...partners].map((id) => ({ id, name: `${id} CERT`, kind: 'agency' as const })),
    collections: [
      collection(BENCH_COLLECTION_ID, 'Bench collection', BENCH_ORG, READER_ORGS.map((organisation) => ({ organisation, read: true, write: true }))),
      collection(SAME_N_COLLECTION_ID, 'Same N as medallion', BENCH_ORG, []),
      ...partners.map((owner, k) => collection(partnerCollectionId(k), `Partner ${k}`, owner, [])),
    ],
  };
}
