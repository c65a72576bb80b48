// GitLab's published JSON Schema for .gitlab-ci.yml, as the gitlab-ci-local package ships it (pinned): its bundle
// inlines GitLab's ci.json as an object literal. We find that literal with the TypeScript parser (never by evaluating
// the bundle) and turn it back into JSON.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';

const SCHEMA_ID = 'https://gitlab.com/.gitlab-ci.yml';

export function gitlabCiSchema(): Record<string, unknown> {
  const bundle = createRequire(import.meta.url).resolve('gitlab-ci-local');
  const source = ts.createSourceFile(bundle, readFileSync(bundle, 'utf8'), ts.ScriptTarget.Latest, false);
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isObjectLiteralExpression(node) && node.properties.some(isSchemaId)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found)
    throw new Error(
      `no object literal with $id ${SCHEMA_ID} in ${bundle}: has gitlab-ci-local changed its bundle?`,
    );
  return toJson(found) as Record<string, unknown>;
}

function isSchemaId(p: ts.ObjectLiteralElementLike): boolean {
  return (
    ts.isPropertyAssignment(p) &&
    (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
    p.name.text === '$id' &&
    ts.isStringLiteral(p.initializer) &&
    p.initializer.text === SCHEMA_ID
  );
}

function keyOf(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
  throw new Error(`unexpected ${ts.SyntaxKind[name.kind]} key in the schema literal`);
}

function toJson(node: ts.Expression): unknown {
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p))
        throw new Error(`unexpected ${ts.SyntaxKind[p.kind]} in the schema literal`);
      out[keyOf(p.name)] = toJson(p.initializer);
    }
    return out;
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => toJson(e));
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isParenthesizedExpression(node)) return toJson(node.expression);
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    // minified booleans (!0, !1) and negative numbers
    if (node.operator === ts.SyntaxKind.ExclamationToken) return !Number(node.operand.text);
    if (node.operator === ts.SyntaxKind.MinusToken) return -Number(node.operand.text);
  }
  throw new Error(`unexpected ${ts.SyntaxKind[node.kind]} in the schema literal`);
}
