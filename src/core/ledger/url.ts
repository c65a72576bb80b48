// Reads `ledger.url` (and its AIDEV_LEDGER_URL override) into a backend choice: `sqlite:` (the file in AIDEV_HOME, or
// `sqlite:<path>`) or `postgres://…`. Credentials come only from the environment: a password typed into the file is
// refused, and the libpq variables (PGPASSWORD, PGSSLMODE…) are handed to the driver from the injected env.
import { isAbsolute, join, resolve } from 'node:path';
import { AidevError } from '../errors.js';

export type LedgerTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; connectionString: string; display: string; env: Record<string, string> };

type Env = Readonly<Record<string, string | undefined>>;

/** What the loaded config says about the ledger, read defensively until the schema has a `ledger` block. */
export interface LedgerSettings {
  url?: string | undefined;
  /** The config's dotted path of url, when it came from ${…} (so a password in it came from the environment). */
  fromEnv?: boolean | undefined;
  /** A variable ledger.url references that is not set. */
  missingVariable?: string | undefined;
  /** system.ledger_path, already resolved. */
  sqlitePath?: string | undefined;
}

/** The libpq variables the `pg` driver reads; nothing else from the environment reaches the worker thread. */
const LIBPQ_VARIABLES = [
  'PGHOST',
  'PGPORT',
  'PGUSER',
  'PGPASSWORD',
  'PGDATABASE',
  'PGSSLMODE',
  'PGSSLCERT',
  'PGSSLKEY',
  'PGSSLROOTCERT',
  'PGPASSFILE',
  'PGAPPNAME',
  'PGCONNECT_TIMEOUT',
  'PGOPTIONS',
  'HOME',
  'USER',
] as const;

export function resolveLedgerTarget(settings: LedgerSettings, env: Env, home: string): LedgerTarget {
  const override = env.AIDEV_LEDGER_URL?.trim();
  if (!override && settings.missingVariable) {
    throw new AidevError(
      'ENV_MISSING',
      `ledger.url references \${${settings.missingVariable}}, which is not set`,
      {
        hint: `export ${settings.missingVariable}=postgres://… (or write \${${settings.missingVariable}:-sqlite:} to fall back to the local file)`,
      },
    );
  }
  const url = override || settings.url?.trim() || 'sqlite:';
  const where = override ? 'AIDEV_LEDGER_URL' : 'ledger.url';
  if (url === 'sqlite:' || url === 'sqlite://') {
    return { kind: 'sqlite', path: settings.sqlitePath ?? join(home, 'ledger.db') };
  }
  if (url.startsWith('sqlite:')) {
    const raw = url.replace(/^sqlite:(\/\/)?/, '');
    return { kind: 'sqlite', path: isAbsolute(raw) ? raw : resolve(home, raw) };
  }
  if (/^postgres(ql)?:\/\//.test(url))
    return postgresTarget(url, where, env, Boolean(override || settings.fromEnv));
  throw new AidevError(
    'CONFIG_INVALID',
    `${where}: "${redactUrl(url)}" is neither sqlite: nor postgres://…`,
    {
      hint: 'use sqlite: (the default, $AIDEV_HOME/ledger.db) or postgres://user@host:5432/aidev with PGPASSWORD set',
    },
  );
}

function postgresTarget(url: string, where: string, env: Env, fromEnv: boolean): LedgerTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AidevError('CONFIG_INVALID', `${where}: "${redactUrl(url)}" is not a valid URL`, {
      hint: 'postgres://user@host:5432/database (percent-encode special characters in the user name)',
    });
  }
  const inlinePassword = parsed.password || parsed.searchParams.has('password');
  if (inlinePassword && !fromEnv) {
    throw new AidevError('CONFIG_INVALID', `${where} holds a password written into the config file`, {
      hint: 'remove it from the URL and export PGPASSWORD=… (or write the URL as ${AIDEV_LEDGER_URL} and set that variable)',
    });
  }
  const workerEnv: Record<string, string> = {};
  for (const name of LIBPQ_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') workerEnv[name] = value;
  }
  return { kind: 'postgres', connectionString: url, display: redactUrl(url), env: workerEnv };
}

/** The URL without its password (for messages, `ledger.path` and doctor). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString().replace(/:@/, '@');
  } catch {
    return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@');
  }
}

/** Reads `ledger.url` from a loaded config that may not declare it yet (the schema owner adds the block). */
export function ledgerSettingsOf(loaded: {
  config: object;
  secretPaths: ReadonlySet<string>;
  missingEnv: ReadonlyMap<string, string>;
  repoRoot: string;
}): LedgerSettings {
  const block = (loaded.config as { ledger?: unknown }).ledger;
  const url = block && typeof block === 'object' ? (block as { url?: unknown }).url : undefined;
  const system = (loaded.config as { system?: { ledger_path?: unknown } }).system;
  const path =
    typeof system?.ledger_path === 'string' ? resolve(loaded.repoRoot, system.ledger_path) : undefined;
  return {
    url: typeof url === 'string' ? url : undefined,
    fromEnv: loaded.secretPaths.has('ledger.url'),
    missingVariable: loaded.missingEnv.get('ledger.url'),
    sqlitePath: path,
  };
}
