// After tsc: inlines the version and the top-level help into dist/bin/aidev.cjs and marks it executable.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const { buildProgram } = await import(`${root}dist/src/cli/program.js`);
const help = buildProgram({ forHelp: true }).helpInformation();

const file = `${root}dist/bin/aidev.cjs`;
let text = readFileSync(file, 'utf8');
// Match the assignment, not the placeholder: an incremental tsc build may leave the previous build's file in place.
const version = /const VERSION = ('__AIDEV_VERSION__'|"(?:[^"\\]|\\.)*");/;
const helpText = /const HELP = ('__AIDEV_HELP__'|"(?:[^"\\]|\\.)*");/;
if (!version.test(text) || !helpText.test(text))
  throw new Error(`build-bin: ${file} has no VERSION/HELP assignment to fill`);
text = text
  .replace(version, () => `const VERSION = ${JSON.stringify(pkg.version)};`)
  .replace(helpText, () => `const HELP = ${JSON.stringify(help)};`);
if (!text.startsWith('#!')) text = '#!/usr/bin/env node\n' + text;
writeFileSync(file, text);
chmodSync(file, 0o755);
// A new id per build: caches of derived data (the validated config) are keyed on it.
writeFileSync(`${root}dist/build-id`, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}\n`);
