// npm run bench: runs every bench/*.bench.mjs in turn (each prints its own figures) and saves them to bench/results/.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();
const all = {};
for (const file of files) {
  process.stdout.write(`\n# ${file}\n`);
  const mod = await import(new URL(file, import.meta.url));
  all[file] = mod.results ?? null;
}
mkdirSync(`${dir}results`, { recursive: true });
writeFileSync(
  `${dir}results/latest.json`,
  JSON.stringify({ at: new Date().toISOString(), node: process.version, results: all }, null, 2) + '\n',
);
process.stdout.write(`\nsaved bench/results/latest.json\n`);
