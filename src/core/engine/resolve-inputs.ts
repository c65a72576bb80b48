// Resolves a step's `with:` block against the scope at run time. A reference that is not set fails the step with the
// variable and the reason (the step was skipped, that output does not exist…), never a silent empty string.
import { AidevError } from '../errors.js';
import { ExpressionError, hasTemplate, parseTemplate, renderTemplate } from '../expressions/index.js';
import type { ScopeState } from './scope.js';

export function resolveWith(
  value: unknown,
  scope: Record<string, unknown>,
  state: ScopeState,
  stepId: string,
  failed: boolean,
): unknown {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return value;
    try {
      return renderTemplate(parseTemplate(value), {
        scope,
        failed,
        onMissing: (source) => {
          throw notSet(source, state, stepId);
        },
      });
    } catch (error) {
      if (error instanceof ExpressionError) {
        throw new AidevError('STEP_FAILED', `step ${stepId}: ${error.message}`, {
          hint: error.hint,
          details: { nonRetryable: true },
        });
      }
      throw error;
    }
  }
  if (Array.isArray(value)) return value.map((v) => resolveWith(v, scope, state, stepId, failed));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveWith(v, scope, state, stepId, failed);
    return out;
  }
  return value;
}

function notSet(source: string, state: ScopeState, stepId: string): AidevError {
  const match = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_]+)/.exec(source);
  let hint = "check the name, or give a fallback: ${{ <value> || '' }}";
  if (match) {
    const target = state.steps[match[1]!];
    if (!target) hint = `step ${match[1]!} has not run in this run`;
    else if (target.outcome === 'skipped')
      hint = `step ${match[1]!} was skipped (its if: was false); add a fallback: \${{ ${source} || '' }}`;
    else if (target.outcome === 'failure')
      hint = `step ${match[1]!} failed (on_error: continue), so it has no such output`;
    else hint = `step ${match[1]!}'s outputs are: ${Object.keys(target.outputs).join(', ') || '(none)'}`;
  } else if (source.startsWith('task.') && state.task === undefined) {
    hint = 'no task is loaded yet: run a tasks.get step first';
  } else if (source.startsWith('inputs.')) {
    hint = `pass it with --input ${source.slice(7)}=…`;
  }
  return new AidevError('STEP_FAILED', `step ${stepId}: \${${source}} is not set`, {
    hint,
    details: { nonRetryable: true },
  });
}
