import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One thing to read objects from: a file, or standard input. */
export interface InputSource {
  name: string;
  /** A fresh read of it, as text chunks; standard input can be read once only. */
  open(): AsyncIterable<string>;
  /** Whether it can be read twice, so that a first pass can count its objects. */
  rereadable: boolean;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Files a folder contributes: JSON and JSON-lines, found at any depth, in a stable order. */
const INPUT_FILE = /\.(json|jsonl|ndjson)$/i;
// Large reads: the scanner's cost is per character, the stream's per chunk.
const CHUNK_BYTES = 1 << 20;

function fileSource(path: string): InputSource {
  return { name: path, rereadable: true, open: () => createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES }) };
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile() && INPUT_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

/** `-` is standard input; a folder stands for the .json, .jsonl and .ndjson files under it. */
export async function expandInputs(args: string[], stdin: NodeJS.ReadableStream): Promise<InputSource[]> {
  const sources: InputSource[] = [];
  for (const arg of args) {
    if (arg === '-') {
      if (sources.some((source) => source.name === 'stdin')) throw new InputError('standard input (-) can be given once only');
      sources.push({
        name: 'stdin',
        rereadable: false,
        open: () => {
          stdin.setEncoding('utf8');
          return stdin as AsyncIterable<string>;
        },
      });
      continue;
    }
    const info = await stat(arg).catch(() => undefined);
    if (!info) throw new InputError(`no such file or folder: ${arg}`);
    if (info.isDirectory()) {
      const files = await filesUnder(arg);
      if (files.length === 0) throw new InputError(`the folder ${arg} holds no .json, .jsonl or .ndjson file`);
      sources.push(...files.map(fileSource));
    } else sources.push(fileSource(arg));
  }
  return sources;
}
