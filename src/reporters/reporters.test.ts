import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../core/engine/types.js';
import type { RunEvent } from '../core/events.js';
import { createReporter } from './index.js';
import type { ReporterKind } from './types.js';
import { until } from '../../test/helpers/wait.js';

const at = '2025-03-01T10:00:00.000Z';
const events: RunEvent[] = [
  {
    type: 'run.started',
    runId: 'r-1',
    workflow: 'wf',
    taskId: 'T-1',
    steps: [
      { id: 'get', kind: 'uses', title: 'Fetch' },
      { id: 'test', kind: 'run', title: '$ npm test' },
    ],
    at,
  },
  { type: 'step.started', runId: 'r-1', stepId: 'get', kind: 'uses', attempt: 1, at },
  { type: 'step.finished', runId: 'r-1', stepId: 'get', status: 'succeeded', durationMs: 12, at },
  { type: 'step.started', runId: 'r-1', stepId: 'test', kind: 'run', attempt: 2, at },
  { type: 'step.progress', runId: 'r-1', stepId: 'test', message: '1 failing', stream: 'stdout', at },
  { type: 'step.progress', runId: 'r-1', stepId: 'test', message: 'streamed tokens', stream: 'model', at },
  {
    type: 'step.finished',
    runId: 'r-1',
    stepId: 'test',
    status: 'failed',
    durationMs: 1500,
    error: { code: 'STEP_FAILED', message: 'step test: `npm test` exited with code 1\nmore' },
    at,
  },
  {
    type: 'run.finished',
    runId: 'r-1',
    status: 'failed',
    durationMs: 1600,
    costUsd: 0,
    tokens: 0,
    error: { code: 'STEP_FAILED', message: 'boom' },
    at,
  },
];
const result: RunResult = {
  runId: 'r-1',
  workflow: 'wf',
  taskId: 'T-1',
  status: 'failed',
  exitCode: 1,
  steps: [],
  outputs: { get: { task: 'x' } },
  costUsd: 0.5,
  tokens: 1234,
  durationMs: 1600,
  error: { code: 'STEP_FAILED', message: 'step test: failed', hint: 'fix it' },
};

async function print(kind: ReporterKind) {
  let out = '';
  let err = '';
  const reporter = await createReporter(kind, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    color: false,
  });
  for (const e of events) reporter.onEvent(e);
  await reporter.finish(result);
  return { out, err };
}

describe('reporters', () => {
  it('text: plain lines on stderr, no cursor movement; the summary on stdout', async () => {
    const { out, err } = await print('text');
    expect(err).toBe(
      [
        'aidev wf · T-1 · run r-1 · 2 steps',
        '→ get  Fetch',
        '✓ get  12ms',
        '→ test $ npm test (attempt 2)',
        '  │ 1 failing',
        '✗ test 1.5s  STEP_FAILED: step test: `npm test` exited with code 1',
        'error: step test: failed',
        '  hint: fix it',
        '',
      ].join('\n'),
    );
    expect(err).not.toMatch(/\x1b\[/);
    expect(out).toBe('failed · wf · T-1 · run r-1 · 1.6s · 1,234 tokens · $0.50\n');
  });

  it('stream-json: one event per line, then the result', async () => {
    const { out, err } = await print('stream-json');
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual([...events.map((e) => e.type), 'result']);
    expect(lines.at(-1)).toEqual({ type: 'result', ...result });
    expect(err).toBe('');
  });

  it('json: only the result object', async () => {
    const { out, err } = await print('json');
    expect(JSON.parse(out)).toEqual(result);
    expect(err).toBe('');
  });
});

describe('ink reporter', () => {
  it('gives the terminal back on dispose when the body failed before finish: no more frames', async () => {
    let written = '';
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
    stderr.on('data', (chunk: Buffer) => (written += chunk.toString()));
    let clock = 0;
    const reporter = await createReporter('ink', {
      stdout: { write: () => true },
      stderr,
      color: false,
      verbose: false,
      now: () => Date.parse(at) + (clock += 1000),
    });
    reporter.onEvent(events[0]!);
    reporter.onEvent(events[1]!);
    await until(() => written.includes('Fetch'), 'the first frame');
    // It is ticking: the elapsed time moves with the clock.
    const before = written.length;
    await until(() => written.length > before, 'a later frame');
    reporter.dispose!();
    const after = written.length;
    // The view ticks every 120 ms with a moving clock: anything still drawing would show here.
    await new Promise((r) => setTimeout(r, 400));
    expect(written.length).toBe(after);
  });
});
