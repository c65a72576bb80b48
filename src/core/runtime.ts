// The injected world: clock, ids, environment and cwd. Core code never reads Date.now() or process.env directly.
import { randomBytes } from 'node:crypto';

export interface Clock {
  now(): Date;
}

export interface Runtime {
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  newId(prefix?: string): string;
}

export const systemClock: Clock = { now: () => new Date() };

/** Sortable ids: base36 time then randomness, e.g. `r-lx3k9a-7f2c`. */
export function newId(prefix = 'r', clock: Clock = systemClock): string {
  const time = clock.now().getTime().toString(36);
  const rand = randomBytes(3).toString('hex');
  return `${prefix}-${time}-${rand}`;
}

export function createRuntime(overrides: Partial<Runtime> & Pick<Runtime, 'env' | 'cwd'>): Runtime {
  const clock = overrides.clock ?? systemClock;
  return {
    clock,
    env: overrides.env,
    cwd: overrides.cwd,
    newId: overrides.newId ?? ((prefix) => newId(prefix, clock)),
  };
}
