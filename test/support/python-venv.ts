import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Pinned so that the interop verdicts do not drift under us; bump deliberately and re-run the crosscheck.
export const PYTHON_PINS: readonly string[] = ['stix2-validator==3.3.2', 'taxii2-client==2.3.0', 'stix2==3.0.2'];

const repoRoot = path.join(__dirname, '..', '..');
const toolsDir = path.join(repoRoot, '.tools');
const venvDir = path.join(toolsDir, 'venv');
const lockDir = path.join(toolsDir, 'venv.lock');
const markerFile = path.join(venvDir, '.pins');
// A pip install of these two packages takes well under this; an older lock is left by a killed process.
const STALE_LOCK_MS = 10 * 60 * 1000;

function pythonOf(dir: string): string {
  return process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
}

async function isReady(): Promise<boolean> {
  if (!existsSync(markerFile)) return false;
  const pins = await readFile(markerFile, 'utf8');
  return pins === PYTHON_PINS.join('\n');
}

// mkdir is atomic: exactly one caller creates the lock directory, the others wait for the marker.
async function tryLock(): Promise<boolean> {
  try {
    await mkdir(lockDir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = Date.now() - (await stat(lockDir)).mtimeMs;
    if (age > STALE_LOCK_MS) await rm(lockDir, { recursive: true, force: true });
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function build(): Promise<void> {
  // A half-built venv (killed mid-install) has no marker; start it afresh rather than trust it.
  await rm(venvDir, { recursive: true, force: true });
  await run('python3', ['-m', 'venv', venvDir]);
  const python = pythonOf(venvDir);
  await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...PYTHON_PINS], {
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(markerFile, PYTHON_PINS.join('\n'));
}

/** Creates `<repo>/.tools/venv` with the pinned Python packages once; returns its python executable. */
export async function ensurePythonVenv(): Promise<string> {
  await mkdir(toolsDir, { recursive: true });
  for (;;) {
    if (await isReady()) return pythonOf(venvDir);
    if (await tryLock()) {
      try {
        if (!(await isReady())) await build();
      } finally {
        await rm(lockDir, { recursive: true, force: true });
      }
      return pythonOf(venvDir);
    }
    await sleep(500);
  }
}
