// Turns one raw YAML step into a StepDef: finds its single kind (or reads the specification form), checks the kind's
// block, and settles defaults (on_error, retry policy, timeout). Problems go to the IssueList with their position.
import { closest } from '../config/issues.js';
import { ExpressionError, parseExpression } from '../expressions/index.js';
import { isSpecStyle, readSpecStep } from './compat.js';
import type { IssueList } from './issues.js';
import { KIND_KEYS, kindKeys, stepKind } from './step-kinds.js';
import type { RetryPolicy, StepDef } from './types.js';
import { STEP_ID, retrySchema, stepSchema, type RawStep } from './workflow-schema.js';

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  initialInterval: 1000,
  backoffCoefficient: 2,
  maxInterval: 30_000,
  nonRetryable: [],
};

export interface NormalizedStep {
  step: StepDef;
  /** False when the step has problems that make its kind or outputs unknown (later checks stay quiet about it). */
  sound: boolean;
}

export function normalizeStep(
  raw: unknown,
  path: (string | number)[],
  issues: IssueList,
  file: string,
  fallbackId: string,
): NormalizedStep {
  const where = { file, ...(issues.source.positionOf(path) ?? { line: 1, col: 1 }) };
  const placeholder: StepDef = {
    id: fallbackId,
    kind: 'unknown',
    spec: undefined,
    with: {},
    outputs: {},
    onError: 'fail',
    where,
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.add(
      path,
      'each step is a mapping with an id and one kind (uses, ai, agent, run or approval)',
      'e.g. `- id: fetch\n      uses: tasks.get`',
    );
    return { step: placeholder, sound: false };
  }
  const schema = stepSchema(kindKeys());
  const parsed = schema.safeParse(raw);
  const step = raw as RawStep;
  const id =
    typeof step.id === 'string'
      ? step.id
      : typeof step.name === 'string' && STEP_ID.test(step.name)
        ? step.name
        : undefined;
  if (!parsed.success) {
    issues.addZod(path, parsed.error, schema, 'a step');
    return { step: { ...placeholder, id: id ?? fallbackId }, sound: false };
  }
  let sound = true;
  if (id === undefined) {
    issues.add(
      step.name === undefined ? path : [...path, 'name'],
      step.name === undefined ? 'the step has no id' : `"${step.name}" cannot be a step id`,
      'add `id: <name>` (letters, digits, _ and -)',
    );
    sound = false;
  }

  const present = kindKeys().filter((k) => step[k] !== undefined);
  const spec = isSpecStyle(step);
  let kind: string | undefined;
  let block: unknown;
  let compat: string | undefined;
  let outputs = step.outputs ?? {};
  if (present.length + (spec ? 1 : 0) > 1) {
    const names = [...present, ...(spec ? ['plugin/type'] : [])];
    issues.add(
      [...path, present[1] ?? present[0] ?? 'plugin'],
      `a step has exactly one kind; this one has ${names.join(' and ')}`,
      'split it into two steps',
    );
    return { step: { ...placeholder, id: id ?? fallbackId }, sound: false };
  }
  if (spec) {
    const read = readSpecStep(step);
    if (read.error) {
      issues.add([...path, read.error.key], read.error.message, read.error.hint);
      return { step: { ...placeholder, id: id ?? fallbackId }, sound: false };
    }
    kind = read.kind;
    block = read.spec;
    compat = read.note;
    outputs = read.outputs ?? outputs;
  } else if (present.length === 0) {
    issues.add(path, `step "${id ?? fallbackId}" has no kind`, `add one of: ${KIND_KEYS.join(', ')}`);
    return { step: { ...placeholder, id: id ?? fallbackId }, sound: false };
  } else {
    kind = present[0]!;
    block = step[kind];
  }
  const handler = stepKind(kind!);
  if (!handler) {
    issues.add(
      [...path, kind!],
      `the ${kind!} step kind is not available in this build`,
      `available kinds: ${kindKeys()
        .filter((k) => stepKind(k))
        .join(', ')}`,
    );
    return { step: { ...placeholder, id: id ?? fallbackId, kind: kind! }, sound: false };
  }
  const checked = handler.schema.safeParse(block);
  if (!checked.success) {
    issues.addZod(spec ? path : [...path, kind!], checked.error, handler.schema, `${kind!}:`);
    sound = false;
  }

  if (step.with !== undefined && step.inputs !== undefined) {
    issues.add(
      [...path, 'inputs'],
      'a step has `with:` or (specification form) `inputs:`, not both',
      'keep `with:`',
    );
  }
  const withValues = step.with ?? step.inputs ?? {};

  let retry: RetryPolicy | undefined;
  if (step.retry !== undefined) {
    const r = retrySchema.safeParse(step.retry);
    if (!r.success) {
      issues.addZod([...path, 'retry'], r.error, retrySchema, 'retry:');
      sound = false;
    } else {
      retry = {
        maxAttempts: r.data.max_attempts,
        initialInterval: r.data.initial_interval ?? DEFAULT_RETRY.initialInterval,
        backoffCoefficient: r.data.backoff ?? DEFAULT_RETRY.backoffCoefficient,
        maxInterval: r.data.max_interval ?? Math.max(DEFAULT_RETRY.maxInterval, r.data.initial_interval ?? 0),
        nonRetryable: r.data.non_retryable ?? [],
      };
    }
  }
  const onError = step.on_error ?? (retry ? 'retry' : 'fail');
  if (onError === 'retry' && !retry) retry = DEFAULT_RETRY;
  if (retry && onError !== 'retry') {
    issues.add(
      [...path, 'on_error'],
      `on_error: ${onError} with a retry: policy`,
      'drop on_error (a retry: policy implies on_error: retry) or drop retry:',
    );
  }

  let condition: string | undefined;
  if (step.if !== undefined) {
    condition = typeof step.if === 'boolean' ? String(step.if) : step.if;
    try {
      parseExpression(condition);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.add([...path, 'if'], `if: ${error.message}`, error.hint);
      sound = false;
    }
  }

  const def: StepDef = {
    id: id ?? fallbackId,
    kind: kind!,
    spec: checked.success ? checked.data : block,
    with: withValues,
    outputs,
    if: condition,
    onError,
    retry,
    timeout: (parsed.data as { timeout?: number }).timeout,
    title: step.title ?? (step.id !== undefined ? step.name : undefined),
    where,
    compat,
  };
  if (step.compensate === false) def.noCompensate = true;
  else if (step.compensate !== undefined) {
    const c = normalizeCompensation(
      step.compensate,
      [...path, 'compensate'],
      issues,
      file,
      `${def.id}.compensate`,
    );
    if (c) def.compensate = c;
    else sound = false;
  }
  return { step: def, sound };
}

function normalizeCompensation(
  raw: unknown,
  path: (string | number)[],
  issues: IssueList,
  file: string,
  id: string,
): StepDef | undefined {
  if (raw === true || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.add(
      path,
      'compensate: is a step without an id (e.g. `{uses: vcs.comment, with: {…}}`), or false for no rollback',
      'see docs/workflows.md#rollback',
    );
    return undefined;
  }
  const body = raw as Record<string, unknown>;
  for (const key of ['id', 'compensate', 'approval']) {
    if (body[key] !== undefined) {
      issues.add(
        [...path, key],
        key === 'approval'
          ? 'a compensation cannot be an approval gate'
          : `a compensation has no \`${key}:\``,
        'a compensation runs unattended during rollback',
      );
      return undefined;
    }
  }
  const known = [
    'uses',
    'ai',
    'agent',
    'run',
    'with',
    'if',
    'timeout',
    'retry',
    'on_error',
    'title',
    'inputs',
    'plugin',
    'action',
    'type',
    'prompt_template',
    'outputs',
    'description',
    'name',
  ];
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) {
      const guess = closest(key, known);
      issues.add(
        [...path, key],
        `unknown key "${key}" in compensate:${guess ? ` (did you mean "${guess}"?)` : ''}`,
      );
      return undefined;
    }
  }
  const { step, sound } = normalizeStep({ ...body, id: 'compensate' }, path, issues, file, id);
  return sound ? { ...step, id } : undefined;
}
