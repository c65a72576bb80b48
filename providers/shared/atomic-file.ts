// Crash-safe file writes (temp file + rename) and a small cross-process lock file, for providers that keep state on disk.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AidevError } from '../../src/core/errors.js';

export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** Creates `path` only if it does not exist yet (O_EXCL). Returns false when another writer got there first. */
export function createExclusive(path: string, text: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Holds `<path>.lock` while `fn` runs, so read-modify-write from two processes never interleaves.
 * A lock older than `staleMs` is taken over (its holder crashed).
 */
export function withFileLock<T>(
  path: string,
  fn: () => T,
  options: { timeoutMs?: number; staleMs?: number } = {},
): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const staleMs = options.staleMs ?? 30_000;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    if (createExclusive(lock, String(process.pid))) break;
    try {
      if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { force: true });
    } catch {
      // the holder just released it
    }
    if (Date.now() > deadline) {
      throw new AidevError('PROVIDER_ERROR', `${path} stayed locked by another aidev process`, {
        hint: `if no aidev is running, delete ${lock}`,
      });
    }
    Atomics.wait(sleeper, 0, 0, wait);
  }
  try {
    return fn();
  } finally {
    if (existsSync(lock)) rmSync(lock, { force: true });
  }
}
