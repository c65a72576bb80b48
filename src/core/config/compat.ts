// The one translation of the original specification's config dialect (plugins.*, ai_provider, limits, statuses,
// config_file includes) into the native form. It runs once per file, before interpolation, so `${NAME}` survives
// into `config migrate`; every translated key remembers where it came from, for file:line:col errors.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseYamlSource, type YamlSource } from '../yaml-source.js';
import type { ConfigIssue } from './issues.js';

const CATEGORY_OF_PLUGIN: Record<string, 'tasks' | 'vcs' | 'docs' | 'chat'> = {
  task_management: 'tasks',
  version_control: 'vcs',
  documentation: 'docs',
  communication: 'chat',
};
const LOCAL_DEFAULT = { tasks: 'local', vcs: 'local', docs: 'local', chat: 'console' } as const;
const CREDENTIAL_KEY = /^(api_key|api_token|token|password|app_password|pat|secret|webhook_url)$/;
const ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/;

export interface SourceRef {
  source: YamlSource;
  path: string[];
}

export interface Translation {
  value: Record<string, unknown>;
  /** Was anything in the specification's dialect? */
  spec: boolean;
  /** How each specification key was read, for `config validate` / `config show`. */
  notes: string[];
  issues: ConfigIssue[];
  /** Files read besides the config file itself (config_file includes), so the cache can stamp them. */
  includes: string[];
  /** Native leaf or block path → where it was written. */
  origins: Map<string, SourceRef>;
}

type Obj = Record<string, unknown>;

export function translateSpecConfig(raw: Obj, source: YamlSource, projectRoot: string): Translation {
  const t: Translation = { value: {}, spec: false, notes: [], issues: [], includes: [], origins: new Map() };
  const native: Obj = {};
  const spec: Obj = {};
  const issue = (src: SourceRef, message: string) =>
    t.issues.push({ path: src.path.join('.'), message, where: src.source.where(src.path) });
  const put = (target: string[], value: unknown, from: SourceRef) => {
    setAt(spec, target, value);
    t.origins.set(target.join('.'), from);
  };
  const at = (...path: string[]): SourceRef => ({ source, path });

  for (const [key, value] of Object.entries(raw)) {
    if (key === 'ai_provider' && isObj(value)) {
      t.spec = true;
      const { type, model, ...rest } = value;
      const provider = typeof type === 'string' ? type : 'anthropic';
      put(['ai', 'provider'], provider, at('ai_provider', 'type'));
      if (model !== undefined) put(['ai', 'model'], model, at('ai_provider', 'model'));
      for (const [k, v] of Object.entries(rest)) put(['ai', provider, k], v, at('ai_provider', k));
      t.notes.push(`ai_provider → ai (provider ${provider})`);
    } else if (key === 'limits' && isObj(value)) {
      t.spec = true;
      for (const [k, v] of Object.entries(value)) put(['cost', k], v, at('limits', k));
      t.notes.push('limits → cost');
    } else if (key === 'plugins' && isObj(value)) {
      t.spec = true;
      for (const [plugin, block] of Object.entries(value))
        translatePlugin(plugin, block, { source, path: ['plugins', plugin] });
    } else if (
      key === 'security' &&
      isObj(value) &&
      ('require_approval_for_merge' in value || 'sandbox_agents' in value)
    ) {
      const { require_approval_for_merge: merge, sandbox_agents: sandbox, ...restSecurity } = value;
      t.spec = true;
      if (merge === false)
        t.notes.push(
          'security.require_approval_for_merge: false is ignored: aidev never merges a pull request itself',
        );
      if (sandbox !== undefined) {
        put(['security', 'sandbox'], sandbox === false ? 'none' : 'auto', at('security', 'sandbox_agents'));
        t.notes.push(
          `security.sandbox_agents: ${JSON.stringify(sandbox)} → security.sandbox: ${sandbox === false ? 'none' : 'auto'}`,
        );
      }
      if (Object.keys(restSecurity).length) native.security = restSecurity;
    } else if (key === 'workflows' && isObj(value) && ('default' in value || 'config_dir' in value)) {
      const { default: def, config_dir: dir, ...restWorkflows } = value;
      t.spec = true;
      if (def !== undefined) put(['workflows', 'run'], def, at('workflows', 'default'));
      if (typeof dir === 'string') {
        const abs = resolve(dirname(source.file), dir);
        const rel = relative(projectRoot, abs);
        put(
          ['workflows', 'paths'],
          [rel.startsWith('..') || isAbsolute(rel) ? abs : rel || '.'],
          at('workflows', 'config_dir'),
        );
      }
      if (Object.keys(restWorkflows).length) native.workflows = restWorkflows;
      t.notes.push('workflows.default → workflows.run, workflows.config_dir → workflows.paths');
    } else if (key === 'system' && isObj(value) && 'name' in value) {
      native.system = value;
    } else {
      native[key] = value;
    }
  }

  function translatePlugin(plugin: string, block: unknown, from: SourceRef): void {
    const category = CATEGORY_OF_PLUGIN[plugin];
    if (!category) {
      issue(from, `unknown plugin "${plugin}"; known: ${Object.keys(CATEGORY_OF_PLUGIN).join(', ')}`);
      return;
    }
    if (!isObj(block)) {
      issue(from, 'a plugin entry must be a mapping with provider, enabled and config_file');
      return;
    }
    const { provider, enabled, config_file: configFile, ...inline } = block;
    if (typeof provider !== 'string') {
      issue({ ...from, path: [...from.path, 'provider'] }, 'provider is required (e.g. provider: jira)');
      return;
    }
    if (enabled === false) {
      put([category, 'provider'], LOCAL_DEFAULT[category], { ...from, path: [...from.path, 'enabled'] });
      t.notes.push(
        `plugins.${plugin} (${provider}) is disabled → ${category}.provider: ${LOCAL_DEFAULT[category]}`,
      );
      return;
    }
    put([category, 'provider'], provider, { ...from, path: [...from.path, 'provider'] });
    let settings: Obj = {};
    if (configFile !== undefined) {
      const loaded = loadPluginFile(configFile, { ...from, path: [...from.path, 'config_file'] }, provider);
      if (!loaded) return;
      settings = loaded;
    }
    for (const [k, v] of Object.entries(mapPluginSettings(inline))) settings[k] = v;
    for (const [k, v] of Object.entries(settings))
      put([category, provider, k], v, t.origins.get(`plugin:${plugin}:${k}`) ?? from);
    t.notes.push(
      `plugins.${plugin} → ${category}.provider: ${provider}${typeof configFile === 'string' ? ` (+ ${configFile})` : ''}`,
    );

    function loadPluginFile(file: unknown, ref: SourceRef, expected: string): Obj | null {
      if (typeof file !== 'string') {
        issue(ref, 'config_file must be a path');
        return null;
      }
      const path = resolve(dirname(source.file), file);
      if (!existsSync(path)) {
        issue(ref, `config_file ${file} does not exist (looked for ${path})`);
        return null;
      }
      const real = realpathSync(path);
      const inside = relative(realpathSync(projectRoot), real);
      if (inside.startsWith('..') || isAbsolute(inside)) {
        issue(ref, `config_file ${file} is outside the project (${real}); it is refused`);
        return null;
      }
      const pluginSource = parseYamlSource(readFileSync(path, 'utf8'), path);
      t.includes.push(path);
      if (pluginSource.errors.length) {
        const e = pluginSource.errors[0]!;
        t.issues.push({
          path: ref.path.join('.'),
          message: e.message,
          where: `${path}:${e.pos.line}:${e.pos.col}`,
        });
        return null;
      }
      const data = pluginSource.value ?? {};
      if (!isObj(data)) {
        issue({ source: pluginSource, path: [] }, 'a plugin config file must be a mapping');
        return null;
      }
      if (typeof data.provider === 'string' && data.provider !== expected) {
        issue(
          { source: pluginSource, path: ['provider'] },
          `says provider ${data.provider}, but ${ref.path.slice(0, -1).join('.')} says ${expected}`,
        );
        return null;
      }
      const mapped = mapPluginSettings(data);
      for (const key of Object.keys(mapped))
        t.origins.set(`plugin:${plugin}:${key}`, { source: pluginSource, path: [pluginKeyOf(key)] });
      return mapped;
    }
  }

  // Mixing dialects is allowed; setting one key both ways is not.
  for (const path of leafPaths(spec)) {
    const from = path.map((_, n) => t.origins.get(path.slice(0, path.length - n).join('.'))).find(Boolean);
    if (from && path.length && getAt(native, path) !== undefined) {
      t.issues.push({
        path: path.join('.'),
        message: `set twice: ${from.path.join('.')} (${from.source.where(from.path)}) and ${path.join('.')} (${source.where(path)}); keep one`,
        where: source.where(path),
      });
    }
  }
  t.value = deepMerge(native, spec);
  checkLiteralSecrets(t, source);
  return t;
}

/** Plugin-file keys → native provider settings: connection is spread, statuses and mappings renamed. */
function mapPluginSettings(data: Obj): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'provider') continue;
    if (key === 'connection' && isObj(value)) Object.assign(out, value);
    else if (key === 'statuses') out.status_mapping = value;
    else if (key === 'mappings' && isObj(value)) {
      const types: Obj = {};
      for (const [k, v] of Object.entries(value)) types[k.replace(/_type$/, '')] = v;
      out.issue_types = types;
    } else out[key] = value;
  }
  return out;
}

function pluginKeyOf(nativeKey: string): string {
  return nativeKey === 'status_mapping' ? 'statuses' : nativeKey === 'issue_types' ? 'mappings' : nativeKey;
}

/** Credentials come only from the environment: a literal value where `${NAME}` belongs is refused. */
function checkLiteralSecrets(t: Translation, source: YamlSource): void {
  for (const category of ['ai', 'tasks', 'vcs', 'docs', 'chat']) {
    const block = t.value[category];
    if (!isObj(block)) continue;
    for (const [id, settings] of Object.entries(block)) {
      if (!isObj(settings)) continue;
      for (const [key, value] of Object.entries(settings)) {
        if (!CREDENTIAL_KEY.test(key) || typeof value !== 'string' || ENV_REF.test(value.trim())) continue;
        const ref = t.origins.get(`${category}.${id}.${key}`) ?? { source, path: [category, id, key] };
        t.issues.push({
          path: ref.path.join('.'),
          message: `a literal credential is not allowed here; write \${${suggestEnv(category, id, key)}} and export that variable`,
          where: ref.source.where(ref.path),
        });
      }
    }
  }
}

function suggestEnv(category: string, id: string, key: string): string {
  if (category === 'ai') return `${id.toUpperCase()}_API_KEY`;
  return `${id.toUpperCase()}_${key.toUpperCase()}`;
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setAt(target: Obj, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isObj(node[key])) node[key] = {};
    node = node[key] as Obj;
  }
  node[path[path.length - 1]!] = value;
}

function getAt(target: Obj, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isObj(node) ? node[key] : undefined), target);
}

function leafPaths(value: unknown, path: string[] = []): string[][] {
  if (isObj(value) && Object.keys(value).length)
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return [path];
}

function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

/** file:line:col of a native path: a translated key points back to where it was written. */
export function whereTranslated(
  origins: ReadonlyMap<string, SourceRef>,
  path: readonly PropertyKey[],
): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const ref = origins.get(path.slice(0, n).map(String).join('.'));
    if (ref) return ref.source.where(ref.path);
  }
  return undefined;
}
