// Validates values against named definitions of a generated JSON Schema document (e.g. one derived from an SDK's
// TypeScript types by ts-json-schema-generator), for contract fakes whose vendor publishes no OpenAPI document.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

export interface SchemaCheck {
  /** Messages for each way `value` breaks the definition `name` (empty when it conforms). */
  check(name: string, value: unknown): string[];
}

export function loadSchemaCheck(file: string): SchemaCheck {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, unknown> };
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  ajv.addSchema({ $id: 'contract', definitions: doc.definitions });
  const cache = new Map<string, ValidateFunction>();
  return {
    check(name, value) {
      if (!(name in doc.definitions)) throw new Error(`the contract has no definition ${name}`);
      let validate = cache.get(name);
      if (!validate) {
        validate = ajv.compile({ $ref: `contract#/definitions/${encodeURIComponent(name)}` });
        cache.set(name, validate);
      }
      if (validate(value)) return [];
      // anyOf errors list every branch; the deepest path is usually the real culprit.
      const errors = [...(validate.errors ?? [])].sort(
        (a, b) => b.instancePath.length - a.instancePath.length,
      );
      return errors
        .slice(0, 3)
        .map(
          (e) =>
            `${name}${e.instancePath} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
        );
    },
  };
}
