import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';

/** The demo alliance's common pool (collections/europol.yaml): TLP:GREEN ceiling, unmarked objects allowed. */
export const ALLIANCE_INDICATORS = 'e0073b23-5f9d-40cc-81d4-aa6b6a9693dd';
const AUTH = `Basic ${Buffer.from('analyst@europol:demo-europol-2026').toString('base64')}`;

/**
 * `npm start` (demo mode) as a child process on a free port and the given DATA_DIR: node with
 * tsx's loader rather than the tsx wrapper, so a signal reaches the server process itself.
 */
export function startDemoServer(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts'), '--demo'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', MONGODB_URI: '', ...env },
    // stdout is the JSON log; the discovery line is written for a person, on stderr (server/main.ts).
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /discovery: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${output}`)));
  });
}

/** A POST as analyst@europol over a plain socket; `onSent` runs once the whole body is written. */
export function postRaw(port: number, path: string, body: string, onSent: () => void = () => undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: AUTH, Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE };
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body, onSent);
  });
}

/** A GET as analyst@europol. */
export function getJson(port: number, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Authorization: AUTH, Accept: TAXII_MEDIA_TYPE } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}
