// The agent step's checks around the agent loop: the baseline before it (cached in the ledger per base commit, setup
// and scope), the scope the checks run in (check-scope.ts) said in the log and the audit, and the PR body's Checks
// section kept in the run state. The loop itself only calls `verify`.
import type { StepContext } from '../engine/types.js';
import { AidevError } from '../errors.js';
import {
  applyBaseline,
  baselineKey,
  loadOrRunBaseline,
  verificationMarkdown,
  type Baseline,
} from './baseline.js';
import {
  outsideNote,
  outsideScope,
  scopeForChange,
  scopeLine,
  type CheckScope,
  type VerifyScopeConfig,
} from './check-scope.js';
import type { VerifyResult } from './verify.js';

/** A non-blank string from the run state or a step input, else null. */
export function textOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

/** Says the scope in the step's progress and the audit log; nothing when verify.packages is empty. */
export function reportScope(ctx: StepContext, scope: CheckScope, note: string | null = null): void {
  if (!scope.shown) return;
  ctx.progress(scopeLine(scope));
  if (note) ctx.progress(`note: ${note}`, 'stderr');
  ctx.audit('verify.scope', scope.package ? 'package' : 'repo', {
    package: scope.package?.path ?? null,
    reason: scope.reason,
    checks: scope.checks,
    ...(note ? { note } : {}),
  });
}

/** The baseline of this run: kept in the run state (a feedback round or a resume reuses it), else cached or run. */
export async function baselineFor(
  ctx: StepContext,
  input: { on: boolean; fresh: boolean; scope: CheckScope; run: () => Promise<VerifyResult> },
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
    key: baselineKey(
      ctx.repoRoot,
      commit,
      input.scope.checks,
      ctx.config.workspace.setup,
      input.scope.package?.path ?? null,
    ),
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

export function baselineSummary(baseline: Baseline | null, skipped: string | null): string {
  if (!baseline) return skipped ?? 'no baseline';
  const lines = baseline.checks.map((c) =>
    c.exitCode === 0
      ? `${c.command}: passed on the base`
      : c.timedOut
        ? `${c.command}: TIMES OUT ON THE BASE already (verify.timeout), pre-existing`
        : `${c.command}: FAILS ON THE BASE already (exit ${c.exitCode}${c.failing?.length ? `: ${c.failing.join(', ')}` : ''}), pre-existing`,
  );
  return `baseline at ${baseline.commit.slice(0, 12)}${baseline.cached ? ' (cached)' : ''}:\n${lines.join('\n')}`;
}

/** The scope line before a summary, when there is a scope to speak of. */
export function withScope(scope: CheckScope, text: string, note: string | null = null): string {
  if (!scope.shown) return text;
  return [scopeLine(scope), ...(note ? [`note: ${note}`] : []), text].join('\n');
}

export interface ScopedVerify {
  /** Runs the checks after the agent, in the scope the change's files give (when the task left it open). */
  verify(): Promise<VerifyResult>;
  /** The scope of the last verify (the planned one until the first). */
  scope(): CheckScope;
  /** The note on files outside a package scope, or null. */
  note(): string | null;
  last(): VerifyResult | null;
}

export function scopedVerify(input: {
  ctx: StepContext;
  verifyConfig: VerifyScopeConfig;
  planned: CheckScope;
  baseline: Baseline | null;
  changed: () => Promise<string[]>;
  run: (checks: readonly string[]) => Promise<VerifyResult>;
}): ScopedVerify {
  let scope = input.planned;
  let note: string | null = null;
  let last: VerifyResult | null = null;
  return {
    async verify() {
      const files = input.planned.shown ? await input.changed() : [];
      const now = scopeForChange(input.verifyConfig, input.planned, files, input.baseline);
      const nowNote = outsideNote(now, outsideScope(now, files));
      if (now.reason !== scope.reason || nowNote !== note) reportScope(input.ctx, now, nowNote);
      scope = now;
      note = nowNote;
      last = applyBaseline(await input.run(scope.checks), input.baseline);
      return last;
    },
    scope: () => scope,
    note: () => note,
    last: () => last,
  };
}

/** The PR body's Checks section (vcs.open_pull_request appends it), kept in the run state. */
export function saveVerification(
  ctx: StepContext,
  input: {
    baseline: Baseline | null;
    skipped: string | null;
    after: VerifyResult | null;
    scope: CheckScope;
    note: string | null;
  },
): void {
  const setup = ctx.state.setup as { durationMs: number; reused: string | null } | undefined;
  const { scope } = input;
  // A package the change's files gave after a repo-wide baseline: that baseline passed, or the scope would be repo-wide.
  const coveredByRepoBaseline =
    input.baseline !== null && scope.package !== null && scope.decidedBy === 'change';
  ctx.state.verification = verificationMarkdown({
    baseline: input.baseline,
    baselineSkipped: coveredByRepoBaseline
      ? 'not run alone (the repo-wide checks passed on the base)'
      : input.skipped,
    after: input.after,
    checks: scope.checks,
    setup: setup ?? null,
    scope: scope.shown ? scopeLine(scope) : null,
    note: input.note,
  });
  ctx.saveState();
}
