// The worker thread behind the synchronous PostgreSQL ledger: it owns one `pg` connection and answers one request at a
// time, posting the answer and then waking the blocked caller through the shared flag (see bridge.ts).
// Self-contained on purpose (node: builtins and pg only): Node can load it as .ts under the tests and as .js from dist.
import { workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';

interface Statement {
  sql: string;
  params?: unknown[] | undefined;
}

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[] | undefined }
  | { id: number; op: 'batch'; statements: Statement[]; transaction: boolean }
  | { id: number; op: 'close' };

export interface QueryResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

export type WorkerAnswer =
  | { id: number; ok: true; results: QueryResult[] }
  | { id: number; ok: false; error: { message: string; code?: string | undefined } };

export interface WorkerInput {
  port: MessagePort;
  flag: SharedArrayBuffer;
  connectionString: string;
  /** Milliseconds a blocked lock may wait before PostgreSQL gives up (lock_timeout). */
  lockTimeoutMs: number;
  connectTimeoutMs: number;
}

// BIGINT (20) and NUMERIC (1700, what SUM of a BIGINT returns) arrive as strings by default; the ledger's counts and
// sums stay far below 2^53, so numbers are exact and match what better-sqlite3 returns.
pg.types.setTypeParser(20, (value: string) => Number(value));
pg.types.setTypeParser(1700, (value: string) => Number(value));

const input = workerData as WorkerInput;
const signal = new Int32Array(input.flag);
let client: pg.Client | undefined;

async function connected(): Promise<pg.Client> {
  if (client) return client;
  const next = new pg.Client({
    connectionString: input.connectionString,
    connectionTimeoutMillis: input.connectTimeoutMs,
    application_name: 'aidev',
  });
  // A dropped connection must not kill the worker: the next request reconnects and the caller sees the error.
  next.on('error', () => {
    if (client === next) client = undefined;
  });
  try {
    await next.connect();
    await next.query(`SET lock_timeout = ${Math.max(1, Math.floor(input.lockTimeoutMs))}`);
  } catch (error) {
    await next.end().catch(() => undefined);
    throw error;
  }
  client = next;
  return next;
}

async function run(db: pg.Client, statement: Statement): Promise<QueryResult> {
  const result = await db.query(statement.sql, statement.params);
  return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
}

async function answer(request: WorkerRequest): Promise<WorkerAnswer> {
  try {
    if (request.op === 'close') {
      await client?.end().catch(() => undefined);
      client = undefined;
      return { id: request.id, ok: true, results: [] };
    }
    const db = await connected();
    if (request.op === 'query') return { id: request.id, ok: true, results: [await run(db, request)] };
    const results: QueryResult[] = [];
    if (request.transaction) await db.query('BEGIN');
    try {
      for (const statement of request.statements) results.push(await run(db, statement));
      if (request.transaction) await db.query('COMMIT');
    } catch (error) {
      if (request.transaction) await db.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return { id: request.id, ok: true, results };
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown };
    return {
      id: request.id,
      ok: false,
      error: { message: String(e.message ?? error), code: typeof e.code === 'string' ? e.code : undefined },
    };
  }
}

// Requests arrive one at a time (the caller is blocked until it gets its answer), so no queue is needed.
input.port.on('message', (request: WorkerRequest) => {
  void answer(request).then((reply) => {
    input.port.postMessage(reply);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
