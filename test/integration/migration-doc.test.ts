// docs/migrating-from-the-specification.md stays true: its workflow is the example file, its native form is what
// `workflow show --native` prints, every specification action it names is one aidev reads, and the README links it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecStep } from '../../src/core/engine/compat.js';
import { toNativeWorkflow } from '../../src/core/engine/to-native.js';
import { repoRoot } from '../helpers/temp.js';

const doc = readFileSync(join(repoRoot, 'docs/migrating-from-the-specification.md'), 'utf8');
const example = join(repoRoot, 'examples/spec-style/workflows/my_custom.yaml');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/migrating-from-the-specification.md', () => {
  it('quotes the example workflow verbatim and the native form that show --native prints', () => {
    const text = readFileSync(example, 'utf8');
    expect(yamlBlocks[0]).toBe(text);
    expect(`${yamlBlocks[1]!}`).toBe(toNativeWorkflow(text, example).yaml.trimEnd() + '\n');
  });

  it('names only actions aidev reads, with the native action they become', () => {
    const rows = doc
      .split('\n')
      .filter((l) => /^\| `(task_management|version_control|documentation|communication)`/.test(l));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const plugin = /^\| `(\w+)`/.exec(row)![1]!;
      const cell = row.split('|')[2]!;
      // "`a` / `b` → `native`" or "`a`, `b` → `native`": every spec action before an arrow maps to that native action.
      for (const [, names, native] of cell.matchAll(/((?:`\w+`(?:, | \/ )?)+) → `([\w.]+)`/g)) {
        for (const [, action] of names!.matchAll(/`(\w+)`/g)) {
          const read = readSpecStep({ plugin, action });
          expect(read.error, `${plugin}.${action!}`).toBeUndefined();
          expect(read.spec, `${plugin}.${action!}`).toBe(native);
        }
      }
    }
  });

  it('is linked from the README', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('(docs/migrating-from-the-specification.md)');
  });
});
