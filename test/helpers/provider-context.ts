// Builds a real ProviderContext for a provider under test, from a settings block and a repo dir.
import type { ProviderContext } from '../../providers/types.js';
import { AidevError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { createRuntime, type Clock } from '../../src/core/runtime.js';

export function providerContext<C>(
  settings: C,
  options: {
    repoRoot: string;
    env?: Record<string, string | undefined>;
    clock?: Clock;
    path?: string;
    gitRemote?: string;
  },
): ProviderContext<C> {
  const env = options.env ?? {};
  const optionalCredential = (key: string, names: string | readonly string[]): string | undefined => {
    const value = (settings as Record<string, unknown>)[key];
    if (typeof value === 'string' && value) return value;
    for (const name of typeof names === 'string' ? [names] : names) if (env[name]) return env[name];
    return undefined;
  };
  return {
    settings,
    path: options.path ?? 'test.provider',
    runtime: createRuntime({ env, cwd: options.repoRoot, clock: options.clock }),
    repoRoot: options.repoRoot,
    gitRemote: options.gitRemote ?? 'origin',
    logger: silentLogger,
    optionalCredential,
    credential(key, names) {
      const value = optionalCredential(key, names);
      if (value === undefined) throw new AidevError('ENV_MISSING', `missing ${key}`);
      return value;
    },
  };
}

/** A clock that advances one second per reading, so timestamps are distinct and deterministic. */
export function steppingClock(start = '2026-11-25T10:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return { now: () => new Date((t += 1000)) };
}
