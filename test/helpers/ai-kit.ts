// Shared pieces of the AI-layer tests: a provider context over an injected env and clock, a parsed config, a temp
// ledger, a settable clock and an event recorder. Real objects throughout; nothing here mocks a module.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, ProviderContext } from '../../providers/types.js';
import { configSchema, type Config, type ConfigInput } from '../../src/core/config/schema.js';
import { AidevError } from '../../src/core/errors.js';
import type { RunEvent } from '../../src/core/events.js';
import { openLedger, type Ledger } from '../../src/core/ledger/index.js';
import { createRuntime, type Clock } from '../../src/core/runtime.js';

export interface SettableClock extends Clock {
  set(iso: string): void;
  advance(ms: number): void;
}

export function settableClock(iso = '2026-03-15T12:00:00.000Z'): SettableClock {
  let now = new Date(iso).getTime();
  return {
    now: () => new Date(now),
    set: (next) => void (now = new Date(next).getTime()),
    advance: (ms) => void (now += ms),
  };
}

export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => void lines.push(`debug: ${m}`),
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(`warning: ${m}`),
    error: (m) => void lines.push(`error: ${m}`),
  };
}

export function testProviderContext<C>(
  settings: C,
  options: {
    path: string;
    env?: Record<string, string | undefined>;
    repoRoot?: string;
    clock?: Clock;
    logger?: Logger;
  },
): ProviderContext<C> {
  const env = options.env ?? {};
  const runtime = createRuntime({ env, cwd: options.repoRoot ?? tmpdir(), clock: options.clock });
  const optionalCredential = (key: string, names: string | readonly string[]): string | undefined => {
    const value = (settings as Record<string, unknown>)[key];
    if (typeof value === 'string' && value) return value;
    for (const name of typeof names === 'string' ? [names] : names) if (env[name]) return env[name];
    return undefined;
  };
  return {
    settings,
    path: options.path,
    runtime,
    repoRoot: options.repoRoot ?? tmpdir(),
    gitRemote: 'origin',
    logger: options.logger ?? recordingLogger(),
    optionalCredential,
    credential(key, names) {
      const value = optionalCredential(key, names);
      if (value !== undefined) return value;
      const list = typeof names === 'string' ? [names] : [...names];
      throw new AidevError(
        'ENV_MISSING',
        `${options.path} needs ${key}: set ${list.join(' or ')} in the environment`,
      );
    },
  };
}

/** A validated config; provider blocks (ai.fake…) are typed loosely because the schema builds them from the registry. */
export function testConfig(input: ConfigInput | Record<string, unknown> = {}): Config {
  return configSchema.parse(input);
}

export interface TempLedger {
  ledger: Ledger;
  dir: string;
  path: string;
  cleanup(): void;
}

export function tempLedger(): TempLedger {
  const dir = mkdtempSync(join(tmpdir(), 'aidev-ai-'));
  const path = join(dir, 'ledger.db');
  const ledger = openLedger({ path, home: dir });
  return {
    ledger,
    dir,
    path,
    cleanup() {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function eventRecorder(): {
  events: RunEvent[];
  emit: (event: RunEvent) => void;
  ofType<T extends RunEvent['type']>(type: T): Extract<RunEvent, { type: T }>[];
} {
  const events: RunEvent[] = [];
  return {
    events,
    emit: (event) => void events.push(event),
    ofType: <T extends RunEvent['type']>(type: T) =>
      events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type),
  };
}
