import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/integration/run-fixtures.js';
import { openLedger } from '../ledger/index.js';
import {
  applyBaseline,
  failingTests,
  judgeCheck,
  loadOrRunBaseline,
  verificationMarkdown,
  type Baseline,
} from './baseline.js';
import { failureReport, type CheckResult, type VerifyResult } from './verify.js';

const check = (command: string, exitCode: number, output = ''): CheckResult => ({
  command,
  exitCode,
  output,
  durationMs: 1200,
  timedOut: false,
});

describe('failingTests', () => {
  it('reads the failing test names of node --test, pytest, unittest, go, cargo, jest and TAP', () => {
    expect(failingTests('✔ ok (0.1ms)\n✖ a b (1.3ms)\n✖ failing tests:\n\n✖ a b (1.3ms)\n')).toEqual(['a b']);
    expect(failingTests('FAILED tests/test_x.py::test_one - AssertionError\n1 failed')).toEqual([
      'tests/test_x.py::test_one',
    ]);
    expect(failingTests('ERROR tests/test_time.py - ModuleNotFoundError: freezegun\n')).toEqual([
      'tests/test_time.py',
    ]);
    expect(failingTests('\x1b[31mERROR\x1b[0m tests/test_lists.py\n')).toEqual(['tests/test_lists.py']);
    expect(failingTests('FAIL: test_two (pkg.tests.T.test_two)\n')).toEqual([
      'test_two (pkg.tests.T.test_two)',
    ]);
    expect(failingTests('--- FAIL: TestParse (0.00s)\nFAIL\n')).toEqual(['TestParse']);
    expect(failingTests('test tests::parses ... FAILED\ntest tests::ok ... ok\n')).toEqual(['tests::parses']);
    expect(failingTests('  ✕ adds numbers (3 ms)\n')).toEqual(['adds numbers']);
    expect(failingTests('not ok 2 - keeps quotes\n')).toEqual(['keeps quotes']);
    expect(failingTests('make: *** [test] Error 1\n')).toBeNull();
  });
});

describe('judgeCheck', () => {
  const before = { command: 't', exitCode: 1, timedOut: false, durationMs: 1, failing: ['old'] };
  it('allows the same failures, refuses new ones, and says when the change fixed one', () => {
    expect(judgeCheck(check('t', 1, '✖ old\n'), before).verdict).toBe('pre-existing');
    expect(judgeCheck(check('t', 1, '✖ old\n✖ new\n'), before)).toMatchObject({
      verdict: 'failed',
      newFailures: ['new'],
    });
    expect(judgeCheck(check('t', 0), before).verdict).toBe('fixed');
    expect(judgeCheck(check('t', 1, '✖ x\n'), undefined).verdict).toBe('failed');
    expect(judgeCheck(check('t', 1, '✖ x\n'), { ...before, exitCode: 0, failing: [] }).verdict).toBe(
      'failed',
    );
  });
  it('without test names, compares the exit status; exit 127 is never pre-existing', () => {
    const unnamed = { ...before, exitCode: 2, failing: null };
    expect(judgeCheck(check('t', 2, 'boom'), unnamed).verdict).toBe('pre-existing');
    expect(judgeCheck(check('t', 1, 'boom'), unnamed).verdict).toBe('failed');
    expect(judgeCheck(check('t', 127, 'not found'), { ...unnamed, exitCode: 127 }).verdict).toBe('failed');
  });
  it('a timeout is pre-existing only when the base timed out too, and then says the check verified nothing', () => {
    const hung = { ...check('t', 143, '✖ old\n[timed out after 2 s]'), timedOut: true, timeoutMs: 2000 };
    // The base failed on `old` and finished; now the same name shows before a hang: the hang is new.
    expect(judgeCheck(hung, before).verdict).toBe('failed');
    const hungBefore = { ...before, exitCode: 143, timedOut: true, failing: null };
    expect(judgeCheck(hung, hungBefore).verdict).toBe('pre-existing');
    const judged = applyBaseline(
      { passed: false, results: [hung], summary: '' },
      {
        commit: 'abc',
        cached: false,
        durationMs: 1,
        checks: [hungBefore],
      },
    );
    expect(judged.passed).toBe(true);
    expect(judged.summary).toBe(
      't: timed out after 2 s (verify.timeout), killed with its child processes, as it did on the base: pre-existing, so this check verified nothing',
    );
  });
});

describe('loadOrRunBaseline', () => {
  it('reuses a cached baseline, but runs again one in which a check timed out', async () => {
    const home = tempDir('aidev-baseline-');
    const ledger = openLedger({ home });
    try {
      let runs = 0;
      const input = (key: string, timedOut: boolean) => ({
        ledger,
        key,
        commit: 'c0ffee',
        runId: 'r-1',
        stepId: 'implement',
        now: () => new Date('2030-01-01T00:00:00Z'),
        run: () => {
          runs++;
          const r = { ...check('t', timedOut ? 143 : 1, 'x'), timedOut };
          return Promise.resolve({ passed: false, results: [r], summary: '' });
        },
      });
      ledger.createRun({ id: 'r-1', workflow: 'w', startedAt: '2030-01-01T00:00:00Z' });
      expect((await loadOrRunBaseline(input('k-fail', false))).cached).toBe(false);
      expect((await loadOrRunBaseline(input('k-fail', false))).cached).toBe(true);
      expect(runs).toBe(1);
      await loadOrRunBaseline(input('k-hang', true));
      const again = await loadOrRunBaseline(input('k-hang', true));
      expect(again).toMatchObject({ cached: false, checks: [{ timedOut: true }] });
      expect(runs).toBe(3);
    } finally {
      ledger.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('applyBaseline and the PR section', () => {
  const baseline: Baseline = {
    commit: 'abcdef1234567890',
    cached: false,
    durationMs: 10,
    checks: [
      { command: 'npm test', exitCode: 1, timedOut: false, durationMs: 5, failing: ['legacy'] },
      { command: 'npm run lint', exitCode: 0, timedOut: false, durationMs: 5, failing: [] },
    ],
  };
  const after: VerifyResult = {
    passed: false,
    results: [check('npm test', 1, '✖ legacy\n'), check('npm run lint', 0)],
    summary: '',
  };
  it('passes with only pre-existing failures, and the body has before/after and the names', () => {
    const judged = applyBaseline(after, baseline);
    expect(judged.passed).toBe(true);
    expect(judged.preExisting).toEqual(['npm test']);
    const md = verificationMarkdown({
      baseline,
      baselineSkipped: null,
      after: judged,
      checks: ['npm test', 'npm run lint'],
      setup: { durationMs: 2500, reused: null },
    });
    expect(md).toContain('Worktree setup took 2.5 s.');
    expect(md).toContain('| `npm test` | failed (exit 1) | failed (1.2 s), pre-existing');
    expect(md).toContain('| `npm run lint` | passed | passed (1.2 s) |');
    expect(md).toContain('- `npm test`: `legacy`');
    expect(md).not.toContain('Fixed by this change');
  });
  it('a check that ran on the base and cannot start after the change is the change’s doing, not a setup problem', () => {
    const gone = check('npm run lint', 127, 'sh: 1: eslint: not found');
    const judged = applyBaseline(
      { passed: false, results: [gone], summary: '', missingTool: gone },
      baseline,
    );
    expect(judged).toMatchObject({ passed: false, missingTool: undefined });
    const never: Baseline = { ...baseline, checks: [{ ...baseline.checks[1]!, exitCode: 127 }] };
    expect(
      applyBaseline({ passed: false, results: [gone], summary: '', missingTool: gone }, never).missingTool,
    ).toBe(gone);
  });
  it('lists what the change fixed apart from what still fails', () => {
    const base: Baseline = {
      ...baseline,
      checks: [
        { command: 'npm test', exitCode: 1, timedOut: false, durationMs: 5, failing: ['legacy', 'parser'] },
        { command: 'npm run lint', exitCode: 2, timedOut: false, durationMs: 5, failing: null },
      ],
    };
    const now: VerifyResult = {
      passed: true,
      results: [check('npm test', 1, '✖ legacy\n'), check('npm run lint', 0)],
      summary: '',
    };
    const md = verificationMarkdown({
      baseline: base,
      baselineSkipped: null,
      after: applyBaseline(now, base),
      checks: ['npm test', 'npm run lint'],
      setup: null,
    });
    expect(md).toContain(
      'Pre-existing failures (already failing on the base branch, not caused by this change):\n- `npm test`: `legacy`\n\n',
    );
    expect(md).toContain(
      'Fixed by this change (failing on the base branch, passing now):\n- `npm test`: `parser`\n- `npm run lint`',
    );
  });
  it('says when no checks are configured', () => {
    const md = verificationMarkdown({
      baseline: null,
      baselineSkipped: null,
      after: null,
      checks: [],
      setup: null,
    });
    expect(md).toMatch(/No checks are configured/);
  });
});

describe('failureReport', () => {
  it('gives each failing check an equal share, keeping the head and the tail of each', () => {
    const long = (tag: string): string => `${tag}-START\n${'x'.repeat(20_000)}\n${tag}-END`;
    const result: VerifyResult = {
      passed: false,
      results: [
        check('npm test', 1, long('TEST')),
        check('npm run lint', 0),
        check('npm run types', 2, long('TYPES')),
      ],
      summary: '',
    };
    const whole = failureReport(result);
    expect(whole).toContain('x'.repeat(20_000));
    const fitted = failureReport(result, 4000);
    expect(fitted.length).toBeLessThanOrEqual(4000);
    for (const tag of ['TEST', 'TYPES']) {
      expect(fitted).toContain(`${tag}-START`);
      expect(fitted).toContain(`${tag}-END`);
    }
    expect(fitted).toContain('$ npm run types');
    expect(fitted).not.toContain('$ npm run lint');
    expect(fitted).toMatch(/characters omitted/);
  });
});
