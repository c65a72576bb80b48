#!/usr/bin/env node
// Prompt-cache prefix stability across 10 agent turns against the loopback Anthropic server (no network, no key).
// For each turn: the request's size, how much of it is a byte-identical prefix of the previous turn's request (what a
// prompt cache can serve), and the cache-read share the server's caching simulation reports. Prints; never asserts.
// Run alone: `npm run build && node bench/ai-cache-prefix.bench.mjs` (uses dist/ when built, else the sources via tsx).
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const TURNS = 10;
const TARGET = 0.9;
const root = fileURLToPath(new URL('..', import.meta.url));
register();

/** The shipped build when there is one (what users run), else the TypeScript source. */
async function load(path) {
  const built = join(root, 'dist', path.replace(/\.ts$/, '.js'));
  return import(existsSync(built) ? built : join(root, path));
}

const { AnthropicAi } = await load('providers/ai/anthropic/anthropic-ai.ts');
const { anthropicConfigSchema } = await load('providers/ai/anthropic/config.ts');
const { renderPrompt } = await load('src/core/ai/prompts.ts');
const { startFakeAnthropicServer } = await import(join(root, 'test/helpers/fake-anthropic-server.ts'));
const { testProviderContext } = await import(join(root, 'test/helpers/ai-kit.ts'));
const { AGENT_TOOLS, runToyAgent } = await import(join(root, 'test/helpers/toy-agent.ts'));

const server = await startFakeAnthropicServer({
  responder: (_body, i) => ({
    content: [
      { type: 'text', text: `Turn ${i + 1}: I will read the next module to understand the call sites.` },
      { type: 'tool_use', name: 'read_file', input: { path: `src/module-${i + 1}.ts` } },
    ],
  }),
});
const scratch = mkdtempSync(join(tmpdir(), 'aidev-bench-'));
/** Per-turn figures and the summary, for bench/run.mjs (which saves `results` of every bench). */
export const results = { turns: [], summary: null };
try {
  const env = { ANTHROPIC_API_KEY: 'sk-ant-bench-000000000000' };
  const ai = new AnthropicAi(
    testProviderContext(anthropicConfigSchema.parse({ base_url: server.url }), { path: 'ai.anthropic', env }),
  );
  const prompt = renderPrompt(
    'code_generation',
    {
      task: {
        id: 'BENCH-1',
        title: 'Add a --dry-run flag to sync',
        description: 'The sync command should print what it would change and exit 0.',
        labels: ['cli'],
      },
      worktree: '/tmp/worktree',
      tools: AGENT_TOOLS,
      checks: ['npm test', 'npm run lint'],
      blocked_paths: ['.env', '*.pem'],
      max_turns: 40,
      plan: null,
      feedback: null,
    },
    scratch,
  );
  await runToyAgent({
    complete: (req) => ai.complete({ maxTokens: 8192, ...req }),
    system: prompt.system,
    task: prompt.user,
    turns: TURNS,
  });

  const bodies = server.messageRequests().map((r) => r.body);
  const shared = (a, b) => {
    let i = 0;
    while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    return i;
  };
  const rows = [];
  for (const [i, body] of bodies.entries()) {
    const reused = i === 0 ? 0 : shared(bodies[i - 1], body);
    const usage = server.usages[i];
    const input = usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
    rows.push({
      turn: i + 1,
      bytes: body.length,
      prefixBytes: reused,
      prefixPct: reused / body.length,
      prevPct: i === 0 ? 0 : reused / bodies[i - 1].length,
      cacheReadPct: usage.cache_read_input_tokens / input,
      inputTokens: input,
    });
  }
  const pct = (x) => `${(x * 100).toFixed(1)}%`.padStart(7);
  console.log(
    `ai-cache-prefix: ${TURNS} agent turns, Anthropic Messages via @anthropic-ai/sdk, loopback server`,
  );
  console.log(
    'turn  request B  identical prefix B  % of this request  % of previous  server cache-read  input tok',
  );
  for (const r of rows) {
    console.log(
      `${String(r.turn).padStart(4)}  ${String(r.bytes).padStart(9)}  ${String(r.prefixBytes).padStart(17)}  ${pct(r.prefixPct).padStart(17)}  ${pct(r.prevPct).padStart(13)}  ${pct(r.cacheReadPct).padStart(17)}  ${String(r.inputTokens).padStart(9)}`,
    );
  }
  const later = rows.slice(1);
  const min = Math.min(...later.map((r) => r.prefixPct));
  const mean = later.reduce((s, r) => s + r.prefixPct, 0) / later.length;
  const stability = Math.min(...later.map((r) => r.prevPct));
  const cacheMean = later.reduce((s, r) => s + r.cacheReadPct, 0) / later.length;
  const firstMet = later.find((r) => r.prefixPct >= TARGET)?.turn ?? null;
  results.turns = rows;
  results.summary = {
    minPrefixPct: min,
    meanPrefixPct: mean,
    minPreviousReusedPct: stability,
    meanCacheReadPct: cacheMean,
    target: TARGET,
    targetMetFromTurn: firstMet,
  };
  console.log(
    `turns 2-${TURNS}: cacheable share of each request min ${pct(min).trim()}, mean ${pct(mean).trim()}; target ≥ ${TARGET * 100}% ` +
      (firstMet ? `met from turn ${firstMet}` : 'not met') +
      `; server cache-read mean ${pct(cacheMean).trim()}`,
  );
  console.log(
    `prefix stability: every request reuses ≥ ${pct(stability).trim()} of the previous one byte for byte (all but the moving ` +
      "cache marker and max_tokens); the rest of each request is that turn's new tool output, which no cache can serve",
  );
} finally {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}
