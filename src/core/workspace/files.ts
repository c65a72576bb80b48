// The file list the agent sees: `git ls-files` (so .gitignore is respected) plus untracked files that are not
// ignored, with sizes. Sizes of tracked files come from the index (`--debug`), so a 10,000-file repo costs one git
// call and no per-file stat; binary and huge files are marked, never sent to the model.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gitRun, type GitOptions } from '../git/client.js';

export type FileKind = 'text' | 'binary' | 'huge';

export interface FileEntry {
  path: string;
  size: number;
  kind: FileKind;
}

export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

const BINARY_EXT = new Set(
  (
    'png jpg jpeg gif webp ico bmp tif tiff psd ai sketch fig pdf zip gz tgz bz2 xz zst 7z rar jar war ear class o obj a lib so dylib dll exe ' +
    'bin dat woff woff2 ttf otf eot mp3 mp4 m4a mov avi mkv wav ogg flac webm sqlite sqlite3 db wasm pyc pyo node npy npz pkl parquet ' +
    'keystore p12 pfx der heic avif'
  ).split(' '),
);

export function isBinaryPath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && BINARY_EXT.has(path.slice(dot + 1).toLowerCase());
}

/** A NUL byte in the first 8 KB is how git itself tells binary from text. */
export function looksBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8192).includes(0);
}

export function kindOf(path: string, size: number, maxFileBytes: number): FileKind {
  if (isBinaryPath(path)) return 'binary';
  return size > maxFileBytes ? 'huge' : 'text';
}

// `git ls-files -z --debug`: each entry is `path\0` then indented stat lines ending with `size: N\tflags: X\n`.
const DEBUG_ENTRY = /([^\0]+)\0[^\0]*?size: (\d+)\tflags: [0-9a-f]+\n/g;

export async function listFiles(
  root: string,
  options: GitOptions & { maxFileBytes?: number | undefined },
): Promise<FileEntry[]> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const [tracked, untracked] = await Promise.all([
    gitRun(root, ['ls-files', '-z', '--debug', '--cached'], options),
    gitRun(root, ['ls-files', '-z', '--others', '--exclude-standard'], options),
  ]);
  const entries: FileEntry[] = [];
  const seen = new Set<string>();
  for (const m of tracked.matchAll(DEBUG_ENTRY)) {
    const path = m[1]!;
    if (seen.has(path)) continue; // unmerged entries repeat a path per stage
    seen.add(path);
    const size = Number(m[2]);
    entries.push({ path, size, kind: kindOf(path, size, max) });
  }
  if (!entries.length && tracked.length) {
    // An unexpected --debug format: fall back to plain paths and stat them.
    for (const path of tracked.split('\0').filter((p) => p && !p.startsWith(' '))) seen.add(path);
    entries.push(...(await statAll(root, [...seen], max)));
  }
  const extra = untracked.split('\0').filter((p) => p && !seen.has(p));
  entries.push(...(await statAll(root, extra, max)));
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function statAll(root: string, paths: string[], max: number): Promise<FileEntry[]> {
  const out = await Promise.all(
    paths.map(async (path) => {
      try {
        const s = await stat(join(root, path));
        return s.isFile() ? { path, size: s.size, kind: kindOf(path, s.size, max) } : null;
      } catch {
        return null;
      }
    }),
  );
  return out.filter((e): e is FileEntry => e !== null);
}
