// ctx.effect: an external side effect at most once per key. The key is written (pending) before the call and the result
// after; a resumed run finds a done key and returns the recorded result without calling out again.
import type { Ledger } from '../ledger/types.js';
import type { Runtime } from '../runtime.js';
import type { StepContext } from './types.js';

export function effectRunner(
  ledger: Ledger,
  runtime: Runtime,
  runId: string,
  stepId: string,
  stepKey: string,
): StepContext['effect'] {
  const now = () => runtime.clock.now().toISOString();
  return async function effect<T>(
    key: string,
    kind: string,
    fn: () => Promise<{ externalId: string | null; result: T }>,
    recover?: () => Promise<{ externalId: string | null; result: T } | null>,
  ): Promise<T> {
    const full = key.startsWith(`${runId}:`) ? key : `${runId}:${stepKey}:${key}`;
    const existing = ledger.getEffect(full);
    if (existing?.status === 'done') return existing.result as T;
    if (existing?.status === 'pending' && recover) {
      const found = await recover();
      if (found) {
        ledger.completeEffect(full, found.externalId, found.result, now());
        return roundTrip(found.result);
      }
    }
    if (!existing) ledger.beginEffect({ key: full, runId, stepId, kind }, now());
    const done = await fn();
    ledger.completeEffect(full, done.externalId, done.result, now());
    // What a resumed run reads back is JSON; return the same shape now so both paths see equal values.
    return roundTrip(done.result);
  };
}

function roundTrip<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}
