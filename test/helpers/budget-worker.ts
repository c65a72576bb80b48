// One aidev process spending against a shared ledger until a cap stops it: the multi-process budget test starts
// several of these at once. Prints one JSON line: the run id, the calls made and the error code that ended the loop.
import { setTimeout as sleep } from 'node:timers/promises';
import { createFakeAi } from '../../providers/ai/fake/fake-ai.js';
import type { AiProvider } from '../../providers/types.js';
import { createModelClient } from '../../src/core/ai/model-client.js';
import { createRateLimiter } from '../../src/core/ai/rate-limit.js';
import { createRedactor } from '../../src/core/ai/redact.js';
import { configSchema } from '../../src/core/config/schema.js';
import { openLedger } from '../../src/core/ledger/index.js';
import { createRuntime } from '../../src/core/runtime.js';

const [ledgerPath, runId, monthly, perRun, startAt] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
];
const ledger = openLedger({ path: ledgerPath, home: '/nonexistent' });
const at = '2026-03-15T12:00:00.000Z';
ledger.createRun({ id: runId, workflow: 'standard_dev', startedAt: at });
const clock = { now: () => new Date(at) };
// A model that always wants to write more than it is allowed to.
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
    await sleep(15);
    return fake.stream(req, opts);
  },
};
// Start together: every process waits for the same moment, so they contend for the budget.
await sleep(Math.max(0, Number(startAt ?? 0) - Date.now()));
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
