import type { AllianceConfig } from '../../server/config/types';

/** What run.ts and server-process.ts say to each other over the IPC channel, and the bench alliance. */

export const BENCH_USER = 'bench@bench-org';
// Only ever on a throw-away database that listens on 127.0.0.1 for the length of one run.
export const BENCH_PASSWORD = 'bench password, loopback only';
export const BENCH_API_ROOT = 'bench';
export const BENCH_COLLECTION_ID = '5b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

export type ParentMessage =
  | { type: 'rss-start'; intervalMs: number }
  | { type: 'rss-stop' }
  | { type: 'gc' }
  | { type: 'db-time' }
  | { type: 'stop' };

/** Database time seen by the server's driver, per command name, since the last `db-time` question. */
export type DbTime = Record<string, { count: number; ms: number }>;

export type ServerMessage =
  | { type: 'ready'; port: number; token: string; collectionId: string; pid: number }
  | { type: 'rss'; samples: number[] }
  | { type: 'memory'; rss: number; heapUsed: number; gcExposed: boolean }
  | { type: 'db-time'; byCommand: DbTime }
  | { type: 'stopped' };

export function benchAlliance(): AllianceConfig {
  return {
    server: { title: 'Bench TAXII', description: 'benchmark run', contact: 'bench@example.org', defaultApiRoot: BENCH_API_ROOT },
    // 1,000 ATT&CK objects weigh about 1.4 MB; the limit leaves room for envelopes of 5,000.
    apiRoots: [{ path: BENCH_API_ROOT, title: 'Bench', maxContentLength: 64 * 1024 * 1024, strictTypes: false }],
    organisations: [{ id: 'bench-org', name: 'Bench CERT', kind: 'agency' }],
    collections: [
      {
        id: BENCH_COLLECTION_ID,
        title: 'Bench collection',
        owner: 'bench-org',
        apiRoot: BENCH_API_ROOT,
        mediaTypes: ['application/stix+json;version=2.1'],
        unmarked: 'allow',
        grants: [],
      },
    ],
  };
}
