// The file list the agent sees: `git ls-files` (tracked files, so .gitignore is respected), plus whatever untracked
// files the caller names. Sizes are filled in only for the entries that get shown (withSizes), so listing a
// 20,000-file repo costs one git call; binary files (by extension) and huge files are marked, never sent to the model.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gitRun, type GitOptions } from '../git/client.js';

export type FileKind = 'text' | 'binary' | 'huge';

export interface FileEntry {
  path: string;
  /** Bytes, or null until withSizes() looked. */
  size: number | null;
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

/** The binary extensions as a trie over their characters from the last one back: a lookup allocates nothing. */
interface ExtNode {
  next: Map<number, ExtNode>;
  /** A '.' here ends a binary extension. */
  end: boolean;
}
const EXT_TRIE: ExtNode = { next: new Map(), end: false };
for (const ext of BINARY_EXT) {
  let node = EXT_TRIE;
  for (let i = ext.length - 1; i >= 0; i--) {
    const code = ext.charCodeAt(i);
    let child = node.next.get(code);
    if (!child) node.next.set(code, (child = { next: new Map(), end: false }));
    node = child;
  }
  node.end = true;
}
const DOT = 46;

/** Called once per tracked file: walks the extension back from the end of the path, case-insensitively. */
export function isBinaryPath(path: string): boolean {
  let node: ExtNode | undefined = EXT_TRIE;
  for (let i = path.length - 1; i >= 0; i--) {
    let code = path.charCodeAt(i);
    if (code === DOT) return node.end && i < path.length - 1;
    if (code >= 65 && code <= 90) code += 32;
    node = node.next.get(code);
    if (!node) return false;
  }
  return false;
}

/** A NUL byte in the first 8 KB is how git itself tells binary from text. */
export function looksBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8192).includes(0);
}

export function kindOf(path: string, size: number | null, maxFileBytes: number): FileKind {
  if (isBinaryPath(path)) return 'binary';
  return size !== null && size > maxFileBytes ? 'huge' : 'text';
}

export interface ListOptions extends GitOptions {
  /** Also list untracked files that are not ignored (one walk of the whole tree: use for the agent's list_files). */
  untracked?: boolean | undefined;
}

export async function listFiles(root: string, options: ListOptions): Promise<FileEntry[]> {
  const args = [
    'ls-files',
    '-z',
    '--cached',
    ...(options.untracked ? ['--others', '--exclude-standard'] : []),
  ];
  const out = await gitRun(root, args, options);
  const entries: FileEntry[] = [];
  let previous = '';
  let sorted = true;
  for (const path of out.split('\0')) {
    // Unmerged entries repeat a path once per stage, next to each other.
    if (!path || path === previous) continue;
    if (path < previous) sorted = false;
    previous = path;
    entries.push({ path, size: null, kind: isBinaryPath(path) ? 'binary' : 'text' });
  }
  // The index is already in order (git sorts it by bytes); untracked files come after it and need a sort.
  if (sorted) return entries;
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return entries.filter((entry, i) => i === 0 || entry.path !== entries[i - 1]?.path);
}

/** Fills in sizes (and marks huge files) for the entries about to be shown; files gone since the listing drop out. */
export async function withSizes(
  root: string,
  entries: readonly FileEntry[],
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<FileEntry[]> {
  const out = await Promise.all(
    entries.map(async (entry) => {
      if (entry.size !== null) return entry;
      try {
        const s = await stat(join(root, entry.path));
        if (!s.isFile()) return null;
        return { path: entry.path, size: s.size, kind: kindOf(entry.path, s.size, maxFileBytes) };
      } catch {
        return null;
      }
    }),
  );
  return out.filter((e): e is FileEntry => e !== null);
}
