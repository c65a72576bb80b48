// The `agent:` step kind: the coding agent works on the run's task in the run's worktree, through the tools and the
// security policy, until it finishes and verify.checks pass (a package's checks in a monorepo: check-scope.ts).
// Spec: {prompt?, instructions?, max_turns?, verify?}. Outputs: summary, files_changed, checks_passed, checks_summary,
// checks_scope, turns, baseline_summary, pre_existing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createPromptSource } from '../ai/prompts.js';
import type { PromptSource, StepContext, StepKindHandler, ValidationIssue } from '../engine/types.js';
import { AidevError } from '../errors.js';
import { changedFiles } from '../git/changes.js';
import { aidevHome } from '../paths.js';
import { createPolicy } from '../security/policy.js';
import { DEFAULT_MAX_FILE_BYTES, kindOf, listFiles } from '../workspace/files.js';
import { buildRepoMap } from '../workspace/repo-map.js';
import { submodulePaths } from '../workspace/submodules.js';
import { firstMessage, promptVars } from './context.js';
import { ChecksFailedError, runAgentLoop } from './loop.js';
import { AGENT_TOOLS } from './tool-specs.js';
import { runChecks, type VerifyResult } from './verify.js';
import { baselineNote } from './baseline.js';
import {
  baselineFor,
  baselineSummary,
  reportScope,
  saveVerification,
  scopedVerify,
  textOf,
  withScope,
} from './agent-checks.js';
import { scopeForAgent, scopeForTask, scopeLine } from './check-scope.js';

export interface AgentSpec {
  prompt?: string | undefined;
  instructions?: string | undefined;
  max_turns?: number | undefined;
  verify?: boolean | undefined;
}

const DEFAULT_PROMPT = 'code_generation';
/** Tokens of the first message spent on the repo map. */
const REPO_MAP_TOKENS = 4000;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The run's worktree; the agent never works in the user's own checkout. */
function worktreeOf(ctx: StepContext): string {
  const worktree = textOf(ctx.state.worktree);
  if (!worktree) {
    throw new AidevError(
      'STEP_FAILED',
      `step ${ctx.stepId}: the agent needs the run's worktree, and there is none yet`,
      {
        hint: 'put a `uses: git.create_branch` step before the agent step (the agent never edits your own checkout)',
      },
    );
  }
  return worktree;
}

function saveChecksLog(ctx: StepContext, report: string): string {
  const dir = join(aidevHome(ctx.runtime.env), 'logs', ctx.runId);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${ctx.stepId}-checks.log`);
  writeFileSync(file, report.endsWith('\n') ? report : `${report}\n`);
  return file;
}

export const agentStepKind: StepKindHandler<AgentSpec> = {
  kind: 'agent',
  schema: z.strictObject({
    prompt: z.string().min(1).optional(),
    instructions: z.string().optional(),
    max_turns: z.number().int().positive().optional(),
    verify: z.boolean().optional(),
  }),
  validate(spec, _step, vctx) {
    const issues: ValidationIssue[] = [];
    const name = spec.prompt ?? DEFAULT_PROMPT;
    if (!vctx.promptExists(name)) {
      issues.push({
        message: `agent.prompt: no prompt template named "${name}"`,
        hint: 'see `aidev prompts list`',
        path: ['agent', 'prompt'],
      });
    }
    return issues;
  },
  outputs: () => [
    'summary',
    'files_changed',
    'checks_passed',
    'checks_summary',
    'turns',
    'baseline_summary',
    'pre_existing',
    'checks_scope',
  ],
  async execute(spec, input, ctx) {
    const task = ctx.task();
    if (!task) {
      throw new AidevError('STEP_FAILED', `step ${ctx.stepId}: the agent has no task to work on`, {
        hint: 'load it first with `uses: tasks.get`, or run the workflow through `aidev run <ID>`',
      });
    }
    const root = worktreeOf(ctx);
    const { config } = ctx;
    const git = { env: ctx.runtime.env, signal: ctx.signal };
    const maxTurns = spec.max_turns ?? config.agent.max_turns;
    const verify = spec.verify ?? true;
    // The task decides the monorepo scope before the agent starts, or leaves it to the change's files (check-scope.ts).
    const planned = scopeForTask(config.verify, task);
    const checks = planned.checks;
    const feedback = textOf(input.feedback) ?? textOf(ctx.scope().feedback);
    const setupUntracked = stringList(ctx.state.setup_untracked);
    // A fresh worktree holds no changes: only a feedback round or a resumed run needs the (tree-walking) status.
    const fresh = ctx.state.agent_started !== true;
    ctx.state.agent_started = true;
    ctx.saveState();

    // Independent start-up work side by side: git calls, the sandbox probe, the content search of the repo map.
    const [policy, tracked, alreadyChanged, submodules] = await Promise.all([
      createPolicy({ root, config, env: ctx.runtime.env, hidden: [ctx.ledger.path] }),
      listFiles(root, git),
      fresh ? Promise.resolve([]) : changedFiles(root, git, setupUntracked),
      submodulePaths(root),
    ]);
    ctx.audit('agent.sandbox', policy.sandbox.mode, { reason: policy.sandbox.reason });
    if (policy.sandbox.mode === 'none') ctx.progress(policy.sandbox.reason, 'stderr');
    const known = new Set(tracked.map((f) => f.path));
    const inSubmodule = (p: string): boolean => submodules.some((m) => p === m || p.startsWith(`${m}/`));
    const files = [
      ...tracked.filter((f) => !inSubmodule(f.path)),
      ...alreadyChanged
        .filter((p) => !known.has(p))
        .map((path) => ({ path, size: null, kind: kindOf(path, null, DEFAULT_MAX_FILE_BYTES) })),
    ];
    const prompts: PromptSource = ctx.prompts ?? createPromptSource(ctx.repoRoot);
    const [map, rendered, model] = await Promise.all([
      buildRepoMap({
        root,
        files,
        query: `${task.title}\n${task.description}\n${feedback ?? ''}`,
        tokenBudget: REPO_MAP_TOKENS,
        blockedGlobs: config.security.blocked_paths,
        isBlocked: (p) => policy.isBlocked(p),
        signal: ctx.signal,
      }),
      prompts.render(
        spec.prompt ?? DEFAULT_PROMPT,
        promptVars({
          task,
          worktree: root,
          tools: AGENT_TOOLS,
          checks,
          blockedPaths: config.security.blocked_paths,
          maxTurns,
          plan: textOf(input.plan),
          feedback,
        }),
      ),
      ctx.model(),
    ]);
    const changed = new Set<string>();
    const checkOptions = {
      timeoutMs: config.verify.timeout * 1000,
      outputLimit: config.agent.output_limit,
      signal: ctx.signal,
      onLine: (line: string) => ctx.progress(line, 'stdout'),
    };
    if (verify) reportScope(ctx, planned);
    const { baseline, skipped } = await baselineFor(ctx, {
      on: verify && checks.length > 0 && config.verify.baseline,
      fresh,
      scope: planned,
      run: () => runChecks(policy, checks, checkOptions),
    });
    const scoped = scopedVerify({
      ctx,
      verifyConfig: config.verify,
      planned,
      baseline,
      changed: () => changedFiles(root, git, setupUntracked),
      run: (list) => runChecks(policy, list, checkOptions),
    });
    const verification = (after: VerifyResult | null) => ({
      baseline,
      skipped,
      after,
      scope: scoped.scope(),
      note: scoped.note(),
    });

    let result;
    try {
      result = await runAgentLoop({
        model,
        system: rendered.system,
        tools: AGENT_TOOLS,
        firstMessage: firstMessage({
          promptUser: rendered.user,
          instructions: spec.instructions ?? textOf(input.instructions) ?? undefined,
          alreadyChanged,
          baseline: baselineNote(baseline),
          scope: verify && planned.shown ? scopeForAgent(planned) : null,
          submodules,
          map,
          sandbox: policy.sandbox.reason,
        }),
        toolEnv: {
          policy,
          git,
          signal: ctx.signal,
          outputLimit: config.agent.output_limit,
          maxFileBytes: DEFAULT_MAX_FILE_BYTES,
          commandTimeoutMs: config.agent.command_timeout * 1000,
          blockedGlobs: config.security.blocked_paths,
          onCommandLine: (line) => ctx.progress(line, 'stdout'),
          changed,
          submodules,
        },
        maxTurns,
        verify: verify ? () => scoped.verify() : null,
        maxFixAttempts: config.verify.max_fix_attempts,
        signal: ctx.signal,
        progress: (message, stream) => ctx.progress(message, stream),
        audit: (action, decision, detail) => ctx.audit(action, decision, detail),
      });
    } catch (error) {
      saveVerification(ctx, verification(scoped.last()));
      if (error instanceof ChecksFailedError) {
        const file = saveChecksLog(ctx, error.report);
        throw new AidevError('STEP_FAILED', error.message, {
          hint: `${error.hint ?? ''}; the failing output is in ${file}`,
          details: { checks_log: file },
          cause: error,
        });
      }
      throw error;
    }
    // What the agent wrote through its tools; git.diff reports the whole change (command outputs included).
    saveVerification(ctx, verification(result.checks));
    const filesChanged = [...new Set([...alreadyChanged, ...changed])].sort();
    ctx.audit('agent.finish', 'ok', {
      turns: result.turns,
      fixAttempts: result.fixAttempts,
      files: filesChanged.length,
    });
    return {
      summary: result.summary,
      files_changed: filesChanged,
      checks_passed: result.checks ? result.checks.passed : null,
      checks_summary: result.checks
        ? withScope(scoped.scope(), result.checks.summary, scoped.note())
        : 'verification skipped (verify: false)',
      turns: result.turns,
      baseline_summary: verify
        ? withScope(planned, baselineSummary(baseline, skipped))
        : baselineSummary(baseline, skipped),
      pre_existing: result.checks?.preExisting ?? [],
      checks_scope: verify && scoped.scope().shown ? scopeLine(scoped.scope()) : null,
    };
  },
};
