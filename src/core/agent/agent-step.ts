// The `agent:` step kind: the coding agent works on the run's task in the run's worktree, through the tools and the
// security policy, until it finishes and verify.checks pass. Spec: {prompt?, instructions?, max_turns?, verify?}.
// Outputs: summary, files_changed, checks_passed, checks_summary, turns.
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
import {
  applyBaseline,
  baselineKey,
  baselineNote,
  loadOrRunBaseline,
  verificationMarkdown,
  type Baseline,
} from './baseline.js';

export interface AgentSpec {
  prompt?: string | undefined;
  instructions?: string | undefined;
  max_turns?: number | undefined;
  verify?: boolean | undefined;
}

const DEFAULT_PROMPT = 'code_generation';
/** Tokens of the first message spent on the repo map. */
const REPO_MAP_TOKENS = 4000;

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

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
    const checks = config.verify.checks;
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
    const verify = spec.verify ?? true;
    const checkOptions = {
      timeoutMs: config.verify.timeout * 1000,
      outputLimit: config.agent.output_limit,
      signal: ctx.signal,
      onLine: (line: string) => ctx.progress(line, 'stdout'),
    };
    const { baseline, skipped } = await baselineFor(ctx, {
      on: verify && checks.length > 0 && config.verify.baseline,
      fresh,
      run: () => runChecks(policy, checks, checkOptions),
    });
    let lastChecks: VerifyResult | null = null;

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
        verify: verify
          ? async () => {
              lastChecks = applyBaseline(await runChecks(policy, checks, checkOptions), baseline);
              return lastChecks;
            }
          : null,
        maxFixAttempts: config.verify.max_fix_attempts,
        signal: ctx.signal,
        progress: (message, stream) => ctx.progress(message, stream),
        audit: (action, decision, detail) => ctx.audit(action, decision, detail),
      });
    } catch (error) {
      saveVerification(ctx, { baseline, skipped, after: lastChecks, checks });
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
    saveVerification(ctx, { baseline, skipped, after: result.checks, checks });
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
      checks_summary: result.checks?.summary ?? 'verification skipped (verify: false)',
      turns: result.turns,
      baseline_summary: baselineSummary(baseline, skipped),
      pre_existing: result.checks?.preExisting ?? [],
    };
  },
};

/** The baseline of this run: kept in the run state (a feedback round or a resume reuses it), else cached or run. */
async function baselineFor(
  ctx: StepContext,
  input: { on: boolean; fresh: boolean; run: () => Promise<VerifyResult> },
): Promise<{ baseline: Baseline | null; skipped: string | null }> {
  const kept = ctx.state.baseline as Baseline | null | undefined;
  if (kept) return { baseline: kept, skipped: null };
  if (!input.on) {
    const why = ctx.config.verify.baseline ? 'no checks to run' : 'baseline skipped (--no-baseline)';
    return { baseline: null, skipped: why };
  }
  const commit = textOf(ctx.state.base_commit);
  if (!commit || !input.fresh)
    return { baseline: null, skipped: 'baseline not run (the worktree was not fresh)' };
  ctx.progress(`baseline: running the checks on the untouched base (${commit.slice(0, 12)})`);
  const baseline = await loadOrRunBaseline({
    ledger: ctx.ledger,
    key: baselineKey(ctx.repoRoot, commit, ctx.config.verify.checks, ctx.config.workspace.setup),
    commit,
    runId: ctx.runId,
    stepId: ctx.stepId,
    now: () => ctx.runtime.clock.now(),
    run: input.run,
  });
  ctx.state.baseline = baseline;
  ctx.saveState();
  ctx.audit('verify.baseline', baseline.cached ? 'cached' : 'ran', baseline);
  ctx.progress(baselineSummary(baseline, null));
  const missing = baseline.checks.find((c) => c.exitCode === 127);
  if (missing) {
    throw new AidevError(
      'STEP_FAILED',
      `the check "${missing.command}" cannot run in the worktree: command not found (exit 127), before any change`,
      {
        hint: 'set workspace.setup in .aidevrc.yaml (e.g. npm ci) so the worktree has the tools the checks need, or install the tool; no model call was made',
      },
    );
  }
  return { baseline, skipped: null };
}

function baselineSummary(baseline: Baseline | null, skipped: string | null): string {
  if (!baseline) return skipped ?? 'no baseline';
  const lines = baseline.checks.map((c) =>
    c.exitCode === 0
      ? `${c.command}: passed on the base`
      : `${c.command}: FAILS ON THE BASE already (exit ${c.exitCode}${c.failing?.length ? `: ${c.failing.join(', ')}` : ''}), pre-existing`,
  );
  return `baseline at ${baseline.commit.slice(0, 12)}${baseline.cached ? ' (cached)' : ''}:\n${lines.join('\n')}`;
}

/** The PR body's Checks section (vcs.open_pull_request appends it), kept in the run state. */
function saveVerification(
  ctx: StepContext,
  input: {
    baseline: Baseline | null;
    skipped: string | null;
    after: VerifyResult | null;
    checks: readonly string[];
  },
): void {
  const setup = ctx.state.setup as { durationMs: number; reused: string | null } | undefined;
  ctx.state.verification = verificationMarkdown({
    baseline: input.baseline,
    baselineSkipped: input.skipped,
    after: input.after,
    checks: input.checks,
    setup: setup ?? null,
  });
  ctx.saveState();
}
