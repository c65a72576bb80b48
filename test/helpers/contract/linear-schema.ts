// The committed Linear schema fixture and the SDK's own operation documents, loaded once per test file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';

export const linearSchemaPath = fileURLToPath(
  new URL('../../fixtures/contracts/linear-schema.graphql', import.meta.url),
);

let cached: GraphQLSchema | undefined;

export function linearSchema(): GraphQLSchema {
  cached ??= buildSchema(readFileSync(linearSchemaPath, 'utf8'));
  return cached;
}

/** The SDK version recorded in the fixture's header line. */
export function linearSchemaVersion(): string | undefined {
  return /@linear\/sdk (\S+)/.exec(readFileSync(linearSchemaPath, 'utf8').split('\n', 1)[0] ?? '')?.[1];
}
