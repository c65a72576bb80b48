// `aidev config show|validate`: the effective config with secrets redacted, and validation with `path: message` errors.
import { dirname, resolve } from 'node:path';
import { translateSpecConfig, whereTranslated } from '../core/config/compat.js';
import {
  findRepoRoot,
  isPlainObject,
  loadConfig,
  readConfigFile,
  searchProjectConfig,
} from '../core/config/load.js';
import { issuesFromZod, type ConfigIssue } from '../core/config/issues.js';
import { configSchema, type Config } from '../core/config/schema.js';
import { interpolate } from '../core/config/interpolate.js';
import type { GlobalOptions } from '../core/session.js';

const SECRET_KEY = /(token|secret|password|passwd|api_?key|private_?key|^pat$|^key$|webhook_url|credential)/i;
export const REDACTED = '***';

export interface ConfigShowResult {
  file: string | null;
  userFile: string | null;
  config: Config;
  origins?: Record<string, string>;
}

export async function runConfigShow(
  options: GlobalOptions & { origins?: boolean },
): Promise<ConfigShowResult> {
  const loaded = await loadConfig({ cwd: options.cwd, env: options.env, configFile: options.config });
  const config = redact(loaded.config, loaded.secretPaths) as Config;
  const result: ConfigShowResult = { file: loaded.filepath, userFile: loaded.userFile, config };
  if (options.origins) {
    const origins: Record<string, string> = {};
    for (const path of leafPaths(loaded.config)) origins[path] = loaded.origins.get(path) ?? 'default';
    result.origins = origins;
  }
  return result;
}

export interface ConfigValidateResult {
  file: string;
  valid: boolean;
  issues: ConfigIssue[];
  /** Variables referenced with ${…} that are not set (an error only when their provider is used). */
  missingEnv: { path: string; variable: string }[];
  /** `specification` when any key was in the original specification's form. */
  dialect: 'native' | 'specification';
  /** How each specification-style key was read. */
  notes: readonly string[];
}

/** Validates one file on its own (no user-global layer), reporting every issue rather than the first. */
export async function runConfigValidate(
  options: GlobalOptions & { file?: string | undefined },
): Promise<ConfigValidateResult> {
  let file =
    (options.file ?? options.config) ? resolve(options.cwd, (options.file ?? options.config)!) : undefined;
  if (!file) {
    const found = await searchProjectConfig(options.cwd, findRepoRoot(options.cwd) ?? options.cwd);
    if (!found)
      return {
        file: '(none: built-in defaults)',
        valid: true,
        dialect: 'native',
        notes: [],
        issues: [],
        missingEnv: [],
      };
    file = found.filepath;
  }
  const source = readConfigFile(file);
  const translated = translateSpecConfig(
    isPlainObject(source.value) ? source.value : {},
    source,
    findRepoRoot(dirname(file)) ?? dirname(file),
  );
  const dialect = translated.spec ? 'specification' : 'native';
  if (translated.issues.length)
    return {
      file,
      valid: false,
      dialect,
      notes: translated.notes,
      issues: translated.issues,
      missingEnv: [],
    };
  const { value, missing } = interpolate(translated.value, options.env);
  const parsed = configSchema.safeParse(value);
  const issues = parsed.success
    ? []
    : issuesFromZod(parsed.error, configSchema, source).map((i) => ({
        ...i,
        where: whereTranslated(translated.origins, i.path.split('.')) ?? i.where,
      }));
  return {
    file,
    valid: issues.length === 0,
    dialect,
    notes: translated.notes,
    issues,
    missingEnv: [...missing].map(([path, variable]) => ({ path, variable })),
  };
}

export function redact(value: unknown, secretPaths: ReadonlySet<string>, path: string[] = []): unknown {
  const here = path.join('.');
  if (
    secretPaths.has(here) ||
    (path.length && SECRET_KEY.test(path[path.length - 1]!) && typeof value === 'string')
  )
    return REDACTED;
  if (Array.isArray(value)) return value.map((v, i) => redact(v, secretPaths, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redact(v, secretPaths, [...path, k])]),
    );
  }
  return value;
}

function leafPaths(value: unknown, path: string[] = []): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path.join('.')];
}
