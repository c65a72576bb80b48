// Where a config can come from, shared by the loader and by the cache that must prove nothing there changed.
// The list mirrors what cosmiconfig probes for the places we give it (plus its global config directory).
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const SEARCH_PLACES = [
  'package.json',
  '.aidevrc',
  '.aidevrc.yaml',
  '.aidevrc.yml',
  '.aidevrc.json',
  'aidev.config.yaml',
  'aidev.config.yml',
  'aidev.config.json',
  'aidev.config.js',
  'aidev.config.mjs',
] as const;

const GLOBAL_PLACES = [
  'config',
  'config.json',
  'config.yaml',
  'config.yml',
  'config.js',
  'config.ts',
  'config.cjs',
  'config.mjs',
];
const META_PLACES = ['package.yaml', '.config/config.json', '.config/config.yaml', '.config/config.yml'];

/** cosmiconfig's global directory for "aidev" (env-paths without suffix). */
export function globalConfigDir(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.HOME || homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', 'aidev');
  if (process.platform === 'win32')
    return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'aidev', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'aidev');
}

/** Every path whose appearance, disappearance or change could change the loaded config for `cwd`. */
export function probedPaths(
  cwd: string,
  stopDir: string,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const paths: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    for (const place of SEARCH_PLACES) paths.push(join(dir, place));
    paths.push(join(dir, '.git'));
    if (dir === stopDir) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const place of META_PLACES) paths.push(join(resolve(cwd), place));
  for (const place of GLOBAL_PLACES) paths.push(join(globalConfigDir(env), place));
  return paths;
}
