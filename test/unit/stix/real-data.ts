import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** shared/ sits beside the clone, in CI as on a developer's machine. */
export const REAL_DATA_DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'real');

export interface RealObject {
  /** Path of the file relative to REAL_DATA_DIR. */
  readonly file: string;
  readonly object: Record<string, unknown>;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return jsonFiles(full);
    return name.endsWith('.json') && name !== 'SOURCES.json' ? [full] : [];
  });
}

/** Every object of every published file: bundles (with or without "type": "bundle"), arrays and bare objects. */
export function loadRealObjects(): RealObject[] {
  return jsonFiles(REAL_DATA_DIR).flatMap((full) => {
    const data = JSON.parse(readFileSync(full, 'utf8')) as unknown;
    const file = path.relative(REAL_DATA_DIR, full);
    const objects = Array.isArray(data) ? data : (data as { objects?: unknown[] }).objects ?? [data];
    return objects.map((object) => ({ file, object: object as Record<string, unknown> }));
  });
}
