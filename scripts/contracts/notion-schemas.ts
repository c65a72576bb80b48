// Regenerates test/fixtures/contracts/notion.schemas.json: JSON Schemas of the Notion request bodies and responses the
// docs provider uses, derived by ts-json-schema-generator from the pinned @notionhq/client's TypeScript types (see
// notion-types.ts). The limits the types cannot express (2,000 characters per rich-text item, 100 blocks per children
// array) are added by the fake, test/helpers/contract/notion-fake.ts. Run after upgrading the SDK:
//   node --import tsx scripts/contracts/notion-schemas.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

export const NOTION_CONTRACT_TYPES = [
  'AppendBlockChildrenBody',
  'AppendBlockChildrenResponse',
  'CreatePageBody',
  'CreatePageResponse',
  'UpdatePageBody',
  'UpdatePageResponse',
  'GetPageResponse',
  'DeleteBlockResponse',
  'UpdateBlockBody',
  'UpdateBlockResponse',
  'ListBlockChildrenResponse',
  'GetDatabaseResponse',
  'QueryDataSourceBody',
  'QueryDataSourceResponse',
  'GetSelfResponse',
] as const;

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const generator = createGenerator({
    path: resolve(root, 'scripts/contracts/notion-types.ts'),
    tsconfig: resolve(root, 'tsconfig.json'),
    skipTypeCheck: true,
    expose: 'all',
    topRef: true,
    jsDoc: 'none',
    // Closed objects: a property the SDK's types do not declare is one Notion would reject or ignore.
    additionalProperties: false,
  });
  const definitions: Record<string, unknown> = {};
  for (const type of NOTION_CONTRACT_TYPES) {
    const schema = generator.createSchema(type) as { definitions?: Record<string, unknown> };
    Object.assign(definitions, schema.definitions);
  }
  const pkg = createRequire(import.meta.url)('@notionhq/client/package.json') as { version: string };
  const client = readFileSync(resolve(root, 'node_modules/@notionhq/client/build/src/Client.js'), 'utf8');
  const notionVersion = /defaultNotionVersion = "([^"]+)"/.exec(client)?.[1] ?? 'unknown';
  const out = {
    $comment: `@notionhq/client ${pkg.version}, Notion-Version ${notionVersion}; generated, do not edit`,
    sdkVersion: pkg.version,
    notionVersion,
    definitions,
  };
  const file = resolve(root, 'test/fixtures/contracts/notion.schemas.json');
  writeFileSync(file, `${JSON.stringify(out)}\n`);
  process.stdout.write(
    `wrote ${file} (${Object.keys(definitions).length} definitions, ${Math.round(JSON.stringify(out).length / 1024)} KB)\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
