// Ledger and watch figures, from dist/ (run after `npm run build`): budget reservation latency p50/p99 through the real
// budget guard on SQLite and on PostgreSQL (a throwaway Debian server on a loopback port, when installed), and the
// watcher's poll overhead per task (poll + claim + bookkeeping with a no-op run, local tracker) on both backends.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { percentile } from './lib.mjs';

const dist = new URL('../dist/', import.meta.url);
const { openLedger } = await import(new URL('src/core/ledger/index.js', dist));
const { createBudgetGuard } = await import(new URL('src/core/ai/budget-guard.js', dist));
const { watch } = await import(new URL('src/core/watch/watcher.js', dist));
const { LocalTasks } = await import(new URL('providers/tasks/local/local-tasks.js', dist));
const { createRuntime } = await import(new URL('src/core/runtime.js', dist));

const RESERVATIONS = 400;
const TASKS = 40;
const clock = { now: () => new Date('2026-06-15T12:00:00.000Z') };
const PRICE = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };

function reservationLatency(env) {
  const ledger = openLedger({ home: tmpdir(), env });
  ledger.createRun({ id: 'r-bench', workflow: 'bench', startedAt: clock.now().toISOString() });
  const guard = createBudgetGuard({
    ledger,
    runId: 'r-bench',
    clock,
    caps: { maxCostUsd: 1e6, maxTokens: 1e12, monthlyBudgetUsd: 1e6, warnAtPercent: 80 },
  });
  const times = [];
  for (let i = 0; i < RESERVATIONS + 20; i++) {
    const t0 = performance.now();
    const reservation = guard.reserve({ price: PRICE, inputTokens: 2000, maxTokens: 4096, model: 'bench' });
    const ms = performance.now() - t0;
    guard.release(reservation);
    if (i >= 20) times.push(ms); // the first few warm the statement caches and the connection
  }
  ledger.close();
  return { n: times.length, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) };
}

async function pollOverhead(env) {
  const repo = mkdtempSync(join(tmpdir(), 'aidev-bench-watch-'));
  mkdirSync(join(repo, '.aidev/tasks'), { recursive: true });
  for (let n = 1; n <= TASKS; n++)
    writeFileSync(
      join(repo, `.aidev/tasks/TASK-${n}.md`),
      `---\nid: TASK-${n}\ntitle: bench ${n}\nstatus: todo\nlabels: [aidev]\n---\n\nbody\n`,
    );
  const runtime = createRuntime({ env: {}, cwd: repo });
  const tasks = new LocalTasks({
    settings: { dir: '.aidev/tasks', prefix: 'TASK' },
    runtime,
    repoRoot: repo,
  });
  const ledger = openLedger({ home: tmpdir(), env });
  const t0 = performance.now();
  const result = await watch({
    settings: { label: 'aidev', intervalS: 60, jitter: 0, graceS: 1, concurrency: TASKS, once: true },
    ledger,
    tasks,
    clock: runtime.clock,
    random: () => 0.5,
    owner: 'bench:1',
    scope: `local:${repo}`,
    repoRoot: repo,
    newRunId: () => runtime.newId('r'),
    isAlive: () => false,
    monthlyBudgetUsd: 500,
    emit: () => undefined,
    runTask: async () => ({ status: 'succeeded', exitCode: 0, costUsd: 0 }),
    resumeRun: async () => ({ status: 'succeeded', exitCode: 0, costUsd: 0 }),
    stop: new AbortController().signal,
  });
  const ms = performance.now() - t0;
  ledger.close();
  rmSync(repo, { recursive: true, force: true });
  if (result.claimed.length !== TASKS) throw new Error(`claimed ${result.claimed.length} of ${TASKS}`);
  return { tasks: TASKS, totalMs: round(ms), perTaskMs: round(ms / TASKS) };
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}

async function startPostgres() {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  const bin = version && join(base, version, 'bin');
  if (!bin || !existsSync(join(bin, 'initdb'))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'aidev-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool, args) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, tool), args, { stdio: 'pipe' });
  writeFileSync(join(dir, 'pw'), 'bench\n');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'pw'), uid, gid);
  }
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  run('initdb', [
    '-D',
    join(dir, 'data'),
    '-U',
    'aidev',
    '--auth=scram-sha-256',
    `--pwfile=${join(dir, 'pw')}`,
    '--no-sync',
  ]);
  run('pg_ctl', [
    '-D',
    join(dir, 'data'),
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  let n = 0;
  return {
    async database() {
      const name = `bench_${++n}`;
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'aidev',
        password: 'bench',
        database: 'postgres',
      });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return { AIDEV_LEDGER_URL: `postgres://aidev@127.0.0.1:${port}/${name}`, PGPASSWORD: 'bench' };
    },
    stop() {
      run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sqliteEnv = () => ({
  AIDEV_LEDGER_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'aidev-bench-')), 'ledger.db')}`,
});
export const results = {
  sqlite: { reservation: reservationLatency(sqliteEnv()), watchPoll: await pollOverhead(sqliteEnv()) },
};
const server = await startPostgres();
if (server) {
  try {
    results.postgres = {
      reservation: reservationLatency(await server.database()),
      watchPoll: await pollOverhead(await server.database()),
    };
  } finally {
    server.stop();
  }
} else results.postgres = 'skipped: PostgreSQL server binaries not installed';

for (const [backend, r] of Object.entries(results)) {
  if (typeof r === 'string') {
    process.stdout.write(`${backend}: ${r}\n`);
    continue;
  }
  process.stdout.write(
    `${backend}: budget reservation p50 ${r.reservation.p50Ms} ms, p99 ${r.reservation.p99Ms} ms (n=${r.reservation.n}); ` +
      `watch poll overhead ${r.watchPoll.perTaskMs} ms per task (${r.watchPoll.tasks} tasks, no-op runs)\n`,
  );
}
