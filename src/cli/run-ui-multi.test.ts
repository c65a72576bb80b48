// Several runs through executeWithUi: the combined Ink view on a (fake) TTY, and the unchanged plain output elsewhere.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { harness, workflowFrom } from '../../test/helpers/engine.js';
import { autoApprover, nonInteractiveApprover } from '../core/approvals.js';
import { startRun } from '../core/engine/executor.js';
import type { RunResult } from '../core/engine/types.js';
import type { CliContext } from './context.js';
import type { OutputMode } from './io.js';
import { ARM_MS } from '../ui/approval-panel.js';
import { executeWithUi, reporterKind, type RunBody } from './run-ui.js';
import { sleep, until } from '../../test/helpers/wait.js';

function context(output: OutputMode, opts: { tty?: boolean; yes?: boolean } = {}) {
  const tty = opts.tty ?? false;
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: tty, columns: 100, rows: 40 });
  const stdin = Object.assign(new PassThrough(), {
    isTTY: tty,
    setRawMode: () => stdin,
  });
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ctx = {
    io: { stdout, stderr, stdin, env: { USER: 'ana' }, cwd: '/', exit: () => undefined },
    output,
    interactive: output === 'text' && tty,
    color: false,
    global: { cwd: '/', env: {}, yes: opts.yes },
    state: { exitCode: 0, json: output !== 'text' },
    print: () => undefined,
  } as unknown as CliContext;
  return { ctx, stdin, out: () => out, err: () => stripVTControlCharacters(err) };
}

const gated = workflowFrom(`
name: gated
steps:
  - id: hello
    uses: chat.notify
    with: {text: hi}
  - id: gate
    approval: {message: Open a pull request?}
`);
const IDS = ['A-1', 'A-2'];

/** Two gated runs at once, like `aidev run A-1 A-2 --parallel 2`; records what the body was handed. */
function twoRuns(seen: { approver?: unknown; logger?: unknown } = {}): RunBody {
  const h = harness();
  return async (bus, approver, signal, ui) => {
    seen.approver = approver;
    seen.logger = ui.logger;
    ui.batch({
      tasks: IDS.map((id) => ({ id, title: `Task ${id}` })),
      parallel: 2,
      requested: 2,
      maxConcurrent: 4,
    });
    const runs = await Promise.all(
      IDS.map((taskId) =>
        startRun({ ...h.deps, emit: bus.emit, approver, signal, workflow: gated, inputs: {}, taskId }),
      ),
    );
    runs.forEach((r, i) => ui.settled({ ...r, taskId: IDS[i]!, prUrl: null }));
    const worst = runs.reduce((a, b) => (b.exitCode > a.exitCode ? b : a));
    const result: RunResult = {
      ...worst,
      runId: runs.map((r) => r.runId).join(','),
      taskId: null,
      next:
        runs
          .map((r, i) => (r.next ? `${IDS[i]}: ${r.next}` : ''))
          .filter(Boolean)
          .join('; ') || undefined,
    };
    return result;
  };
}

describe('executeWithUi with several runs', () => {
  it('picks the combined view only for several runs on a TTY', () => {
    expect(reporterKind(context('text', { tty: true }).ctx, 3)).toBe('ink-multi');
    expect(reporterKind(context('text', { tty: true }).ctx, 1)).toBe('ink');
    expect(reporterKind(context('text').ctx, 3)).toBe('text');
    expect(reporterKind(context('json', { tty: true }).ctx, 3)).toBe('json');
    expect(reporterKind(context('stream-json', { tty: true }).ctx, 3)).toBe('stream-json');
  });

  it('on a TTY: one view, gates answered in it one at a time, each with its task id', async () => {
    const { ctx, stdin, out, err } = context('text', { tty: true });
    const seen: { approver?: unknown; logger?: unknown } = {};
    const running = executeWithUi(ctx, twoRuns(seen), { runs: 2, signals: new EventEmitter() });
    await until(() => err().includes('[a] approve'), 'the first gate');
    expect(err()).toContain('── approval · A-1 Task A-1 · step gate · 1 more waiting');
    expect(err()).toContain('A-1: Open a pull request?');
    expect(seen.approver).toMatchObject({ kind: 'interactive' });
    expect(seen.logger).toBeDefined();
    // A new gate ignores keys for a moment: a double press must not answer the next gate unseen.
    await sleep(ARM_MS);
    stdin.write('a');
    await until(() => err().includes('── approval · A-2 Task A-2 · step gate ──'), 'the second gate');
    stdin.write('a');
    expect(await Promise.race([running, sleep(100).then(() => 'still waiting')])).toBe('still waiting');
    await sleep(ARM_MS);
    stdin.write('a');
    expect(await running).toBe(0);
    expect(err()).toMatch(/✓ A-1 +Task A-1/);
    expect(err()).toContain('2 done · 0 failed');
    expect(out()).toMatch(/^succeeded · gated · run r-\d+,r-\d+/);
  });

  it('the first Ctrl-C stops every run (exit 130) and names each interrupted run with its resume command', async () => {
    const { ctx, err } = context('text', { tty: true });
    const signals = new EventEmitter();
    const running = executeWithUi(ctx, twoRuns(), { runs: 2, signals });
    await until(() => err().includes('[a] approve'), 'a gate');
    signals.emit('SIGINT');
    expect(await running).toBe(130);
    const text = err();
    expect(text).toContain('! interrupting: stopping the current step');
    expect(text).toMatch(
      /interrupted: 2 runs saved at a checkpoint; continue each with:\n {2}A-1 {2}aidev resume r-\d+\n {2}A-2 {2}aidev resume r-\d+\n/,
    );
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('--yes on a TTY approves every gate without a prompt', async () => {
    const { ctx, err } = context('text', { tty: true, yes: true });
    const seen: { approver?: unknown } = {};
    expect(await executeWithUi(ctx, twoRuns(seen), { runs: 2, signals: new EventEmitter() })).toBe(0);
    expect(seen.approver).toBe(autoApprover);
    expect(err()).not.toContain('[a] approve');
  });

  it('without a TTY: plain lines, and each gate pauses the run (exit 4), as before', async () => {
    const { ctx, out, err } = context('text');
    const seen: { approver?: unknown; logger?: unknown } = {};
    expect(await executeWithUi(ctx, twoRuns(seen), { runs: 2, signals: new EventEmitter() })).toBe(4);
    expect(seen.approver).toBe(nonInteractiveApprover);
    expect(seen.logger).toBeUndefined();
    const lines = err().split('\n');
    expect(lines.filter((l) => l.startsWith('aidev gated · A-'))).toHaveLength(2);
    expect(lines.filter((l) => l === '? gate: Open a pull request?')).toHaveLength(2);
    expect(err()).not.toContain('──');
    expect(out()).toMatch(/^awaiting_approval · gated · run r-\d+,r-\d+/);
  });

  it('with --output stream-json: one event per line, then the result', async () => {
    const { ctx, out, err } = context('stream-json', { tty: true });
    expect(await executeWithUi(ctx, twoRuns(), { runs: 2, signals: new EventEmitter() })).toBe(4);
    const lines = out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.filter((l) => l.type === 'run.started')).toHaveLength(2);
    expect(lines.at(-1)!.type).toBe('result');
    expect(err()).toBe('');
  });
});
