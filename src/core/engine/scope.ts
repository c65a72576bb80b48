// What `${…}` and `if:` can see while a run executes: inputs, steps.<id>.{outputs,outcome}, task, run, config (secrets
// redacted), feedback, and the flat specification-style names (inputs by name, output aliases).
import type { Config } from '../config/schema.js';
import type { StepDef, WorkflowDef } from './types.js';

export type Outcome = 'success' | 'failure' | 'skipped';

export interface ScopeState {
  workflow: WorkflowDef;
  inputs: Record<string, unknown>;
  /** `repo` is the repository folder's name. */
  run: { id: string; workflow: string; task_id: string | null; started_at: string; repo: string };
  config: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown>; outcome: Outcome; conclusion: Outcome }>;
  aliases: Record<string, unknown>;
  task: unknown;
  feedback: string | null;
}

export function scopeOf(state: ScopeState): Record<string, unknown> {
  return {
    ...state.inputs,
    ...state.aliases,
    inputs: state.inputs,
    steps: state.steps,
    task: state.task ?? null,
    run: state.run,
    config: state.config,
    feedback: state.feedback,
  };
}

/** Records a finished step in the scope: its outputs under steps.<id>, and its aliases as flat names. */
export function recordStep(
  state: ScopeState,
  step: StepDef,
  outcome: Outcome,
  outputs: Record<string, unknown> | undefined,
): void {
  const out = outputs ?? {};
  const published = { ...out };
  for (const [name, alias] of Object.entries(step.outputs)) {
    if (name in out) {
      published[alias] = out[name];
      state.aliases[alias] = out[name];
    }
  }
  state.steps[step.id] = {
    outputs: published,
    outcome,
    conclusion: outcome === 'failure' && step.onError === 'continue' ? 'success' : outcome,
  };
}

export function forgetStep(state: ScopeState, step: StepDef): void {
  delete state.steps[step.id];
  for (const alias of Object.values(step.outputs)) delete state.aliases[alias];
}

/** The config as workflows see it: values that came from `${ENV}` (credentials) are replaced. */
export function redactedConfig(config: Config, secretPaths: ReadonlySet<string>): Record<string, unknown> {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const path of secretPaths) {
    const keys = path.split('.');
    let node: unknown = copy;
    for (const key of keys.slice(0, -1))
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    const last = keys[keys.length - 1]!;
    if (node && typeof node === 'object' && last in node)
      (node as Record<string, unknown>)[last] = '[redacted]';
  }
  return copy;
}
