// Writes a plan into the tracker: epics first, then tasks (dependencies before dependants) with their epic as parent,
// then one "blocks" link per dependency, then custom fields. Every write is keyed `plan:<plan-id>:…` in the ledger's
// effects, recorded before the call and completed after it, so a re-run creates nothing twice and finishes what is
// missing. A write cut off in the middle (pending key) is looked up in the tracker by the marker line it carries.
import type { NewTask, Task, TasksProvider } from '../../../providers/types.js';
import { AidevError } from '../errors.js';
import type { Ledger } from '../ledger/types.js';
import type { Runtime } from '../runtime.js';
import { topologicalTasks } from './checks.js';
import { allTasks, type Plan, type PlanEpic, type PlanTask } from './schema.js';
import type { PublishedItem } from './store.js';

export interface PublishInput {
  plan: Plan;
  planId: string;
  runId: string | null;
  stepId?: string | undefined;
  tasks: TasksProvider;
  ledger: Ledger;
  runtime: Runtime;
  /** Standard field name → the tracker's field id (`tasks.<provider>.custom_fields`). */
  customFields?: Record<string, string> | undefined;
  /** Extra standard field values for every item (e.g. repo_url). */
  fieldValues?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Pause between writes (tests use it to interrupt a publish midway; 0 in normal use). */
  pauseMs?: number | undefined;
  progress?: ((message: string) => void) | undefined;
}

export interface PublishResult {
  items: PublishedItem[];
  /** Plan key → tracker id. */
  mapping: Record<string, string>;
  created: number;
  /** Items found already published (a resumed or repeated publish). */
  reused: number;
  links: number;
  fields: number;
}

/** The writes a publish makes, in order, for --dry-run. */
export interface PublishOperation {
  op: 'create' | 'link';
  kind: 'epic' | 'task' | 'blocks';
  key: string;
  title?: string | undefined;
  parent?: string | undefined;
  /** For links: the task that must be done first. */
  from?: string | undefined;
}

export function publishOperations(plan: Plan): PublishOperation[] {
  const ops: PublishOperation[] = plan.epics.map((e) => ({
    op: 'create',
    kind: 'epic',
    key: e.key,
    title: e.title,
  }));
  const byKey = new Map(allTasks(plan).map((x) => [x.task.key, x]));
  for (const key of topologicalTasks(plan)) {
    const { epic, task } = byKey.get(key)!;
    ops.push({ op: 'create', kind: 'task', key, title: task.title, parent: epic.key });
  }
  for (const { task } of allTasks(plan))
    for (const dep of task.depends_on) ops.push({ op: 'link', kind: 'blocks', key: task.key, from: dep });
  return ops;
}

export const MARKER = /_Planned by aidev: plan ([^,\s]+), (?:epic|task) (.+?)\._\s*$/m;

export function markerLine(planId: string, kind: 'epic' | 'task', key: string): string {
  return `_Planned by aidev: plan ${planId}, ${kind} ${key}._`;
}

export function taskBody(planId: string, task: PlanTask): string {
  const parts = [task.description.trim()];
  if (task.acceptance_criteria.length)
    parts.push(`## Acceptance criteria\n${task.acceptance_criteria.map((c) => `- [ ] ${c}`).join('\n')}`);
  parts.push(markerLine(planId, 'task', task.key));
  return parts.filter(Boolean).join('\n\n');
}

export function epicBody(planId: string, epic: PlanEpic): string {
  return [epic.description.trim(), markerLine(planId, 'epic', epic.key)].filter(Boolean).join('\n\n');
}

export async function publishPlan(input: PublishInput): Promise<PublishResult> {
  const { plan, planId, ledger, tasks } = input;
  const result: PublishResult = { items: [], mapping: {}, created: 0, reused: 0, links: 0, fields: 0 };
  const now = () => input.runtime.clock.now().toISOString();
  const opts = input.signal ? { signal: input.signal } : {};
  let found: Map<string, Task> | undefined;
  const checkAbort = () => {
    if (input.signal?.aborted)
      throw new AidevError('INTERRUPTED', `publishing plan ${planId} was interrupted`, {
        hint: `finish it with: aidev plan --resume ${planId}`,
      });
  };
  const pause = async () => {
    if (input.pauseMs) await new Promise((r) => setTimeout(r, input.pauseMs));
  };

  /** Tasks of this plan already in the tracker, by key (read once, only when a write was cut off). */
  const inTracker = async (): Promise<Map<string, Task>> => {
    if (found) return found;
    found = new Map();
    for (const task of await tasks.listTasks({}, opts)) {
      const match = MARKER.exec(task.description);
      if (match && match[1] === planId) found.set(match[2]!, task);
    }
    return found;
  };

  const ensure = async (kind: 'epic' | 'task', key: string, create: NewTask): Promise<PublishedItem> => {
    const effectKey = `plan:${planId}:item:${key}`;
    const existing = ledger.getEffect(effectKey);
    if (existing?.status === 'done') {
      result.reused++;
      return existing.result as PublishedItem;
    }
    checkAbort();
    const toItem = (task: Task): PublishedItem => ({
      key,
      id: task.id,
      url: task.url,
      kind,
      title: create.title,
    });
    if (existing?.status === 'pending') {
      const task = (await inTracker()).get(key);
      if (task) {
        const item = toItem(task);
        ledger.completeEffect(effectKey, task.id, item, now());
        input.progress?.(`found ${task.id} for ${key} (created before the interruption)`);
        result.reused++;
        return item;
      }
    } else
      ledger.beginEffect(
        { key: effectKey, runId: input.runId, stepId: input.stepId ?? null, kind: `tasks.create.${kind}` },
        now(),
      );
    let task: Task;
    try {
      task = await tasks.createTask(create, opts);
    } catch (error) {
      throw createFailed(error, planId, key, result);
    }
    const item = toItem(task);
    ledger.completeEffect(effectKey, task.id, item, now());
    result.created++;
    input.progress?.(`created ${task.id} for ${kind} ${key}: ${create.title}`);
    await pause();
    return item;
  };

  const epicIds = new Map<string, string>();
  for (const epic of plan.epics) {
    const item = await ensure('epic', epic.key, {
      title: epic.title,
      description: epicBody(planId, epic),
      type: 'epic',
    });
    epicIds.set(epic.key, item.id);
    record(result, item);
  }
  const byKey = new Map(allTasks(plan).map((x) => [x.task.key, x]));
  for (const key of topologicalTasks(plan)) {
    const { epic, task } = byKey.get(key)!;
    const item = await ensure('task', key, {
      title: task.title,
      description: taskBody(planId, task),
      type: 'task',
      labels: task.labels,
      parentId: epicIds.get(epic.key),
      estimate: task.estimate,
    });
    record(result, item);
  }
  for (const { task } of allTasks(plan)) {
    for (const dep of task.depends_on) {
      const from = result.mapping[dep]!;
      const to = result.mapping[task.key]!;
      await once(
        ledger,
        `plan:${planId}:link:${dep}>${task.key}`,
        input,
        'tasks.link',
        `${from}>${to}`,
        async () => {
          checkAbort();
          await tasks.link(from, to, 'blocks', opts);
        },
      );
      result.links++;
    }
  }
  if (result.links) input.progress?.(`${result.links} dependencies linked ("blocks")`);
  result.fields = await writeFields(input, result, byKey);
  return result;
}

function record(result: PublishResult, item: PublishedItem): void {
  result.items.push(item);
  result.mapping[item.key] = item.id;
}

async function once(
  ledger: Ledger,
  key: string,
  input: PublishInput,
  kind: string,
  externalId: string,
  fn: () => Promise<void>,
): Promise<void> {
  const existing = ledger.getEffect(key);
  if (existing?.status === 'done') return;
  const now = () => input.runtime.clock.now().toISOString();
  if (!existing) ledger.beginEffect({ key, runId: input.runId, stepId: input.stepId ?? null, kind }, now());
  // Links and field writes are idempotent in every tracker (set semantics), so a pending one is simply redone.
  await fn();
  ledger.completeEffect(key, externalId, null, now());
}

async function writeFields(
  input: PublishInput,
  result: PublishResult,
  byKey: Map<string, { epic: PlanEpic; task: PlanTask }>,
): Promise<number> {
  const mapping = input.customFields ?? {};
  const setFields = input.tasks.setFields?.bind(input.tasks);
  if (!setFields || !Object.keys(mapping).length) return 0;
  let written = 0;
  for (const item of result.items) {
    const entry = byKey.get(item.key);
    const values: Record<string, string> = {
      plan_id: input.planId,
      plan_key: item.key,
      ...(entry ? { epic: entry.epic.key } : {}),
      ...(entry?.task.estimate !== undefined ? { estimate: String(entry.task.estimate) } : {}),
      ...input.fieldValues,
    };
    const fields: Record<string, string> = {};
    for (const [name, fieldId] of Object.entries(mapping))
      if (values[name] !== undefined) fields[fieldId] = values[name];
    if (!Object.keys(fields).length) continue;
    await once(
      input.ledger,
      `plan:${input.planId}:fields:${item.key}`,
      input,
      'tasks.set_fields',
      item.id,
      () => setFields(item.id, fields, input.signal ? { signal: input.signal } : {}),
    );
    written++;
  }
  return written;
}

function createFailed(error: unknown, planId: string, key: string, result: PublishResult): AidevError {
  const cause = error instanceof AidevError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (cause?.code === 'INTERRUPTED') return cause;
  return new AidevError(
    'PROVIDER_ERROR',
    `the tracker refused to create ${key} (${result.created + result.reused} of the plan's items are in the tracker): ${message}`,
    {
      hint: `${cause?.hint ? `${cause.hint}; then ` : 'fix the cause, then '}finish the rest with: aidev plan --resume ${planId} (nothing is created twice)`,
      cause: error,
      details: { planId, key },
    },
  );
}
