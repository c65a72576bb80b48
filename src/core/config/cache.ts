// A cache of the validated config, so warm commands skip zod, yaml and cosmiconfig (tens of milliseconds each).
// A hit is used only when every probed path has the same stamp and every referenced variable the same value (hashed).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AidevError } from '../errors.js';
import { aidevHome } from '../paths.js';
import type { LoadConfigOptions, LoadedConfig } from './load.js';
import type { Config } from './schema.js';

const FORMAT = 1;

interface Stamp {
  path: string;
  /** A content hash, `dir`, or null when absent. */
  stamp: string | null;
}

interface Entry {
  format: number;
  aidev: string;
  stamps: Stamp[];
  env: Record<string, string | null>;
  loaded: {
    config: Config;
    filepath: string | null;
    userFile: string | null;
    repoRoot: string;
    home: string;
    secretPaths: string[];
    missingEnv: [string, string][];
    deferred: [string, { code: string; message: string; hint?: string; details?: Record<string, unknown> }][];
    origins: [string, string][];
    files: string[];
    notes: string[];
  };
}

export interface CacheHooks {
  /** The aidev version: a new aidev never trusts an old entry. */
  version: string;
}

export async function loadConfigCached(options: LoadConfigOptions, hooks: CacheHooks): Promise<LoadedConfig> {
  const home = aidevHome(options.env);
  if (options.env.AIDEV_NO_CONFIG_CACHE) return (await import('./load.js')).loadConfig(options);
  const file = join(home, 'cache', `config-${keyOf(options, home)}.json`);
  const hit = readEntry(file, options.env, hooks.version);
  if (hit) return hit;

  const { loadConfig } = await import('./load.js');
  const loaded = await loadConfig(options);
  try {
    const { probedPaths } = await import('./search-places.js');
    const paths = [
      ...probedPaths(resolve(options.cwd), loaded.repoRoot, options.env),
      join(home, 'config.yaml'),
    ];
    if (options.configFile) paths.push(resolve(options.cwd, options.configFile));
    if (loaded.filepath) paths.push(loaded.filepath);
    paths.push(...loaded.files);
    const entry: Entry = {
      format: FORMAT,
      aidev: hooks.version,
      stamps: [...new Set(paths)].map((path) => ({ path, stamp: stampOf(path) })),
      env: Object.fromEntries([...loaded.envRefs].map((name) => [name, hashOf(options.env[name])])),
      loaded: {
        config: loaded.config,
        filepath: loaded.filepath,
        userFile: loaded.userFile,
        repoRoot: loaded.repoRoot,
        home: loaded.home,
        secretPaths: [...loaded.secretPaths],
        missingEnv: [...loaded.missingEnv],
        deferred: [...loaded.deferred].map(([k, e]) => [
          k,
          { code: e.code, message: e.message, hint: e.hint, details: e.details },
        ]),
        origins: [...loaded.origins],
        files: [...loaded.files],
        notes: [...loaded.notes],
      },
    };
    const { writeFileAtomic } = await import('../../../providers/shared/atomic-file.js');
    writeFileAtomic(file, JSON.stringify(entry));
  } catch {
    // A cache that cannot be written only costs speed.
  }
  return loaded;
}

function readEntry(file: string, env: LoadConfigOptions['env'], version: string): LoadedConfig | null {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(file, 'utf8')) as Entry;
  } catch {
    return null;
  }
  if (entry.format !== FORMAT || entry.aidev !== version) return null;
  for (const { path, stamp } of entry.stamps) if (stampOf(path) !== stamp) return null;
  for (const [name, hash] of Object.entries(entry.env)) if (hashOf(env[name]) !== hash) return null;
  const l = entry.loaded;
  return {
    config: l.config,
    filepath: l.filepath,
    userFile: l.userFile,
    repoRoot: l.repoRoot,
    home: l.home,
    secretPaths: new Set(l.secretPaths),
    missingEnv: new Map(l.missingEnv),
    deferred: new Map(
      l.deferred.map(([k, e]) => [
        k,
        new AidevError(e.code as AidevError['code'], e.message, { hint: e.hint, details: e.details }),
      ]),
    ),
    origins: new Map(l.origins),
    envRefs: new Set(Object.keys(entry.env)),
    files: l.files,
    notes: l.notes,
  };
}

function keyOf(options: LoadConfigOptions, home: string): string {
  const material = JSON.stringify([
    resolve(options.cwd),
    options.configFile ?? null,
    home,
    options.ignoreUserConfig ?? false,
    options.overrides ?? null,
    options.env.HOME,
    options.env.XDG_CONFIG_HOME,
  ]);
  return createHash('sha256').update(material).digest('hex').slice(0, 24);
}

function stampOf(path: string): string | null {
  try {
    const s = statSync(path);
    if (s.isDirectory()) return 'dir';
    // Content, not mtime: an edit within one mtime tick that keeps the size must still invalidate.
    return s.size <= 1 << 20
      ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 32)
      : `${s.mtimeMs}:${s.size}`;
  } catch {
    return null;
  }
}

function hashOf(value: string | undefined): string | null {
  return value === undefined ? null : createHash('sha256').update(value).digest('hex').slice(0, 32);
}
