import { mkdir, rm, stat } from 'node:fs/promises';

const STALE_AFTER_MS = 10 * 60 * 1000;

/**
 * Runs `task` while holding a lock made of a directory (mkdir is atomic on every filesystem we
 * run on). A lock older than ten minutes is taken to be left by a crashed process and removed.
 */
export async function withDirectoryLock<T>(lockDir: string, task: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_AFTER_MS) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await task();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
