// One command's world: the loaded config, the runtime, and lazily the ledger and providers.
import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { openLedger, type Ledger } from './ledger/index.js';
import { createLogger, type Logger } from './logger.js';
import { createProviderSet, type ProviderSet } from './providers.js';
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
  const loaded = await loadConfig({ cwd, env: options.env, configFile: options.config, overrides: options.overrides });
  let ledger: Ledger | undefined;
  return {
    loaded,
    runtime,
    logger,
    providers: createProviderSet(loaded, runtime, logger),
    ledger() {
      ledger ??= openLedger({ path: loaded.config.system.ledger_path ? resolve(loaded.repoRoot, loaded.config.system.ledger_path) : undefined, home: loaded.home });
      return ledger;
    },
    close() {
      ledger?.close();
    },
  };
}
