// Loads the effective config: built-in defaults < $AIDEV_HOME/config.yaml < project file (cosmiconfig) < flags.
// Interpolates ${ENV}, validates with the zod schema, and remembers where each value came from and which were secrets.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AidevError } from '../errors.js';
import { aidevHome } from '../paths.js';
import { parseYamlSource, type YamlSource } from '../yaml-source.js';
import { interpolate } from './interpolate.js';
import { formatIssues, issuesFromZod, type ConfigIssue } from './issues.js';
import { configSchema, type Config } from './schema.js';
import { SEARCH_PLACES } from './search-places.js';
import { translateSpecConfig, whereTranslated, type SourceRef } from './compat.js';

export interface LoadConfigOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** --config: replaces the search. */
  configFile?: string | undefined;
  /** The flags layer, highest precedence (already in config shape). */
  overrides?: Record<string, unknown> | undefined;
  /** Skip the user-global file (tests, `config validate --file`). */
  ignoreUserConfig?: boolean | undefined;
}

export interface LoadedConfig {
  config: Config;
  /** The project config file, or null when none was found. */
  filepath: string | null;
  userFile: string | null;
  repoRoot: string;
  home: string;
  secretPaths: ReadonlySet<string>;
  missingEnv: ReadonlyMap<string, string>;
  /** Provider blocks that failed only because of a missing variable: `tasks.jira` → the error to raise on use. */
  deferred: ReadonlyMap<string, AidevError>;
  /** Leaf path → `default`, `user`, `project` or `flag`. */
  origins: ReadonlyMap<string, string>;
  /** Environment variables the config files reference with ${…}. */
  envRefs: ReadonlySet<string>;
  /** Files read besides the user and project files (config_file includes). */
  files: readonly string[];
  /** How specification-style keys were read (empty for a native file). */
  notes: readonly string[];
}

const PROVIDER_CATEGORIES = new Set(['ai', 'tasks', 'vcs', 'docs', 'chat']);

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd);
  const repoRoot = findRepoRoot(cwd) ?? cwd;
  const home = aidevHome(options.env);
  const layers: { name: string; value: unknown; source?: YamlSource | undefined }[] = [];

  const userPath = join(home, 'config.yaml');
  let userFile: string | null = null;
  if (!options.ignoreUserConfig && existsSync(userPath)) {
    const source = readConfigFile(userPath);
    layers.push({ name: 'user', value: source.value ?? {}, source });
    userFile = userPath;
  }

  let filepath: string | null = null;
  if (options.configFile) {
    filepath = resolve(cwd, options.configFile);
    const source = readConfigFile(filepath);
    layers.push({ name: 'project', value: source.value ?? {}, source });
  } else {
    const found = await searchProjectConfig(cwd, repoRoot);
    if (found) {
      filepath = found.filepath;
      layers.push({ name: 'project', value: found.value ?? {}, source: found.source });
    }
  }
  if (options.overrides) layers.push({ name: 'flag', value: options.overrides });

  const secretPaths = new Set<string>();
  const missingEnv = new Map<string, string>();
  const envRefs = new Set<string>();
  const origins = new Map<string, string>();
  const files: string[] = [];
  const notes: string[] = [];
  const translatedFrom = new Map<string, SourceRef>();
  let merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!isPlainObject(layer.value)) {
      throw new AidevError(
        'CONFIG_INVALID',
        `${layer.source?.file ?? layer.name}: the config must be a mapping of keys to values`,
        {
          hint: 'start the file with top-level keys such as `tasks:` or `ai:` (see .aidevrc.example.yaml)',
        },
      );
    }
    let raw = layer.value;
    if (layer.source) {
      const translated = translateSpecConfig(raw, layer.source, repoRoot);
      if (translated.issues.length) throw configInvalid(layer.source.file, translated.issues);
      raw = translated.value;
      files.push(...translated.includes);
      notes.push(...translated.notes);
      for (const [p, ref] of translated.origins) translatedFrom.set(p, ref);
    }
    const result = interpolate(raw, options.env);
    for (const p of result.secretPaths) secretPaths.add(p);
    for (const name of result.refs) envRefs.add(name);
    for (const [p, v] of result.missing) missingEnv.set(p, v);
    merged = mergeInto(merged, result.value as Record<string, unknown>, layer.name, origins, []);
  }

  const sourceOf = (path: readonly PropertyKey[]): YamlSource | undefined => {
    const key = path.map(String).join('.');
    const origin = [...origins.entries()].find(([p]) => p === key || p.startsWith(key + '.'))?.[1];
    return layers.find((l) => l.name === origin)?.source ?? layers.findLast((l) => l.source)?.source;
  };

  /** file:line:col of a native path, following a translated key back to where it was written. */
  const whereOf = (path: readonly PropertyKey[]): string | undefined =>
    whereTranslated(translatedFrom, path) ?? sourceOf(path)?.where(path);

  const deferred = new Map<string, AidevError>();
  let parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const hard: ConfigIssue[] = [];
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const missing = [...missingEnv.entries()].find(
        ([p]) => p === path.join('.') || p.startsWith(path.join('.') + '.'),
      );
      if (missing && PROVIDER_CATEGORIES.has(path[0] ?? '') && path.length >= 2) {
        const block = `${path[0]}.${path[1]}`;
        deferred.set(block, missingEnvError(missing[0], missing[1]));
        deleteAt(merged, [path[0]!, path[1]!]);
      } else if (missing) {
        hard.push({
          path: missing[0],
          message: `\${${missing[1]}} is not set`,
          where: whereOf(path),
        });
      }
    }
    parsed = configSchema.safeParse(merged);
    if (!parsed.success || hard.length) {
      const issues = [
        ...hard,
        ...(parsed.success ? [] : issuesFromZod(parsed.error, configSchema, undefined)),
      ].map((i) => {
        if (i.where) return i;
        const path = i.path.split('.');
        return { ...i, where: whereOf(path) };
      });
      throw configInvalid(filepath ?? userFile ?? 'config', issues);
    }
  }
  return {
    config: parsed.data,
    filepath,
    userFile,
    repoRoot,
    home,
    secretPaths,
    missingEnv,
    deferred,
    origins,
    envRefs,
    files,
    notes,
  };
}

export function configInvalid(file: string, issues: ConfigIssue[]): AidevError {
  return new AidevError('CONFIG_INVALID', `invalid config (${file}):\n${formatIssues(issues)}`, {
    hint: 'fix the keys above; every key and its default is in .aidevrc.example.yaml and docs/config.md',
    details: { issues },
  });
}

export function missingEnvError(path: string, variable: string): AidevError {
  return new AidevError('ENV_MISSING', `${path} references \${${variable}}, which is not set`, {
    hint: `export ${variable}=… in the environment (credentials are read only from the environment)`,
    details: { path, variable },
  });
}

/** Reads and parses a config file (YAML or JSON, both through the YAML parser for positions). */
export function readConfigFile(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AidevError(
      code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID',
      `cannot read config file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      {
        hint:
          code === 'ENOENT'
            ? 'check the --config path, or run `aidev init` to write one'
            : 'check the file permissions',
      },
    );
  }
  const source = parseYamlSource(text, file);
  if (source.errors.length) {
    const first = source.errors[0]!;
    throw new AidevError('CONFIG_INVALID', `${file}:${first.pos.line}:${first.pos.col}: ${first.message}`, {
      hint: 'fix the YAML syntax at that position (indent with spaces, quote values that contain ": ")',
      details: { errors: source.errors },
    });
  }
  return source;
}

function readPackageJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new AidevError('CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`, {
      hint: 'fix the JSON in package.json, or put the aidev config in .aidevrc.yaml',
    });
  }
}

/** Finds the project config file from `cwd` upward to the repo root (cosmiconfig), parsed but not validated. */
export async function searchProjectConfig(
  cwd: string,
  stopDir: string,
): Promise<{ filepath: string; value: unknown; source?: YamlSource | undefined } | null> {
  const { cosmiconfig } = await import('cosmiconfig');
  const sources = new Map<string, YamlSource>();
  const loader = (filepath: string): unknown => {
    // package.json is JSON, often indented with tabs, which YAML refuses: read it as JSON (its "aidev" key is the config).
    if (/(^|[\\/])package\.json$/.test(filepath)) return readPackageJson(filepath);
    const source = readConfigFile(filepath);
    sources.set(filepath, source);
    return source.value ?? {};
  };
  const explorer = cosmiconfig('aidev', {
    searchStrategy: 'global',
    stopDir,
    searchPlaces: [...SEARCH_PLACES],
    loaders: { '.yaml': loader, '.yml': loader, '.json': loader, noExt: loader },
    cache: false,
  });
  const result = await explorer.search(cwd);
  if (!result) return null;
  return { filepath: result.filepath, value: result.config, source: sources.get(result.filepath) };
}

export function findRepoRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function mergeInto(
  base: Record<string, unknown>,
  layer: Record<string, unknown>,
  origin: string,
  origins: Map<string, string>,
  path: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    const here = [...path, key];
    if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeInto(out[key], value, origin, origins, here);
    } else {
      out[key] = value;
      for (const p of [...origins.keys()]) if (p.startsWith(here.join('.') + '.')) origins.delete(p);
      markOrigins(value, origin, origins, here);
    }
  }
  return out;
}

function markOrigins(value: unknown, origin: string, origins: Map<string, string>, path: string[]): void {
  if (isPlainObject(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) markOrigins(v, origin, origins, [...path, k]);
  } else origins.set(path.join('.'), origin);
}

function deleteAt(target: Record<string, unknown>, path: string[]): void {
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), target);
  if (isPlainObject(parent)) delete parent[path[path.length - 1]!];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
