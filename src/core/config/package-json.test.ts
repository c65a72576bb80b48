// A real-world package.json is indented with tabs (sindresorhus/slugify is): the config search must read it as
// JSON, not fail on it as YAML.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { searchProjectConfig } from './load.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('reads a tab-indented package.json as JSON and finds .aidevrc.yaml beside it', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aidev-pkg-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'package.json'), '{\n\t"name": "x",\n\t"scripts": {\n\t\t"test": "ava"\n\t}\n}\n');
  writeFileSync(join(dir, '.aidevrc.yaml'), 'verify:\n  checks: [npm test]\n');
  const found = await searchProjectConfig(dir, dir);
  expect(found?.value).toEqual({ verify: { checks: ['npm test'] } });
});

it('uses the "aidev" key of a tab-indented package.json', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aidev-pkg-'));
  writeFileSync(
    join(dir, 'package.json'),
    '{\n\t"name": "x",\n\t"aidev": {\n\t\t"verify": {"checks": ["npm test"]}\n\t}\n}\n',
  );
  const found = await searchProjectConfig(dir, dir);
  expect(found?.value).toEqual({ verify: { checks: ['npm test'] } });
});
