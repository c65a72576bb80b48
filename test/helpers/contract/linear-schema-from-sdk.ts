// Rebuilds Linear's GraphQL schema (SDL) from the pinned @linear/sdk's own generated TypeScript types, so the contract
// tests check against the API the installed SDK was generated from (Linear's last published schema.graphql lags it).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const BUILT_IN_SCALARS = new Set(['ID', 'String', 'Boolean', 'Int', 'Float']);

/** The installed SDK version and the .d.mts chunk that holds its generated schema types. */
export function linearSdkSource(): { version: string; file: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@linear/sdk/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
  const dist = join(dirname(pkgPath), 'dist');
  for (const name of readdirSync(dist).filter((n) => n.endsWith('.d.mts'))) {
    const file = join(dist, name);
    if (readFileSync(file, 'utf8').includes('//#region src/_generated_documents.d.ts'))
      return { version: pkg.version, file };
  }
  throw new Error(`no generated documents typings in ${dist}: has the @linear/sdk build layout changed?`);
}

type TypeRef =
  { kind: 'named'; name: string } | { kind: 'list'; of: TypeRef } | { kind: 'nonNull'; of: TypeRef };

interface Field {
  name: string;
  type: TypeRef;
  /** Set for a non-null input value that TypeScript marks optional: the server has a default. */
  hasDefault: boolean;
}

interface Shape {
  name: string;
  fields: Field[];
  /** Interfaces this type intersects (`type Issue = Node & {...}`). */
  bases: string[];
  typename: string | null;
}

/** Reads the typings and prints the schema as SDL, deterministic for one SDK version. */
export function deriveLinearSchemaSdl(): string {
  const { version, file } = linearSdkSource();
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('//#region src/_generated_documents.d.ts');
  const end = text.indexOf('//#endregion', start);
  const source = ts.createSourceFile('generated.d.ts', text.slice(start, end), ts.ScriptTarget.Latest, false);

  const scalars: string[] = [];
  const enums = new Map<string, string[]>();
  const shapes = new Map<string, Shape>();
  const unions = new Map<string, string[]>();

  for (const statement of source.statements) {
    if (ts.isEnumDeclaration(statement)) {
      enums.set(
        statement.name.text,
        statement.members.map((m) =>
          m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : m.name.getText(source),
        ),
      );
      continue;
    }
    if (!ts.isTypeAliasDeclaration(statement) || statement.typeParameters) continue;
    const name = statement.name.text;
    const node = statement.type;
    if (name === 'Scalars' && ts.isTypeLiteralNode(node)) {
      for (const m of node.members) {
        const key = m.name?.getText(source);
        if (key && !BUILT_IN_SCALARS.has(key)) scalars.push(key);
      }
      continue;
    }
    const shape = readShape(name, node, source);
    if (shape) shapes.set(name, shape);
    else if (ts.isUnionTypeNode(node) && node.types.every((t) => ts.isTypeReferenceNode(t)))
      unions.set(
        name,
        node.types.map((t) => (t as ts.TypeReferenceNode).typeName.getText(source)),
      );
  }

  // Output object types name themselves in __typename; operation result types (XQuery, XFragment) do not.
  const objects = [...shapes.values()].filter((s) => s.typename === s.name);
  const objectNames = new Set(objects.map((o) => o.name));
  const interfaces = new Set<string>();
  for (const o of objects) for (const b of o.bases) interfaces.add(b);
  for (const s of shapes.values()) for (const b of s.bases) if (!objectNames.has(s.name)) interfaces.add(b);
  // An interface may also appear only as a field type of an output type.
  const outputNames = new Set([...objectNames, ...interfaces]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of outputNames) {
      for (const f of shapes.get(n)?.fields ?? []) {
        const t = namedOf(f.type);
        const s = shapes.get(t);
        if (s && !outputNames.has(t) && s.typename === null) {
          interfaces.add(t);
          outputNames.add(t);
          grew = true;
        }
      }
    }
  }
  const unionNames = new Set(
    [...unions.keys()].filter((u) => unions.get(u)!.every((m) => objectNames.has(m))),
  );

  // Field arguments are `<Type><Field>Args` aliases, pascal-cased (`attachmentLinkGitHubPR` → `…GitHubPrArgs`),
  // so they are matched without regard to case.
  const byLowerName = new Map([...shapes.values()].map((s) => [s.name.toLowerCase(), s]));
  const argsOf = new Map<string, Shape>();
  for (const n of outputNames)
    for (const f of shapes.get(n)!.fields) {
      const args = byLowerName.get(`${n}${f.name}args`.toLowerCase());
      if (args) argsOf.set(`${n}.${f.name}`, args);
    }
  const argsShapes = new Set([...argsOf.values()].map((s) => s.name));
  const inputs = [...shapes.values()].filter(
    (s) =>
      s.typename === null &&
      !outputNames.has(s.name) &&
      !argsShapes.has(s.name) &&
      !s.name.endsWith('Variables') &&
      s.bases.length === 0,
  );

  const out: string[] = [
    `# Linear GraphQL schema derived from @linear/sdk ${version} (its generated TypeScript types).`,
    '# Generated by test/helpers/contract/linear-schema-from-sdk.ts: do not edit; regenerate with',
    '#   node --import tsx test/helpers/contract/write-linear-schema.ts',
    '# Server-side defaults are not in the typings: a non-null input value the SDK marks optional gets a placeholder default.',
    '',
    'schema {\n  query: Query\n  mutation: Mutation' +
      (objectNames.has('Subscription') ? '\n  subscription: Subscription' : '') +
      '\n}',
    '',
    'directive @oneOf on INPUT_OBJECT',
    '',
  ];
  for (const s of [...scalars].sort()) out.push(`scalar ${s}`, '');
  for (const [n, values] of [...enums].sort(byKey))
    out.push(`enum ${n} {\n${values.map((v) => `  ${v}`).join('\n')}\n}`, '');
  const printInput = (f: Field): string => printInputValue(f, enums, new Set(scalars));
  const printField = (owner: string, f: Field): string => {
    const args = argsOf.get(`${owner}.${f.name}`);
    const argText = args?.fields.length ? `(${args.fields.map(printInput).join(', ')})` : '';
    return `  ${f.name}${argText}: ${printType(f.type)}`;
  };
  for (const n of [...interfaces].sort()) {
    const s = shapes.get(n)!;
    out.push(
      `interface ${n}${implementsText(s.bases)} {\n${s.fields.map((f) => printField(n, f)).join('\n')}\n}`,
      '',
    );
  }
  for (const o of objects.sort(byName))
    out.push(
      `type ${o.name}${implementsText(o.bases)} {\n${o.fields.map((f) => printField(o.name, f)).join('\n')}\n}`,
      '',
    );
  for (const u of [...unionNames].sort()) out.push(`union ${u} = ${unions.get(u)!.join(' | ')}`, '');
  for (const i of inputs.sort(byName))
    out.push(`input ${i.name} {\n${i.fields.map((f) => '  ' + printInput(f)).join('\n')}\n}`, '');
  return out.join('\n');
}

function readShape(name: string, node: ts.TypeNode, source: ts.SourceFile): Shape | null {
  const parts = ts.isIntersectionTypeNode(node) ? [...node.types] : [node];
  const literals = parts.filter(ts.isTypeLiteralNode);
  const refs = parts.filter(ts.isTypeReferenceNode);
  if (literals.length !== 1 || refs.length + literals.length !== parts.length) return null;
  // Pick<>/Exact<>/Omit<> mark operation types, not schema types.
  if (refs.some((r) => r.typeArguments)) return null;
  const shape: Shape = {
    name,
    fields: [],
    bases: refs.map((r) => r.typeName.getText(source)),
    typename: null,
  };
  for (const member of literals[0]!.members) {
    if (!ts.isPropertySignature(member) || !member.type) return null;
    const key = member.name.getText(source);
    if (key === '__typename') {
      const t = member.type;
      shape.typename = ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : null;
      continue;
    }
    const type = readType(member.type, source);
    if (!type) return null;
    const optional = member.questionToken !== undefined;
    const nullable = type.nullable;
    shape.fields.push({
      name: key,
      type: nullable ? type.ref : { kind: 'nonNull', of: type.ref },
      hasDefault: optional && !nullable,
    });
  }
  return shape;
}

function readType(node: ts.TypeNode, source: ts.SourceFile): { ref: TypeRef; nullable: boolean } | null {
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(source);
    const arg = node.typeArguments?.[0];
    if ((name === 'Maybe' || name === 'InputMaybe') && arg) {
      const inner = readType(arg, source);
      return inner && { ref: inner.ref, nullable: true };
    }
    if (name === 'Array' && arg) {
      const inner = readType(arg, source);
      if (!inner) return null;
      return {
        ref: { kind: 'list', of: inner.nullable ? inner.ref : { kind: 'nonNull', of: inner.ref } },
        nullable: false,
      };
    }
    if (node.typeArguments) return null;
    return { ref: { kind: 'named', name }, nullable: false };
  }
  if (ts.isIndexedAccessTypeNode(node)) {
    const index = node.indexType;
    if (ts.isLiteralTypeNode(index) && ts.isStringLiteral(index.literal))
      return { ref: { kind: 'named', name: index.literal.text }, nullable: false };
  }
  return null;
}

function namedOf(t: TypeRef): string {
  return t.kind === 'named' ? t.name : namedOf(t.of);
}

function printType(t: TypeRef): string {
  if (t.kind === 'named') return t.name;
  if (t.kind === 'list') return `[${printType(t.of)}]`;
  return `${printType(t.of)}!`;
}

function printInputValue(f: Field, enums: Map<string, string[]>, scalars: Set<string>): string {
  const base = `${f.name}: ${printType(f.type)}`;
  if (!f.hasDefault) return base;
  // Any value of the type works as a placeholder: it only makes the argument optional, as the server's default does.
  const t = f.type.kind === 'nonNull' ? f.type.of : f.type;
  if (t.kind === 'list') return `${base} = []`;
  const name = namedOf(t);
  const value =
    enums.get(name)?.[0] ??
    ({ Boolean: 'false', Int: '0', Float: '0' } as Record<string, string>)[name] ??
    (BUILT_IN_SCALARS.has(name) || scalars.has(name) ? '""' : undefined);
  // An input object default would need its required fields; leave such a value nullable rather than guess.
  return value === undefined ? `${f.name}: ${printType(t)}` : `${base} = ${value}`;
}

function implementsText(bases: string[]): string {
  return bases.length ? ` implements ${bases.join(' & ')}` : '';
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byKey(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
