// `aidev workflow show <file> --native`: the same workflow file with every specification-style step written in the
// native form, read by compat.ts exactly as the loader reads it. The YAML document is edited in place, so comments,
// key order and the other keys stay as the author wrote them.
import { isMap, isScalar, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { AidevError } from '../errors.js';
import { isSpecStyle, readSpecStep, SPEC_INPUT_NAMES } from './compat.js';
import { STEP_ID, type RawStep } from './workflow-schema.js';

const SPEC_KEYS = ['plugin', 'action', 'type', 'prompt_template'];

export interface NativeWorkflow {
  /** The workflow file in the native form. */
  yaml: string;
  /** How each rewritten step was read (`step fetch_task: read as plugin: …, action: … → uses: tasks.get`). */
  rewritten: string[];
}

/** Rewrites a workflow that loaded without problems; `file` is only for messages. */
export function toNativeWorkflow(text: string, file: string): NativeWorkflow {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const steps = doc.get('steps', true);
  const rewritten: string[] = [];
  if (steps && typeof steps === 'object' && 'items' in steps && Array.isArray(steps.items)) {
    for (const item of steps.items as unknown[]) if (isMap(item)) nativeStep(doc, item, file, rewritten);
  }
  return { yaml: doc.toString({ lineWidth: 0 }), rewritten };
}

function nativeStep(doc: Document, map: YAMLMap, file: string, rewritten: string[]): void {
  const raw = map.toJSON() as RawStep;
  if (isSpecStyle(raw)) {
    const read = readSpecStep(raw);
    if (read.error || !read.kind)
      throw new AidevError('WORKFLOW_INVALID', `${file}: ${read.error?.message ?? 'a step cannot be read'}`, {
        hint: '`aidev workflow validate` lists the problems',
      });
    const at = map.items.findIndex((pair) => SPEC_KEYS.includes(keyOf(pair)));
    const replaced = map.items[at]!;
    const kind = doc.createPair(read.kind, read.spec);
    moveComments(replaced, kind);
    map.items = map.items.flatMap((pair, i) =>
      i === at ? [kind] : SPEC_KEYS.includes(keyOf(pair)) ? [] : [pair],
    );
    if (read.outputs) renameKeys(map.get('outputs', true), read.outputs, raw.outputs ?? {});
    const inputs = map.get('inputs', true) ?? map.get('with', true);
    const names = read.kind === 'uses' ? SPEC_INPUT_NAMES[String(read.spec)] : undefined;
    if (isMap(inputs) && names)
      for (const [spec, native] of Object.entries(names))
        if (!inputs.has(native)) renameKey(inputs, spec, native);
    rewritten.push(`step ${stepName(raw)}: read as ${read.note ?? read.kind}`);
  }
  // `name:` is the id in the specification's form; natively it is the title of a step that has an `id:`.
  if (raw.id === undefined && typeof raw.name === 'string' && STEP_ID.test(raw.name))
    renameKey(map, 'name', 'id');
  renameKey(map, 'inputs', 'with');
  const compensate = map.get('compensate', true);
  if (isMap(compensate)) nativeStep(doc, compensate, file, rewritten);
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function renameKey(map: YAMLMap, from: string, to: string): void {
  const pair = map.items.find((p) => keyOf(p) === from);
  if (pair && isScalar(pair.key)) pair.key.value = to;
}

/** `outputs: {result: x}` of an ai_action → `{text: x}`: the keys that the reading renamed. */
function renameKeys(node: unknown, native: Record<string, string>, written: Record<string, string>): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const alias = written[keyOf(pair)];
    const name = Object.keys(native).find((k) => native[k] === alias && !(k in written));
    if (name && isScalar(pair.key)) pair.key.value = name;
  }
}

function moveComments(from: Pair, to: Pair): void {
  const fromKey = from.key as { commentBefore?: string | null } | null;
  const toKey = to.key as { commentBefore?: string | null } | null;
  if (fromKey?.commentBefore && toKey) toKey.commentBefore = fromKey.commentBefore;
  const fromValue = from.value as { comment?: string | null } | null;
  const toValue = to.value as { comment?: string | null } | null;
  if (fromValue?.comment && toValue) toValue.comment = fromValue.comment;
}

function stepName(raw: RawStep): string {
  return typeof raw.id === 'string' ? raw.id : typeof raw.name === 'string' ? raw.name : '(step)';
}
