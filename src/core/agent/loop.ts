// The agent loop: model turn → tool calls → results, until finish (and passing checks). The system prompt and the
// tool list are fixed for the whole loop and messages are only appended, so every turn shares a cacheable prefix.
// Limits: turns per round, the budget guard inside the model client, and a stuck-loop check on repeated failures.
import type { AiContentBlock, AiMessage, AiTool } from '../../../providers/types.js';
import { AidevError } from '../errors.js';
import type { ModelClient } from '../engine/types.js';
import { runTool, type ToolEnv } from './tools.js';
import { failureReport, type VerifyResult } from './verify.js';

export interface AgentLoopInput {
  model: ModelClient;
  system: string;
  tools: readonly AiTool[];
  firstMessage: string;
  toolEnv: ToolEnv;
  /** Model turns per round (a round ends at finish; failed checks start the next). */
  maxTurns: number;
  /** Identical failing calls in a row before the loop gives up. */
  stuckLimit?: number | undefined;
  /** Runs the checks after finish; null when verify is off. */
  verify: (() => Promise<VerifyResult>) | null;
  maxFixAttempts: number;
  signal: AbortSignal;
  progress(message: string, stream?: 'model' | 'tool' | 'stdout' | 'stderr'): void;
  audit(action: string, decision: string, detail?: unknown): void;
}

export interface AgentLoopResult {
  summary: string;
  turns: number;
  fixAttempts: number;
  checks: VerifyResult | null;
  messages: AiMessage[];
}

export class ChecksFailedError extends AidevError {
  constructor(
    message: string,
    readonly report: string,
    hint: string,
  ) {
    super('STEP_FAILED', message, { hint });
  }
}

function callKey(block: Extract<AiContentBlock, { type: 'tool_use' }>): string {
  return `${block.name} ${JSON.stringify(block.input)}`;
}

function nudge(stopReason: string): string {
  return stopReason === 'max_tokens'
    ? 'Your reply was cut off at the output limit. Work in smaller steps: several edit_file calls instead of one large write.'
    : 'Continue with tool calls. When the task is done, call finish with a summary.';
}

export async function runAgentLoop(input: AgentLoopInput): Promise<AgentLoopResult> {
  const messages: AiMessage[] = [{ role: 'user', content: input.firstMessage }];
  const stuckLimit = input.stuckLimit ?? 3;
  const failures = new Map<string, number>();
  let turns = 0;
  let roundTurns = 0;
  let fixAttempts = 0;
  let idle = 0;

  for (;;) {
    if (roundTurns >= input.maxTurns) {
      throw new AidevError('STEP_FAILED', `the agent used all ${input.maxTurns} turns without finishing`, {
        hint: "raise agent.max_turns (or the step's max_turns), or split the task into smaller ones; the worktree is kept with its partial changes",
      });
    }
    input.signal.throwIfAborted();
    turns++;
    roundTurns++;
    const response = await input.model.complete(
      { system: input.system, tools: [...input.tools], messages, cache: true },
      { signal: input.signal, onText: (text) => input.progress(text, 'model') },
    );
    messages.push({ role: 'assistant', content: response.content });
    const calls = response.content.filter(
      (b): b is Extract<AiContentBlock, { type: 'tool_use' }> => b.type === 'tool_use',
    );
    if (!calls.length) {
      idle++;
      if (idle >= 3) {
        throw new AidevError(
          'STEP_FAILED',
          'the model stopped calling tools three turns in a row without calling finish',
          {
            hint: 'the task may be unclear to it: add detail to the task description, then run again',
          },
        );
      }
      messages.push({ role: 'user', content: nudge(response.stopReason) });
      continue;
    }
    idle = 0;

    const results: AiContentBlock[] = [];
    let finished: { summary: string; id: string } | null = null;
    // finish goes last, so that edits in the same turn are on disk before the checks run.
    for (const call of [
      ...calls.filter((c) => c.name !== 'finish'),
      ...calls.filter((c) => c.name === 'finish'),
    ]) {
      if (finished) {
        results.push({
          type: 'tool_result',
          toolUseId: call.id,
          content: 'ignored: finish was already called in this turn',
          isError: true,
        });
        continue;
      }
      const outcome = await runTool(call.name, call.input, input.toolEnv);
      input.audit(
        `tool.${call.name}`,
        outcome.denied ? 'denied' : outcome.isError ? 'error' : 'ok',
        outcome.audit,
      );
      input.progress(
        `${call.name} ${JSON.stringify(outcome.audit)}${outcome.isError ? ` → ${outcome.content.split('\n')[0]!.slice(0, 200)}` : ''}`,
        'tool',
      );
      if (outcome.finish) {
        finished = { summary: outcome.finish.summary, id: call.id };
        continue;
      }
      results.push({
        type: 'tool_result',
        toolUseId: call.id,
        content: outcome.content,
        isError: outcome.isError || undefined,
      });
      if (outcome.isError) {
        const key = callKey(call);
        const count = (failures.get(key) ?? 0) + 1;
        failures.set(key, count);
        if (count >= stuckLimit) {
          throw new AidevError(
            'STEP_FAILED',
            `the agent is stuck: it made the same failing call ${count} times (${call.name} ${JSON.stringify(call.input).slice(0, 200)}): ${outcome.content.split('\n')[0]!.slice(0, 300)}`,
            {
              hint: 'see what it tried with `aidev runs show <run> --audit`; clarify the task or allow what it needs (security.allowed_commands), then run again',
            },
          );
        }
      } else failures.clear();
    }

    if (!finished) {
      messages.push({ role: 'user', content: results });
      continue;
    }

    const checks = input.verify ? await input.verify() : null;
    if (!checks || checks.passed) {
      results.push({
        type: 'tool_result',
        toolUseId: finished.id,
        content: checks ? `checks passed:\n${checks.summary}` : 'done',
      });
      messages.push({ role: 'user', content: results });
      return { summary: finished.summary, turns, fixAttempts, checks, messages };
    }
    const report = failureReport(checks);
    if (checks.missingTool) {
      throw new ChecksFailedError(
        `the check "${checks.missingTool.command}" could not run: command not found (exit 127)`,
        report,
        'set workspace.setup in .aidevrc.yaml (e.g. npm ci) so the worktree has the tools the checks need, or install the tool; this is not something the model can fix',
      );
    }
    fixAttempts++;
    input.audit('verify', 'failed', { attempt: fixAttempts, summary: checks.summary });
    if (fixAttempts > input.maxFixAttempts) {
      throw new ChecksFailedError(
        `the checks still fail after ${input.maxFixAttempts} fix attempt${input.maxFixAttempts === 1 ? '' : 's'}:\n${checks.summary}`,
        report,
        'read the failing output (saved, path below), fix the task or the checks, then run again; raise verify.max_fix_attempts to give the agent more rounds',
      );
    }
    input.progress(`checks failed; fix round ${fixAttempts} of ${input.maxFixAttempts}`, 'stderr');
    const intro = `The checks failed (fix round ${fixAttempts} of ${input.maxFixAttempts}). Fix the cause, then call finish again.\n\n`;
    results.push({
      type: 'tool_result',
      toolUseId: finished.id,
      isError: true,
      content: intro + failureReport(checks, input.toolEnv.outputLimit * 2 - intro.length),
    });
    messages.push({ role: 'user', content: results });
    roundTurns = 0;
  }
}
