// Writes test/fixtures/contracts/linear-schema.graphql from the installed @linear/sdk. Run after bumping the SDK:
//   node --import tsx test/helpers/contract/write-linear-schema.ts
import { writeFileSync } from 'node:fs';
import { deriveLinearSchemaSdl, linearSdkSource } from './linear-schema-from-sdk.js';
import { linearSchemaPath } from './linear-schema.js';

writeFileSync(linearSchemaPath, deriveLinearSchemaSdl());
process.stdout.write(`wrote ${linearSchemaPath} for @linear/sdk ${linearSdkSource().version}\n`);
