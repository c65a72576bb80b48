// Where things live: the package's shipped data (workflows/, prompts/, templates/) and AIDEV_HOME.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: the nearest folder up from this module whose package.json is aidev's (from src/ or dist/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'aidev'
    )
      break;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('aidev: cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  root = dir;
  return dir;
}

export function shippedDir(kind: 'workflows' | 'prompts' | 'templates'): string {
  return join(packageRoot(), kind);
}

/** AIDEV_HOME, else $XDG_DATA_HOME/aidev, else ~/.local/share/aidev. */
export function aidevHome(env: Readonly<Record<string, string | undefined>>): string {
  if (env.AIDEV_HOME) return resolve(env.AIDEV_HOME);
  const data = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(data, 'aidev');
}

let version: string | undefined;

/** The installed aidev version (package.json next to the shipped data). */
export function aidevVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}

let build: string | undefined;

/**
 * The version plus the build's id (dist/build-id, written by every `npm run build`), so that caches of derived data
 * (the validated config) never outlive a rebuild whose schema changed under the same version number.
 */
export function aidevBuild(): string {
  if (build === undefined) {
    let id = '';
    try {
      id = readFileSync(join(packageRoot(), 'dist', 'build-id'), 'utf8').trim();
    } catch {
      // Running from source (tests): the version alone.
    }
    build = id ? `${aidevVersion()}+${id}` : aidevVersion();
  }
  return build;
}
