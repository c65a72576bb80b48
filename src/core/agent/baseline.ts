// The baseline: verify.checks run once on the untouched worktree before the agent starts, cached per base commit in
// the ledger. A check that already fails there is pre-existing: after the change it only must not get worse (no new
// failing test names where the runner reports them, else the same exit status), so the agent is not sent hunting.
import { createHash } from 'node:crypto';
import type { Ledger } from '../ledger/types.js';
import { timedOutText, type CheckResult, type VerifyResult } from './verify.js';
import { aidevBuild } from '../paths.js';

export interface BaselineCheck {
  command: string;
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  /** Failing test names the runner reported, or null when its output names none. */
  failing: string[] | null;
}

export interface Baseline {
  commit: string;
  checks: BaselineCheck[];
  durationMs: number;
  /** Read from the ledger rather than run now. */
  cached: boolean;
}

export type CheckVerdict = 'passed' | 'failed' | 'pre-existing' | 'fixed';

const PATTERNS: RegExp[] = [
  /^\s*not ok \d+ - (.+?)(?: # .*)?$/, // TAP (node --test outside a TTY on older Node, many others)
  /^\s*✖ (.+?)(?: \([\d.]+m?s\))?$/, // node --test spec reporter
  /^FAILED (\S+::\S+)/, // pytest short summary
  /^ERROR (\S+\.py(?:::\S+)?)(?: - .*)?$/, // pytest: a module that fails to import, a fixture error
  /^(?:FAIL|ERROR): (\S+ \([^)]+\))/, // python -m unittest
  /^\s*--- FAIL: (\S+)/, // go test
  /^test (\S+) \.\.\. FAILED$/, // cargo test
  /^\s*[✕×] (.+?)(?: \(\d+ ?m?s\))?$/, // jest, vitest
];

/** Failing test names in a runner's output; null when it names none (then only the exit status compares). */
export function failingTests(output: string): string[] | null {
  const names = new Set<string>();
  for (const raw of output.split('\n')) {
    // Runners colour their output when they think a terminal is there (pytest does under FORCE_COLOR or TERM).
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r$/, '');
    if (/^\s*✖ failing tests:?$/.test(line)) continue;
    for (const re of PATTERNS) {
      const m = re.exec(line);
      if (m) {
        names.add(m[1]!.trim());
        break;
      }
    }
  }
  return names.size ? [...names].sort() : null;
}

export function toBaselineCheck(r: CheckResult): BaselineCheck {
  return {
    command: r.command,
    exitCode: r.exitCode,
    timedOut: r.timedOut,
    durationMs: r.durationMs,
    failing: r.exitCode === 0 ? [] : failingTests(r.output),
  };
}

/**
 * The ledger key: the repository, the base commit, what ran (checks and the setup that prepared them), the scope (a
 * package's folder, or null for the repo-wide checks) and the aidev build, since a new build may prepare the worktree
 * differently: a baseline that failed because of how aidev set things up must not outlive the fix.
 */
export function baselineKey(
  repo: string,
  commit: string,
  checks: readonly string[],
  setup: readonly string[],
  scope: string | null = null,
  build: string = aidevBuild(),
): string {
  const what = [repo, checks, setup, { scope, build }];
  const h = createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
  return `baseline:${commit}:${h}`;
}

export interface BaselineInput {
  ledger: Ledger;
  key: string;
  commit: string;
  runId: string;
  stepId: string;
  now: () => Date;
  run: () => Promise<VerifyResult>;
}

/**
 * The cached baseline of this key, or runs the checks now and records them. A baseline in which a check timed out is
 * not reused: a timeout may be the machine's (load), not the commit's, and a cached one would let every later run
 * on this base pass off a hang of its own as pre-existing.
 */
export async function loadOrRunBaseline(input: BaselineInput): Promise<Baseline> {
  const known = input.ledger.getEffect(input.key);
  const cached =
    known?.status === 'done' && known.result && typeof known.result === 'object'
      ? (known.result as Baseline)
      : null;
  if (cached && !cached.checks.some((c) => c.timedOut)) return { ...cached, cached: true };
  input.ledger.beginEffect(
    { key: input.key, runId: input.runId, stepId: input.stepId, kind: 'verify.baseline' },
    input.now().toISOString(),
  );
  const result = await input.run();
  const baseline: Baseline = {
    commit: input.commit,
    checks: result.results.map(toBaselineCheck),
    durationMs: result.results.reduce((n, r) => n + r.durationMs, 0),
    cached: false,
  };
  input.ledger.completeEffect(input.key, input.commit, baseline, input.now().toISOString());
  return baseline;
}

export interface Judged {
  verdict: CheckVerdict;
  /** Failing now and not before (names), when the runner names tests. */
  newFailures: string[];
  before: BaselineCheck | undefined;
}

/** Holds a check to "no worse than the base" when it already failed there, else to passing. */
export function judgeCheck(after: CheckResult, before: BaselineCheck | undefined): Judged {
  const failedBefore = before !== undefined && before.exitCode !== 0;
  if (after.exitCode === 0) return { verdict: failedBefore ? 'fixed' : 'passed', newFailures: [], before };
  // A hang is pre-existing only if the base hung too: test names printed before a kill prove nothing.
  if (!failedBefore || after.exitCode === 127 || (after.timedOut && !before.timedOut))
    return { verdict: 'failed', newFailures: [], before };
  const now = failingTests(after.output);
  if (now && before.failing) {
    const old = new Set(before.failing);
    const added = now.filter((n) => !old.has(n));
    return { verdict: added.length ? 'failed' : 'pre-existing', newFailures: added, before };
  }
  const same = after.timedOut ? before.timedOut : after.exitCode === before.exitCode;
  return { verdict: same ? 'pre-existing' : 'failed', newFailures: [], before };
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function beforeText(b: BaselineCheck | undefined): string {
  if (!b) return 'not run on the base';
  if (b.exitCode === 0) return 'passed on the base';
  const names = b.failing?.length
    ? `: ${b.failing.slice(0, 5).join(', ')}${b.failing.length > 5 ? ', …' : ''}`
    : '';
  return b.timedOut ? 'timed out on the base' : `failed on the base (exit ${b.exitCode}${names})`;
}

function describeJudged(r: CheckResult, j: Judged): string {
  const t = secs(r.durationMs);
  switch (j.verdict) {
    case 'passed':
      return `${r.command}: passed (${t})`;
    case 'fixed':
      return `${r.command}: passed (${t}); it failed on the base, so this change fixed it`;
    case 'pre-existing':
      return r.timedOut
        ? `${r.command}: ${timedOutText(r)}, as it did on the base: pre-existing, so this check verified nothing`
        : `${r.command}: failed (${t}), pre-existing: ${beforeText(j.before)}; no new failures`;
    case 'failed': {
      if (r.exitCode === 127) return `${r.command}: command not found (exit 127)`;
      if (r.timedOut) return `${r.command}: ${timedOutText(r)}`;
      const extra = j.newFailures.length
        ? `; new failures: ${j.newFailures.slice(0, 10).join(', ')}`
        : j.before && j.before.exitCode !== 0
          ? `; ${beforeText(j.before)}, and now differently (exit ${r.exitCode})`
          : '';
      return `${r.command}: failed with exit code ${r.exitCode} (${t})${extra}`;
    }
  }
}

/** The verify result with pre-existing failures allowed; summary lines say which were pre-existing. */
export function applyBaseline(result: VerifyResult, baseline: Baseline | null): VerifyResult {
  if (!baseline) return result;
  const judged = result.results.map((r) =>
    judgeCheck(
      r,
      baseline.checks.find((b) => b.command === r.command),
    ),
  );
  // A check that ran on the base but cannot start now (exit 127): the change removed what it runs (a script, a
  // binary), which the model can fix, so it is a failure like any other rather than a setup problem.
  const ranOnBase = (r: CheckResult): boolean =>
    baseline.checks.some((b) => b.command === r.command && b.exitCode !== 127);
  return {
    ...result,
    missingTool: result.missingTool && ranOnBase(result.missingTool) ? undefined : result.missingTool,
    passed: judged.every((j) => j.verdict !== 'failed'),
    summary: result.results.map((r, i) => describeJudged(r, judged[i]!)).join('\n'),
    preExisting: result.results.filter((_, i) => judged[i]!.verdict === 'pre-existing').map((r) => r.command),
  };
}

/** What the agent is told before it starts, so it does not chase failures that are not its doing. */
export function baselineNote(baseline: Baseline | null): string | null {
  if (!baseline) return null;
  const failing = baseline.checks.filter((c) => c.exitCode !== 0);
  if (!failing.length) return null;
  const lines = failing.map((c) => `- \`${c.command}\`: ${beforeText(c)}`);
  return [
    `These checks already fail on the base branch (commit ${baseline.commit.slice(0, 12)}), before any change of yours:`,
    ...lines,
    'These failures are not your doing: do not try to fix them unless the task asks for it. Your change must not make',
    'them worse (no new failing tests); verification holds you to that, not to a clean run.',
  ].join('\n');
}

/** The Markdown section the pull request body gets: setup, the checks before (baseline) and after. */
export function verificationMarkdown(input: {
  baseline: Baseline | null;
  baselineSkipped: string | null;
  after: VerifyResult | null;
  checks: readonly string[];
  setup: { durationMs: number; reused: string | null } | null;
  /** The monorepo scope line (check-scope.ts), e.g. `checks scoped to packages/api (task label api)`. */
  scope?: string | null | undefined;
  /** Changed files outside the scope, said to the reviewer. */
  note?: string | null | undefined;
}): string {
  const out = ['### Checks (aidev)'];
  if (input.setup) {
    out.push(
      `Worktree setup took ${secs(input.setup.durationMs)}${input.setup.reused ? ` (${input.setup.reused})` : ''}.`,
    );
  }
  if (input.scope) out.push(`${input.scope[0]!.toUpperCase()}${input.scope.slice(1)}.`);
  if (input.note) out.push(`Note: ${input.note}.`);
  if (!input.checks.length) {
    out.push(
      input.scope
        ? 'No checks are configured for this scope: nothing verified this change.'
        : 'No checks are configured (verify.checks is empty): nothing verified this change.',
    );
    return out.join('\n\n');
  }
  const rows = ['| check | before (base) | after |', '|---|---|---|'];
  const afterLines = new Map(
    (input.after?.summary.split('\n') ?? []).map((l) => [l.slice(0, l.indexOf(': ')), l]),
  );
  for (const command of input.checks) {
    const b = input.baseline?.checks.find((c) => c.command === command);
    const before = b
      ? b.exitCode === 0
        ? 'passed'
        : b.timedOut
          ? 'timed out'
          : `failed (exit ${b.exitCode})`
      : (input.baselineSkipped ?? 'not run');
    const line = afterLines.get(command);
    const after = line ? line.slice(command.length + 2) : input.after ? 'not run' : 'verification skipped';
    rows.push(`| \`${command}\` | ${before} | ${after.replace(/\|/g, '\\|')} |`);
  }
  out.push(rows.join('\n'));
  const { still, fixed } = splitBaseFailures(input.baseline, input.after);
  const names = (list: readonly string[]): string => list.map((n) => `\`${n}\``).join(', ');
  if (still.length) {
    out.push(
      [
        'Pre-existing failures (already failing on the base branch, not caused by this change):',
        ...still.map(
          ({ check: c, names: failing }) =>
            `- \`${c.command}\`${failing?.length ? `: ${names(failing)}` : c.timedOut ? ' (timed out)' : ` (exit ${c.exitCode})`}`,
        ),
      ].join('\n'),
    );
  }
  if (fixed.length) {
    out.push(
      [
        'Fixed by this change (failing on the base branch, passing now):',
        ...fixed.map(
          ({ check: c, names: passing }) => `- \`${c.command}\`${passing ? `: ${names(passing)}` : ''}`,
        ),
      ].join('\n'),
    );
  }
  return out.join('\n\n');
}

interface BaseFailure {
  check: BaselineCheck;
  /** Test names, when the runner printed them; null for the whole check. */
  names: string[] | null;
}

/**
 * The base's failures, split into those still failing after the change and those it fixed: a check that passes
 * now is fixed whole; a failing one whose runner names tests is fixed for the names no longer failing.
 */
function splitBaseFailures(
  baseline: Baseline | null,
  after: VerifyResult | null,
): { still: BaseFailure[]; fixed: BaseFailure[] } {
  const still: BaseFailure[] = [];
  const fixed: BaseFailure[] = [];
  for (const c of baseline?.checks.filter((b) => b.exitCode !== 0) ?? []) {
    const now = after?.results.find((r) => r.command === c.command);
    if (now?.exitCode === 0) {
      fixed.push({ check: c, names: c.failing?.length ? c.failing : null });
      continue;
    }
    const failingNow = now ? failingTests(now.output) : null;
    if (!c.failing?.length || !failingNow) {
      still.push({ check: c, names: c.failing });
      continue;
    }
    const gone = c.failing.filter((n) => !failingNow.includes(n));
    const left = c.failing.filter((n) => failingNow.includes(n));
    if (left.length) still.push({ check: c, names: left });
    if (gone.length) fixed.push({ check: c, names: gone });
  }
  return { still, fixed };
}
