// docs/workflows.md stays in step with the engine: every action, step kind and expression function is documented.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listActions } from '../../src/core/engine/actions/index.js';
import { registeredKinds } from '../../src/core/engine/step-kinds.js';
import { FUNCTIONS } from '../../src/core/expressions/index.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/workflows.md'), 'utf8');

describe('docs/workflows.md', () => {
  it.each(listActions().map((a) => a.name))('documents the action %s', (name) => {
    expect(doc).toMatch(new RegExp(`\\|\\s*\`${name.replace('.', '\\.')}\`\\s*\\|`));
  });

  it.each(registeredKinds())('documents the step kind %s', (kind) => {
    expect(doc).toContain(`### \`${kind}:`);
  });

  it.each(Object.keys(FUNCTIONS))('documents the function %s', (fn) => {
    expect(doc).toContain(fn);
  });
});
