// The JSON Schema, docs/config.md and .aidevrc.example.yaml are generated from the zod schema: fail when they drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema, configMarkdown, exampleYaml } from '../../src/core/config/generate.js';
import { configSchema } from '../../src/core/config/schema.js';
import { repoRoot } from '../helpers/temp.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('generated config files (run `npm run gen` when this fails)', () => {
  it('docs/aidevrc.schema.json is current', () => {
    expect(JSON.parse(read('docs/aidevrc.schema.json'))).toEqual(configJsonSchema());
  });

  it('docs/config.md is current', () => {
    expect(read('docs/config.md')).toBe(configMarkdown());
  });

  it('.aidevrc.example.yaml is current and is itself a valid config', () => {
    const text = read('.aidevrc.example.yaml');
    expect(text).toBe(exampleYaml());
    const parsed = configSchema.safeParse(parse(text));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});
