// A synchronous call into the PostgreSQL worker: post a request, block this thread with Atomics.wait on a shared flag
// until the worker has answered, then take the answer with receiveMessageOnPort. This keeps the Ledger interface
// synchronous (engine checkpoints and the budget lock's callback) while `pg` stays asynchronous in its own thread.
// The same pattern synckit implements; our own ~100 lines add a bounded wait and no TypeScript-runner detection.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { QueryResult, WorkerAnswer, WorkerInput, WorkerRequest } from './worker.js';

export type { QueryResult } from './worker.js';

export interface BridgeOptions {
  connectionString: string;
  /** The worker's whole environment: only the libpq variables (PGPASSWORD, PGSSLMODE…) from the injected env. */
  env: Record<string, string>;
  lockTimeoutMs?: number | undefined;
  connectTimeoutMs?: number | undefined;
  /** Longest a call may block before the ledger gives up on the worker (a safety net above the two above). */
  callTimeoutMs?: number | undefined;
}

/** A failure reported by the server or the driver: the SQLSTATE or errno code and its message. */
export class BridgeError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.code = code;
  }
}

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
export type BridgeRequest = Distribute<WorkerRequest>;

function workerFile(): string {
  // dist/ holds worker.js; the tests run the TypeScript source, which Node ≥ 22.18 loads by stripping types.
  const js = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./worker.ts', import.meta.url));
}

export class SyncBridge {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #flag: Int32Array;
  readonly #callTimeoutMs: number;
  #next = 1;
  #closed = false;

  constructor(options: BridgeOptions) {
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#callTimeoutMs = options.callTimeoutMs ?? lockTimeoutMs + connectTimeoutMs + 30_000;
    const input: WorkerInput = {
      port: port2,
      flag,
      connectionString: options.connectionString,
      lockTimeoutMs,
      connectTimeoutMs,
    };
    this.#worker = new Worker(workerFile(), {
      workerData: input,
      transferList: [port2],
      env: options.env,
      stdout: false,
      stderr: false,
    });
    // The worker must never keep a finished command alive; close() ends it explicitly.
    this.#worker.unref();
    this.#port = port1;
    this.#flag = new Int32Array(flag);
  }

  /** Sends one request and blocks until its answer; throws BridgeError for a failed query. */
  call(request: BridgeRequest): QueryResult[] {
    if (this.#closed) throw new BridgeError('the ledger connection is closed', 'CLOSED');
    const id = this.#next++;
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage({ ...request, id });
    const deadline = performance.now() + this.#callTimeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.#flag, 0, 0, left) === 'timed-out') {
        this.#kill();
        throw new BridgeError(
          `no answer from the PostgreSQL ledger within ${Math.round(this.#callTimeoutMs / 1000)} s`,
          'TIMEOUT',
        );
      }
      const message: { message: WorkerAnswer } | undefined = receiveMessageOnPort(this.#port);
      if (!message) {
        // Woken without a message (a spurious notify): wait again for the real one.
        Atomics.store(this.#flag, 0, 0);
        continue;
      }
      const answer = message.message;
      if (answer.id !== id) continue;
      if (!answer.ok) throw new BridgeError(answer.error.message, answer.error.code);
      return answer.results;
    }
  }

  close(): void {
    if (this.#closed) return;
    try {
      this.call({ op: 'close' });
    } catch {
      // closing a broken connection has nothing left to do
    }
    this.#kill();
  }

  #kill(): void {
    this.#closed = true;
    this.#port.close();
    void this.#worker.terminate();
  }
}
