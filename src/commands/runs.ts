// `aidev runs list|show` and `aidev cost`: history and spending, read from the ledger.
import { AidevError } from '../core/errors.js';
import type { RunStatus } from '../core/events.js';
import type { AuditRow, EffectRow, ModelCallRow, RunRow, SpendRow, StepRow } from '../core/ledger/types.js';
import { openSession, type GlobalOptions } from '../core/session.js';

export interface RunSummary {
  id: string;
  taskId: string | null;
  workflow: string;
  status: RunStatus;
  startedAt: string;
  durationMs: number | null;
  tokens: number;
  costUsd: number;
  branch: string | null;
}

export async function runRunsList(
  options: GlobalOptions & { status?: RunStatus; taskId?: string; limit?: number },
): Promise<{ runs: RunSummary[] }> {
  const session = await openSession(options);
  try {
    const rows = session
      .ledger()
      .listRuns({ status: options.status, taskId: options.taskId, limit: options.limit ?? 20 });
    return { runs: rows.map(summarize) };
  } finally {
    session.close();
  }
}

export interface RunDetail {
  run: RunRow;
  steps: StepRow[];
  modelCalls: ModelCallRow[];
  effects: EffectRow[];
  audit?: AuditRow[];
}

export async function runRunsShow(
  options: GlobalOptions & { run: string; audit?: boolean },
): Promise<RunDetail> {
  const session = await openSession(options);
  try {
    const ledger = session.ledger();
    const run = ledger.findRun(options.run);
    if (!run) {
      throw new AidevError('RUN_NOT_FOUND', `no run "${options.run}" in the ledger ${ledger.path}`, {
        hint: 'list recent runs with `aidev runs list`',
      });
    }
    const detail: RunDetail = {
      run,
      steps: ledger.listSteps(run.id),
      modelCalls: ledger.listModelCalls(run.id),
      effects: ledger.listEffects(run.id),
    };
    if (options.audit) detail.audit = ledger.listAudit(run.id);
    return detail;
  } finally {
    session.close();
  }
}

export interface CostOptions extends GlobalOptions {
  since?: string | undefined;
  month?: string | undefined;
  by?: 'task' | 'model' | 'workflow' | 'day' | undefined;
}

export interface CostResult {
  by: string;
  since: string | null;
  until: string | null;
  rows: SpendRow[];
  total: {
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    calls: number;
  };
}

export async function runCost(options: CostOptions): Promise<CostResult> {
  const { since, until } = costWindow(options);
  const session = await openSession(options);
  try {
    const rows = session
      .ledger()
      .spend({ since: since ?? undefined, until: until ?? undefined, by: options.by ?? 'model' });
    const total = rows.reduce(
      (t, r) => ({
        costUsd: t.costUsd + r.costUsd,
        inputTokens: t.inputTokens + r.inputTokens,
        outputTokens: t.outputTokens + r.outputTokens,
        cacheReadTokens: t.cacheReadTokens + r.cacheReadTokens,
        cacheWriteTokens: t.cacheWriteTokens + r.cacheWriteTokens,
        calls: t.calls + r.calls,
      }),
      { costUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, calls: 0 },
    );
    return { by: options.by ?? 'model', since, until, rows, total };
  } finally {
    session.close();
  }
}

export function costWindow(options: { since?: string | undefined; month?: string | undefined }): {
  since: string | null;
  until: string | null;
} {
  if (options.month) {
    const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(options.month);
    if (!match)
      throw new AidevError('USAGE', `--month must look like 2026-03 (got "${options.month}")`, {
        hint: 'use --month YYYY-MM',
      });
    const year = Number(match[1]);
    const month = Number(match[2]);
    const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
    return { since: `${options.month}-01`, until: `${next}-01` };
  }
  if (options.since) {
    if (!/^\d{4}-\d{2}-\d{2}/.test(options.since) || Number.isNaN(Date.parse(options.since))) {
      throw new AidevError('USAGE', `--since must be a date like 2026-03-01 (got "${options.since}")`, {
        hint: 'use --since YYYY-MM-DD',
      });
    }
    return { since: options.since, until: null };
  }
  return { since: null, until: null };
}

export function summarize(run: RunRow): RunSummary {
  return {
    id: run.id,
    taskId: run.taskId,
    workflow: run.workflow,
    status: run.status,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    tokens: run.tokens,
    costUsd: run.costUsd,
    branch: run.branch,
  };
}
