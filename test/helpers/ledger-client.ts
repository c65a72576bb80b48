// One aidev process against a shared ledger, for the multi-process tests of both backends. The ledger is chosen the way
// the CLI chooses it: AIDEV_LEDGER_URL (a SQLite path or postgres://…, with PGPASSWORD) through openLedger.
//   write  <runs>          creates runs, checkpoints, reserves and settles, as many engines would
//   budget <runId> <monthly> <perRun> <startAt>   spends through the real model client with a model that always wants
//                          more, until a cap stops it; prints {runId, calls, code}
import { setTimeout as sleep } from 'node:timers/promises';
import { createFakeAi } from '../../providers/ai/fake/fake-ai.js';
import type { AiProvider } from '../../providers/types.js';
import { createModelClient } from '../../src/core/ai/model-client.js';
import { createRateLimiter } from '../../src/core/ai/rate-limit.js';
import { createRedactor } from '../../src/core/ai/redact.js';
import { configSchema } from '../../src/core/config/schema.js';
import { openLedger } from '../../src/core/ledger/index.js';
import { createRuntime } from '../../src/core/runtime.js';

const [mode, ...args] = process.argv.slice(2);
const ledger = openLedger({ home: '/nonexistent', env: process.env });
const at = '2026-03-15T12:00:00.000Z';

if (mode === 'write') {
  const [who, count] = args as [string, string];
  for (let i = 0; i < Number(count); i++) {
    const id = `${who}-${i}`;
    ledger.createRun({ id, workflow: 'w', startedAt: at });
    ledger.saveStep({ runId: id, stepId: 's', seq: 0, kind: 'run', status: 'succeeded' });
    const reservation = ledger.withBudgetLock((tx) =>
      tx.reserve({ runId: id, month: '2026-03', costUsd: 0.001, tokens: 1, at }),
    );
    ledger.settle(reservation, {
      runId: id,
      stepId: 's',
      taskId: null,
      workflow: 'w',
      provider: 'p',
      model: 'm',
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.001,
      at,
    });
  }
  ledger.close();
} else if (mode === 'budget') {
  const [runId, monthly, perRun, startAt] = args as [string, string, string, string];
  ledger.createRun({ id: runId, workflow: 'standard_dev', startedAt: at });
  const clock = { now: () => new Date(at) };
  const fake = createFakeAi(
    Array.from({ length: 500 }, (_, i) => ({
      tool: 'write_file',
      input: { path: `f${i}.ts`, content: 'x'.repeat(400) },
      usage: { output_tokens: 1_000_000 },
    })),
  );
  // Each call takes a moment, so reservations of the processes overlap in time as real calls do.
  const slow: AiProvider = {
    id: fake.id,
    model: fake.model,
    maxTokens: fake.maxTokens,
    countTokens: (req) => fake.countTokens(req),
    complete: (req) => fake.complete(req),
    stream: async (req, opts) => {
      await sleep(1);
      return fake.stream(req, opts);
    },
  };
  await sleep(Math.max(0, Number(startAt) - Date.now()));
  const model = createModelClient({
    provider: slow,
    ledger,
    runId,
    stepId: 'code',
    taskId: runId,
    workflow: 'standard_dev',
    config: configSchema.parse({
      ai: { provider: 'fake', max_tokens: 1024 },
      cost: { max_cost_per_task: Number(perRun), monthly_budget: Number(monthly) },
    }),
    runtime: createRuntime({ env: {}, cwd: process.cwd(), clock }),
    emit: () => {},
    redactor: createRedactor({ env: {} }),
    limiter: createRateLimiter({ concurrency: 1, requestsPerMinute: 100_000, clock }),
  });
  let calls = 0;
  let code = 'NONE';
  for (let i = 0; i < 500; i++) {
    try {
      await model.complete({
        system: 'You are an agent.',
        messages: [{ role: 'user', content: `step ${i}: ${'context '.repeat(50)}` }],
      });
      calls++;
    } catch (error) {
      code = (error as { code?: string }).code ?? 'UNKNOWN';
      break;
    }
  }
  ledger.close();
  process.stdout.write(JSON.stringify({ runId, calls, code }) + '\n');
} else {
  throw new Error(`unknown mode ${mode}`);
}
