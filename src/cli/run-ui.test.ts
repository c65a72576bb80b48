import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { harness, workflowFrom } from '../../test/helpers/engine.js';
import { autoApprover, nonInteractiveApprover } from '../core/approvals.js';
import { registerAction } from '../core/engine/actions/index.js';
import { startRun } from '../core/engine/executor.js';
import type { CliContext } from './context.js';
import type { OutputMode } from './io.js';
import { executeWithUi, reporterKind } from './run-ui.js';

function context(output: OutputMode, opts: { interactive?: boolean; yes?: boolean } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exits: number[] = [];
  const ctx = {
    io: {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: {},
      cwd: '/',
      exit: (code: number) => exits.push(code),
    },
    output,
    interactive: opts.interactive ?? false,
    color: false,
    global: { cwd: '/', env: {}, yes: opts.yes },
    state: { exitCode: 0, json: output !== 'text' },
    print: () => undefined,
  } as unknown as CliContext;
  return { ctx, out: () => out, err: () => err, exits };
}

const gated = workflowFrom(`
name: gated
steps:
  - id: hello
    uses: chat.notify
    with: {text: hi}
  - id: gate
    approval: {message: Go on?}
`);

describe('executeWithUi', () => {
  it('picks the reporter once from the output mode and the TTY', () => {
    expect(reporterKind(context('json').ctx)).toBe('json');
    expect(reporterKind(context('stream-json').ctx)).toBe('stream-json');
    expect(reporterKind(context('text').ctx)).toBe('text');
    expect(reporterKind(context('text', { interactive: true }).ctx)).toBe('ink');
  });

  it('--yes approves automatically; without it, CI pauses with exit 4 and says how to continue', async () => {
    for (const [yes, code] of [
      [true, 0],
      [false, 4],
    ] as const) {
      const { ctx, out, err } = context('text', { yes });
      const h = harness();
      let used: unknown;
      const exit = await executeWithUi(ctx, (bus, approver, signal) => {
        used = approver;
        return startRun({ ...h.deps, emit: bus.emit, approver, signal, workflow: gated, inputs: {} });
      });
      expect(exit).toBe(code);
      expect(used).toBe(yes ? autoApprover : nonInteractiveApprover);
      if (!yes) {
        expect(out()).toMatch(/^awaiting_approval · gated · run r-0001/);
        expect(out()).toContain('continue with: aidev resume r-0001 --approve');
        expect(err()).toContain('paused: approval needed at step gate: Go on?');
      }
    }
  });

  it('first Ctrl-C interrupts the running step (exit 130, resumable); a second exits at once', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    registerAction({
      name: 'test.hang',
      description: '',
      input: z.strictObject({}),
      outputs: [],
      run: () => (entered(), new Promise(() => undefined)),
    });
    const wf = workflowFrom('name: t\nsteps:\n  - id: hang\n    uses: test.hang\n');
    const signals = new EventEmitter();
    const { ctx, out, err, exits } = context('stream-json');
    const h = harness();
    const running = executeWithUi(
      ctx,
      (bus, approver, signal) =>
        startRun({ ...h.deps, emit: bus.emit, approver, signal, workflow: wf, inputs: {} }),
      {
        signals: signals,
      },
    );
    await inside;
    signals.emit('SIGINT');
    expect(await running).toBe(130);
    expect(h.ledger.getRun('r-0001')!.status).toBe('interrupted');
    const lines = out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; status?: string });
    expect(lines.map((l) => l.type)).toEqual([
      'run.started',
      'step.started',
      'log',
      'step.finished',
      'run.finished',
      'result',
    ]);
    expect(lines.at(-1)!.status).toBe('interrupted');
    expect(err()).toBe('');
    expect(signals.listenerCount('SIGINT')).toBe(0);

    // A second Ctrl-C while a step is stuck: exit 130 at once.
    const { ctx: ctx2, exits: exits2 } = context('json');
    const h2 = harness();
    let entered2!: () => void;
    const inside2 = new Promise<void>((r) => (entered2 = r));
    registerAction({
      name: 'test.hang',
      description: '',
      input: z.strictObject({}),
      outputs: [],
      run: () => (entered2(), new Promise(() => undefined)),
    });
    const stuck = executeWithUi(
      ctx2,
      async (bus, approver) => {
        // Ignores the abort signal on purpose, like a step that cannot be stopped.
        await startRun({
          ...h2.deps,
          emit: bus.emit,
          approver,
          signal: new AbortController().signal,
          workflow: wf,
          inputs: {},
        });
        throw new Error('unreachable');
      },
      { signals: signals },
    );
    await inside2;
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    expect(exits2).toEqual([130]);
    expect(exits).toEqual([]);
    void stuck;
  });
});
