// npm run gen: writes the files generated from the config schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema, configMarkdown, exampleYaml } from '../src/core/config/generate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
writeFileSync(`${root}docs/aidevrc.schema.json`, JSON.stringify(configJsonSchema(), null, 2) + '\n');
writeFileSync(`${root}docs/config.md`, configMarkdown());
writeFileSync(`${root}.aidevrc.example.yaml`, exampleYaml());
process.stdout.write('wrote docs/aidevrc.schema.json, docs/config.md, .aidevrc.example.yaml\n');
