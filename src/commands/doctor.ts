// `aidev doctor`: is this machine and repo ready? Each check is ok/warn/fail with a fix hint; any fail → exit 1.
import { execFileSync } from 'node:child_process';
import { canCheckAuth } from '../../providers/capabilities.js';
import type { Category } from '../../providers/types.js';
import { createProvider, credentialState, findDefinition, providerContext } from '../core/providers.js';
import type { Runtime } from '../core/runtime.js';
import { AidevError } from '../core/errors.js';
import { findRepoRoot, loadConfig, type LoadedConfig } from '../core/config/load.js';
import { ledgerAndWatchChecks } from './doctor-ledger-watch.js';
import { workspaceDoctorChecks } from './doctor-workspace.js';
import { createRuntime } from '../core/runtime.js';
import { sandboxStatus } from '../core/security/sandbox.js';
import { silentLogger } from '../core/logger.js';
import type { GlobalOptions } from '../core/session.js';

export type CheckState = 'ok' | 'warn' | 'fail';
export interface DoctorCheck {
  name: string;
  state: CheckState;
  detail: string;
  hint?: string | undefined;
}

export interface DoctorResult {
  ok: boolean;
  checks: DoctorCheck[];
}

export async function runDoctor(
  options: GlobalOptions & { nodeVersion?: string; offline?: boolean; reachTimeoutMs?: number },
): Promise<DoctorResult> {
  const checks: DoctorCheck[] = [];
  const add = (name: string, state: CheckState, detail: string, hint?: string) =>
    checks.push({ name, state, detail, hint });

  const nodeVersion = options.nodeVersion ?? process.versions.node;
  const major = Number(nodeVersion.split('.')[0]);
  add(
    'node',
    major >= 22 ? 'ok' : 'fail',
    `v${nodeVersion}`,
    major >= 22
      ? undefined
      : 'aidev needs Node ≥ 22: install it from nodejs.org or with your version manager',
  );

  const gitVersion = tryRun('git', ['--version']);
  add(
    'git',
    gitVersion ? 'ok' : 'fail',
    gitVersion ?? 'not found',
    gitVersion ? undefined : 'install git ≥ 2.30',
  );
  const root = findRepoRoot(options.cwd);
  add(
    'repository',
    root ? 'ok' : 'warn',
    root ?? `${options.cwd} is not in a git repository`,
    root ? undefined : '`aidev run` needs a git checkout: cd into one or pass --cwd',
  );

  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfig({ cwd: options.cwd, env: options.env, configFile: options.config });
    add('config', 'ok', loaded.filepath ?? 'no .aidevrc file: built-in defaults (run `aidev init`)');
  } catch (error) {
    const e = error instanceof AidevError ? error : new AidevError('CONFIG_INVALID', String(error));
    add('config', 'fail', e.message, e.hint);
  }

  if (loaded) {
    const runtime = createRuntime({ env: options.env, cwd: options.cwd });
    for (const category of ['ai', 'tasks', 'vcs', 'docs', 'chat'] as const) {
      const id = loaded.config[category].provider;
      const def = findDefinition(category, id);
      if (!def) {
        add(
          `${category} (${id})`,
          'fail',
          `the ${id} provider is not available in this version of aidev`,
          `set ${category}.provider to one this build ships (aidev providers list)`,
        );
        continue;
      }
      try {
        const ctx = providerContext(category, id, def, loaded, runtime, silentLogger);
        const { present, problem } = credentialState(def, ctx);
        const firstMissing = def.credentials.find((c) => ctx.optionalCredential(c.key, c.env) === undefined)
          ?.env[0];
        // Without a model key most commands (tasks, runs, demo with its scripted model) still work: warn, not fail.
        if (problem)
          add(
            `${category} (${id})`,
            category === 'ai' ? 'warn' : 'fail',
            problem,
            `export ${firstMissing ?? 'the variable'}=… (credentials come only from the environment)`,
          );
        else {
          add(
            `${category} (${id})`,
            'ok',
            present.length ? `credentials present: ${present.join(', ')}` : 'no credentials needed',
          );
          if (!options.offline && present.length) await reach(category, id, loaded, runtime, add);
        }
      } catch (error) {
        const e = error instanceof AidevError ? error : new AidevError('PROVIDER_ERROR', String(error));
        add(`${category} (${id})`, 'fail', e.message, e.hint);
      }
    }
    const checksConfigured = loaded.config.verify.checks;
    add(
      'checks',
      checksConfigured.length ? 'ok' : 'warn',
      checksConfigured.length
        ? checksConfigured.join('; ')
        : 'verify.checks is empty: runs will not test their changes',
      checksConfigured.length
        ? undefined
        : 'run `aidev init` to detect them, or set verify.checks (e.g. [npm test])',
    );

    // The configured backend (SQLite file or PostgreSQL): reachable, migrated, writable.
    checks.push(...(await ledgerAndWatchChecks(loaded, options.env)));
    checks.push(...workspaceDoctorChecks(loaded, options.env));

    // The security module's own probe: bwrap must not only be installed but able to start here.
    const sandbox = sandboxStatus(loaded.config.security.sandbox, options.env);
    if (sandbox.mode === 'bwrap') add('sandbox', 'ok', sandbox.reason);
    else if (sandbox.setting === 'none') add('sandbox', 'warn', sandbox.reason);
    else
      add(
        'sandbox',
        sandbox.setting === 'bwrap' ? 'fail' : 'warn',
        sandbox.reason,
        'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged user namespaces',
      );
  }
  return { ok: !checks.some((c) => c.state === 'fail'), checks };
}

function tryRun(command: string, args: string[]): string | null {
  try {
    return (
      execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 })
        .trim()
        .split('\n')[0] ?? ''
    );
  } catch {
    return null;
  }
}

/** Proves a SaaS provider's credentials with one cheap authenticated call, when the provider can (AuthChecker). */
async function reach(
  category: Category,
  id: string,
  loaded: LoadedConfig,
  runtime: Runtime,
  add: (name: string, state: CheckState, detail: string, hint?: string) => void,
  timeoutMs = 10_000,
): Promise<void> {
  const name = `${category} (${id}) reach`;
  try {
    const provider: object = await createProvider(category, id, loaded, runtime, silentLogger);
    if (!canCheckAuth(provider)) return;
    const status = await provider.checkAuth({ signal: AbortSignal.timeout(timeoutMs) });
    add(name, status.ok ? 'ok' : 'fail', status.detail, status.ok ? undefined : status.hint);
  } catch (error) {
    const e = error instanceof AidevError ? error : new AidevError('PROVIDER_ERROR', String(error));
    const timedOut = e.cause instanceof Error && e.cause.name === 'TimeoutError';
    add(
      name,
      'fail',
      timedOut ? `no answer within ${timeoutMs / 1000} s` : e.message,
      e.hint ?? 'check the base_url and the network, or run doctor --offline',
    );
  }
}
