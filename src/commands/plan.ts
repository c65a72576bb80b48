// `aidev plan "<idea>"`: idea (or a request file, or a finished plan file) → a reviewed plan in the tracker, through
// the plan_project workflow. --estimate stops before any model call; --dry-run after the draft; a non-interactive run
// without --yes saves the draft and exits 4; `--resume <plan-id>` continues any of them where it stopped.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Approver } from '../core/approvals.js';
import { findPrompt } from '../core/ai/prompts.js';
import type { Config } from '../core/config/schema.js';
import { resumeRun, startRun } from '../core/engine/executor.js';
import { loadWorkflowFile } from '../core/engine/loader.js';
import { resolveWorkflow } from '../core/engine/lookup.js';
import type { RunResult, WorkflowDef } from '../core/engine/types.js';
import { engineDeps } from '../core/engine/wire.js';
import { AidevError } from '../core/errors.js';
import type { Emit } from '../core/events.js';
import type { RunRow } from '../core/ledger/types.js';
import { repoContext } from '../core/plan/context.js';
import { estimatePlan, type PlanEstimate } from '../core/plan/estimate.js';
import { buildRequest, readPlanFile, type PlanFile } from '../core/plan/request.js';
import { planResult, type PlanResult } from '../core/plan/result.js';
import { planSettings, settingsBlock, type PlanSettings } from '../core/plan/settings.js';
import { readPlan, writePlan } from '../core/plan/store.js';
import { openSession, type GlobalOptions, type Session } from '../core/session.js';

export interface PlanOptions extends GlobalOptions {
  idea?: string | undefined;
  requirements?: string[] | undefined;
  stack?: string[] | undefined;
  fromFile?: string | undefined;
  dryRun?: boolean | undefined;
  estimate?: boolean | undefined;
  resume?: string | undefined;
  scaffold?: string | undefined;
  /** A JSONL script for the fake model: forces ai.provider fake (demos, tests). */
  fakeResponses?: string | undefined;
  approver: Approver;
  emit?: Emit | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides of the plan settings (tests; the config's `plan:` block otherwise). */
  settings?: Partial<PlanSettings> | undefined;
  /** Runs after the session opens (tests inject providers here). */
  prepare?: ((session: Session) => void | Promise<void>) | undefined;
}

export type PlanCommandResult =
  | { kind: 'estimate'; estimate: PlanEstimate; exitCode: number }
  | { kind: 'plan'; result: PlanResult; exitCode: number };

const RESUMABLE = new Set(['interrupted', 'awaiting_approval', 'budget_exceeded', 'failed', 'running']);

export async function runPlan(options: PlanOptions): Promise<PlanCommandResult> {
  if (options.resume && (options.idea || options.fromFile))
    throw new AidevError('USAGE', '--resume continues a saved plan; it takes no idea or --from-file', {
      hint: `aidev plan --resume ${options.resume}`,
    });
  const env = options.fakeResponses
    ? { ...options.env, AIDEV_FAKE_RESPONSES: options.fakeResponses }
    : options.env;
  const overrides = options.fakeResponses
    ? { ...options.overrides, ai: { ...(options.overrides?.ai as object | undefined), provider: 'fake' } }
    : options.overrides;
  const session = await openSession({
    ...options,
    env,
    overrides,
    runtime: options.runtime ? { ...options.runtime, env } : undefined,
  });
  try {
    await options.prepare?.(session);
    const settings = planSettings(session.loaded.config, options.settings);
    if (options.resume) return await resume(session, options, settings, options.resume);
    const file = options.fromFile
      ? readPlanFile(options.fromFile, options.cwd, { minTasks: 1, maxTasks: settings.maxTasks })
      : undefined;
    const finished = file?.kind === 'plan' ? file : undefined;
    const request = finished
      ? {
          idea: options.idea?.trim() || finished.plan.project.name,
          requirements: [],
          stack: options.stack ?? [],
        }
      : buildRequest({
          idea: options.idea,
          requirements: options.requirements,
          stack: options.stack,
          file: file as Extract<PlanFile, { kind: 'request' }> | undefined,
        });
    if (options.estimate)
      return {
        kind: 'estimate',
        estimate: await estimate(session, settings, request, !!finished),
        exitCode: 0,
      };

    const planId = session.runtime.newId('p');
    const ledger = session.ledger();
    writePlan(ledger, session.runtime, planId, {
      idea: request.idea,
      status: 'drafting',
      plan: finished?.plan ?? null,
    });
    const inputs = {
      plan_id: planId,
      idea: request.idea,
      requirements: request.requirements,
      stack: request.stack,
      plan: finished?.plan ?? null,
      dry_run: Boolean(options.dryRun),
      scaffold_dir: scaffoldDir(options, settings),
    };
    const run = await startRun({
      ...deps(session, options, settings),
      workflow: loadPlanWorkflow(session, options.cwd),
      inputs,
    });
    return done(session, planId, run, Boolean(options.dryRun));
  } finally {
    session.close();
  }
}

async function resume(
  session: Session,
  options: PlanOptions,
  settings: PlanSettings,
  planId: string,
): Promise<PlanCommandResult> {
  const ledger = session.ledger();
  const record = readPlan(ledger, planId);
  if (!record)
    throw new AidevError('USAGE', `no plan "${planId}" in the ledger ${ledger.path}`, {
      hint: 'the plan id is printed by aidev plan (p-…); --json shows it as planId',
    });
  const row = record.runId ? ledger.getRun(record.runId) : null;
  if (options.dryRun || record.status === 'published' || record.status === 'rejected') {
    if (record.status === 'rejected' && !options.dryRun)
      throw new AidevError('USAGE', `plan ${planId} was rejected; there is nothing to publish`, {
        hint: 'start a new plan with aidev plan "<idea>"',
      });
    return done(session, planId, null, Boolean(options.dryRun));
  }
  if (row && RESUMABLE.has(row.status)) {
    refuseIfAlive(row);
    const workflow = loadPlanWorkflow(session, options.cwd, row.workflowFile);
    const run = await resumeRun({ ...deps(session, options, settings), workflow, run: row });
    return done(session, planId, run, false);
  }
  if (!record.plan)
    throw new AidevError(
      'USAGE',
      `plan ${planId} has no draft to publish (its run is ${row?.status ?? 'gone'})`,
      {
        hint: 'start a new plan with aidev plan "<idea>"',
      },
    );
  // A draft from --dry-run (its run finished): publish that same draft in a new run, with no model call.
  const inputs = {
    plan_id: planId,
    idea: record.idea,
    plan: record.plan,
    dry_run: false,
    scaffold_dir: scaffoldDir(options, settings),
    // The stack picks the scaffold's CI steps; the draft's own run remembers it when the flag is not given again.
    stack: options.stack ?? (Array.isArray(row?.inputs.stack) ? (row.inputs.stack as string[]) : []),
  };
  const run = await startRun({
    ...deps(session, options, settings),
    workflow: loadPlanWorkflow(session, options.cwd),
    inputs,
  });
  return done(session, planId, run, false);
}

function done(session: Session, planId: string, run: RunResult | null, dryRun: boolean): PlanCommandResult {
  const record = readPlan(session.ledger(), planId)!;
  const result = planResult(record, run, { dryRun });
  return { kind: 'plan', result, exitCode: result.exitCode };
}

function deps(session: Session, options: PlanOptions, settings: PlanSettings) {
  const base = engineDeps(session, {
    emit: options.emit ?? (() => {}),
    approver: options.approver,
    signal: options.signal ?? new AbortController().signal,
    owner: `${hostname()}:${process.pid}`,
  });
  // The plan settings ride in the config the steps see; a publish is never rolled back (it would delete tracker items).
  const config = { ...session.loaded.config, plan: settingsBlock(settings) } as Config;
  return { ...base, config, rollback: false };
}

function loadPlanWorkflow(session: Session, cwd: string, file?: string | null): WorkflowDef {
  const { config, repoRoot } = session.loaded;
  const ctx = { repoRoot, config, promptExists: (p: string) => findPrompt(p, repoRoot) !== null };
  if (file && existsSync(file)) return loadWorkflowFile(file, 'file', ctx);
  const entry = resolveWorkflow(config.workflows.plan, { repoRoot, paths: config.workflows.paths, cwd });
  return loadWorkflowFile(entry.file, entry.source, ctx);
}

function scaffoldDir(options: PlanOptions, settings: PlanSettings): string {
  const dir = options.scaffold ?? settings.scaffoldDir;
  return dir ? resolve(options.cwd, dir) : '';
}

async function estimate(
  session: Session,
  settings: PlanSettings,
  request: ReturnType<typeof buildRequest>,
  finished: boolean,
): Promise<PlanEstimate> {
  const { config, repoRoot, home } = session.loaded;
  const context = await repoContext(repoRoot, {
    env: session.runtime.env,
    readmeChars: settings.contextReadmeChars,
    maxFiles: settings.contextFiles,
  });
  const ledgerPath = config.system.ledger_path
    ? resolve(repoRoot, config.system.ledger_path)
    : join(home, 'ledger.db');
  const history = existsSync(ledgerPath) ? session.ledger().listRuns({ limit: 1000 }) : [];
  const result = estimatePlan({ config, settings, request, context, repoRoot, history });
  return finished
    ? {
        ...result,
        estimate: null,
        worstCaseUsd: 0,
        note: 'a finished plan from --from-file needs no model call: $0',
      }
    : result;
}

/** A run still marked running whose process is alive is not ours to resume (a second terminal, say). */
function refuseIfAlive(run: RunRow): void {
  if (run.status !== 'running') return;
  const owner = (run.state.engine as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string') return;
  const pid = Number(owner.split(':').pop());
  if (!Number.isInteger(pid) || pid === process.pid) return;
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  throw new AidevError('USAGE', `plan run ${run.id} is still running (process ${pid})`, {
    hint: 'wait for it to finish, or stop it first',
  });
}
