// One command's world: the loaded config, the runtime, and lazily the ledger and providers. Loading stays light:
// the validated config usually comes from the cache, and provider code loads only when a provider is asked for.
import { resolve } from 'node:path';
import type { Category, ProvidersByCategory } from '../../providers/types.js';
import { loadConfigCached } from './config/cache.js';
import type { LoadedConfig } from './config/load.js';
import { openLedger, type Ledger } from './ledger/index.js';
import { ledgerSettingsOf } from './ledger/url.js';
import { createLogger, type Logger } from './logger.js';
import { aidevBuild } from './paths.js';
import type { ProviderSet } from './providers.js';
import { createRuntime, type Runtime } from './runtime.js';

export interface GlobalOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  config?: string | undefined;
  verbose?: boolean | undefined;
  quiet?: boolean | undefined;
  yes?: boolean | undefined;
  /** Config overrides from flags (the highest layer). */
  overrides?: Record<string, unknown> | undefined;
  /** Injected for tests. */
  runtime?: Runtime | undefined;
  logger?: Logger | undefined;
}

export interface Session {
  loaded: LoadedConfig;
  runtime: Runtime;
  logger: Logger;
  ledger(): Ledger;
  providers: ProviderSet;
  close(): void;
}

export async function openSession(options: GlobalOptions): Promise<Session> {
  const cwd = resolve(options.cwd);
  const runtime = options.runtime ?? createRuntime({ env: options.env, cwd });
  const logger = options.logger ?? createLogger({ verbose: options.verbose, quiet: options.quiet });
  const loaded = await loadConfigCached(
    { cwd, env: options.env, configFile: options.config, overrides: options.overrides },
    { version: aidevBuild() },
  );
  let ledger: Ledger | undefined;
  return {
    loaded,
    runtime,
    logger,
    providers: lazyProviderSet(loaded, runtime, logger),
    ledger() {
      ledger ??= openLedger({
        path: loaded.config.system.ledger_path
          ? resolve(loaded.repoRoot, loaded.config.system.ledger_path)
          : undefined,
        home: loaded.home,
        // ledger.url / AIDEV_LEDGER_URL pick the backend (SQLite file or PostgreSQL)
        settings: ledgerSettingsOf(loaded),
        env: runtime.env,
      });
      return ledger;
    },
    close() {
      ledger?.close();
    },
  };
}

/** A ProviderSet that imports the registry (and its schemas) only on first use. */
function lazyProviderSet(loaded: LoadedConfig, runtime: Runtime, logger: Logger): ProviderSet {
  let real: Promise<ProviderSet> | undefined;
  const injected = new Map<Category, unknown>();
  const load = () =>
    (real ??= import('./providers.js').then((m) => m.createProviderSet(loaded, runtime, logger)));
  return {
    idOf: (category) => loaded.config[category].provider,
    set(category, instance) {
      injected.set(category, instance);
      void load().then((set) => set.set(category, instance));
    },
    async get<K extends Category>(category: K): Promise<ProvidersByCategory[K]> {
      if (injected.has(category)) return injected.get(category) as ProvidersByCategory[K];
      return (await load()).get(category);
    },
  };
}
