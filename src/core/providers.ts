// Resolves the configured provider of each category from the static registry, lazily and once.
import { providerDefinitions } from '../../providers/index.js';
import type {
  Category,
  Logger,
  ProviderContext,
  ProviderDefinition,
  ProvidersByCategory,
} from '../../providers/types.js';
import type { LoadedConfig } from './config/load.js';
import { missingEnvError } from './config/load.js';
import { AidevError } from './errors.js';
import type { Runtime } from './runtime.js';

export interface ProviderSet {
  get<K extends Category>(category: K): Promise<ProvidersByCategory[K]>;
  /** The configured id of a category, without creating it. */
  idOf(category: Category): string;
  /** Injects an instance (tests, `aidev demo`'s scripted model). */
  set<K extends Category>(category: K, instance: ProvidersByCategory[K]): void;
}

export function findDefinition(category: Category, id: string): ProviderDefinition | undefined {
  return (providerDefinitions as readonly ProviderDefinition[]).find(
    (d) => d.category === category && d.id === id,
  );
}

export function createProviderSet(loaded: LoadedConfig, runtime: Runtime, logger: Logger): ProviderSet {
  const cache = new Map<Category, Promise<unknown>>();
  const idOf = (category: Category): string => loaded.config[category].provider;

  return {
    idOf,
    set(category, instance) {
      cache.set(category, Promise.resolve(instance));
    },
    get<K extends Category>(category: K): Promise<ProvidersByCategory[K]> {
      let pending = cache.get(category);
      if (!pending) {
        pending = createProvider(category, idOf(category), loaded, runtime, logger);
        cache.set(category, pending);
      }
      return pending as Promise<ProvidersByCategory[K]>;
    },
  };
}

export async function createProvider<K extends Category>(
  category: K,
  id: string,
  loaded: LoadedConfig,
  runtime: Runtime,
  logger: Logger,
): Promise<ProvidersByCategory[K]> {
  const definition = findDefinition(category, id);
  if (!definition) {
    const { plannedOnly } = await import('./config/schema.js');
    if (plannedOnly(category).includes(id)) {
      throw new AidevError(
        'UNKNOWN_PROVIDER',
        `the ${category} provider "${id}" is not available in this version of aidev`,
        {
          hint: `set ${category}.provider to one of: ${providerDefinitions
            .filter((d) => d.category === category)
            .map((d) => d.id)
            .join(', ')} (or upgrade aidev)`,
        },
      );
    }
    const known = providerDefinitions.filter((d) => d.category === category).map((d) => d.id);
    throw new AidevError('UNKNOWN_PROVIDER', `unknown ${category} provider "${id}"`, {
      hint: `set ${category}.provider to one of: ${known.join(', ')}`,
    });
  }
  const ctx = providerContext(category, id, definition, loaded, runtime, logger);
  // Declared credentials are checked here, so every provider fails the same clear way before any SDK loads.
  for (const spec of definition.credentials) if (!spec.optional) ctx.credential(spec.key, spec.env);
  try {
    return (await definition.create(ctx)) as ProvidersByCategory[K];
  } catch (error) {
    if (error instanceof AidevError) throw error;
    throw new AidevError(
      'PROVIDER_ERROR',
      `cannot start the ${category} provider "${id}": ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export function providerContext(
  category: Category,
  id: string,
  definition: ProviderDefinition,
  loaded: LoadedConfig,
  runtime: Runtime,
  logger: Logger,
): ProviderContext<unknown> {
  const path = `${category}.${id}`;
  const deferred = loaded.deferred.get(path);
  if (deferred) throw deferred;
  const block = (loaded.config[category] as Record<string, unknown>)[id] ?? {};
  const settings = definition.configSchema.parse(block);
  const optionalCredential = (key: string, defaultEnv: string | readonly string[]): string | undefined => {
    const value = (settings as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'string' && value !== '') return value;
    const missing = loaded.missingEnv.get(`${path}.${key}`);
    if (missing) throw missingEnvError(`${path}.${key}`, missing);
    for (const name of typeof defaultEnv === 'string' ? [defaultEnv] : defaultEnv) {
      const fromEnv = runtime.env[name];
      if (fromEnv) return fromEnv;
    }
    return undefined;
  };
  return {
    settings,
    path,
    runtime,
    repoRoot: loaded.repoRoot,
    gitRemote: loaded.config.git.remote,
    logger,
    optionalCredential,
    credential(key, defaultEnv) {
      const value = optionalCredential(key, defaultEnv);
      if (value !== undefined) return value;
      const names = typeof defaultEnv === 'string' ? [defaultEnv] : [...defaultEnv];
      throw new AidevError(
        'ENV_MISSING',
        `${path} needs ${key}: set ${names.join(' or ')} in the environment`,
        {
          hint: `export ${names[0]}=…, or set ${path}.${key}: \${YOUR_VARIABLE} in .aidevrc.yaml`,
          details: { path: `${path}.${key}`, variables: names },
        },
      );
    },
  };
}

/** What a provider still needs, in words (undefined when its credentials are complete), and which variables are set. */
export function credentialState(
  definition: ProviderDefinition,
  ctx: ProviderContext<unknown>,
): { present: string[]; problem: string | undefined } {
  const has = (key: string): boolean => {
    const spec = definition.credentials.find((c) => c.key === key);
    return spec !== undefined && ctx.optionalCredential(spec.key, spec.env) !== undefined;
  };
  const present = definition.credentials.filter((c) => has(c.key)).map((c) => c.env[0] ?? c.key);
  const names = (keys: readonly string[]) =>
    keys.map((k) => definition.credentials.find((c) => c.key === k)?.env[0] ?? k).join(' + ');
  const sets = definition.credentialSets;
  if (sets?.length) {
    if (sets.some((set) => set.every(has))) return { present, problem: undefined };
    return { present, problem: `missing ${sets.map(names).join(', or ')}` };
  }
  const missing = definition.credentials.filter((c) => !c.optional && !has(c.key));
  return {
    present,
    problem: missing.length ? `missing ${missing.map((c) => c.env.join(' or ')).join(', ')}` : undefined,
  };
}
