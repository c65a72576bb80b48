// The one table of step kinds. A step has exactly one of these keys; adding a kind is one file plus one line here.
import { agentStepKind } from '../agent/agent-step.js';
import { aiStepKind } from './kinds/ai.js';
import { approvalStepKind } from './kinds/approval.js';
import { runStepKind } from './kinds/run.js';
import { usesStepKind } from './kinds/uses.js';
import type { StepKindHandler } from './types.js';

/** Every kind name the format reserves (`agent` lives in src/core/agent/agent-step.ts, with the coding agent). */
export const KIND_KEYS = ['uses', 'ai', 'agent', 'run', 'approval'] as const;

const table = new Map<string, StepKindHandler>();

/** Registers (or replaces) a kind: tests, or a build that brings another kind. */
export function registerStepKind<S>(handler: StepKindHandler<S>): void {
  table.set(handler.kind, handler);
}

for (const handler of [
  usesStepKind,
  aiStepKind,
  agentStepKind,
  runStepKind,
  approvalStepKind,
] as StepKindHandler[])
  registerStepKind(handler);

export function stepKind(kind: string): StepKindHandler | undefined {
  return table.get(kind);
}

/** Kind keys a step may use: the reserved ones plus any registered later. */
export function kindKeys(): string[] {
  return [...new Set<string>([...KIND_KEYS, ...table.keys()])];
}

export function registeredKinds(): string[] {
  return [...table.keys()];
}
