// Cuts a vendor OpenAPI document down to the operations a provider uses, keeping every component they reference, so
// the contract fakes load a small committed file instead of a 13 MB spec. Regenerate after an SDK/spec upgrade:
//   node --import tsx scripts/contracts/trim-openapi.ts test/fixtures/contracts/github.manifest.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface TrimManifest {
  /** One output per source document, e.g. api.github.com and an Enterprise Server release. */
  documents: { source: string; output: string; optional?: string[] }[];
  /** operationIds every document must have (unless listed in that document's `optional`). */
  operations: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The trimmed document and the operationIds the source did not have. */
export function trimOpenApi(
  doc: JsonObject,
  operationIds: readonly string[],
): { doc: JsonObject; missing: string[] } {
  const wanted = new Set(operationIds);
  const found = new Set<string>();
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(doc.paths as JsonObject)) {
    const kept: JsonObject = {};
    for (const [key, value] of Object.entries(item as JsonObject)) {
      const id = (value as JsonObject | null)?.operationId;
      if (METHODS.includes(key) && typeof id === 'string' && wanted.has(id)) {
        kept[key] = value;
        found.add(id);
      }
    }
    if (Object.keys(kept).length === 0) continue;
    // Path-level parameters apply to every kept operation.
    if ((item as JsonObject).parameters) kept.parameters = (item as JsonObject).parameters!;
    paths[path] = kept;
  }

  // Follow $refs transitively from the kept paths into #/components/<section>/<name>.
  const components: Record<string, JsonObject> = {};
  const source = doc.components as Record<string, JsonObject>;
  const queue: Json[] = [paths];
  while (queue.length) {
    const node = queue.pop()!;
    if (Array.isArray(node)) {
      queue.push(...node);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const match = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
      if (!match) throw new Error(`unsupported $ref ${ref}`);
      const [, section, name] = match as unknown as [string, string, string];
      const target = source[section]?.[name];
      if (target === undefined) throw new Error(`dangling $ref ${ref}`);
      components[section] ??= {};
      if (!(name in components[section])) {
        components[section][name] = target;
        queue.push(target);
      }
    }
    for (const [key, value] of Object.entries(node)) if (key !== '$ref') queue.push(value);
  }
  for (const section of Object.values(components)) sortKeys(section);

  return {
    doc: {
      openapi: doc.openapi!,
      info: {
        ...(doc.info as JsonObject),
        description: `Trimmed by scripts/contracts/trim-openapi.ts to ${found.size} operations. Do not edit by hand.`,
      },
      servers: doc.servers ?? [],
      paths,
      components,
    },
    missing: operationIds.filter((id) => !found.has(id)),
  };
}

function sortKeys(object: JsonObject): void {
  const entries = Object.entries(object).sort(([a], [b]) => a.localeCompare(b));
  for (const [key] of entries) delete object[key];
  for (const [key, value] of entries) object[key] = value;
}

function main(manifestPath: string): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const manifest = JSON.parse(readFileSync(resolve(root, manifestPath), 'utf8')) as TrimManifest;
  for (const entry of manifest.documents) {
    const doc = JSON.parse(readFileSync(resolve(root, entry.source), 'utf8')) as JsonObject;
    const { doc: trimmed, missing } = trimOpenApi(doc, manifest.operations);
    const unexpected = missing.filter((id) => !(entry.optional ?? []).includes(id));
    if (unexpected.length) throw new Error(`${entry.source} has no operation ${unexpected.join(', ')}`);
    writeFileSync(resolve(root, entry.output), JSON.stringify(trimmed) + '\n');
    const size = Math.round(JSON.stringify(trimmed).length / 1024);
    process.stdout.write(
      `wrote ${entry.output} (${Object.keys(trimmed.paths as JsonObject).length} paths, ${size} KB)\n`,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const manifest = process.argv[2];
  if (!manifest) {
    process.stderr.write('usage: node --import tsx scripts/contracts/trim-openapi.ts <manifest.json>\n');
    process.exit(2);
  }
  main(manifest);
}
