// YAML parsing that keeps node positions, so every config and workflow error can point at file:line:col.
import { isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

export interface SourcePosition {
  line: number;
  col: number;
}

export interface YamlSource {
  file: string;
  value: unknown;
  /** Syntax errors (and warnings promoted to errors), each with its position. */
  errors: { message: string; pos: SourcePosition }[];
  positionOf(path: readonly PropertyKey[]): SourcePosition | undefined;
  /** `file:line:col` for a path, or just the file when the path has no node. */
  where(path: readonly PropertyKey[]): string;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  const toPos = (offset: number): SourcePosition => lineCounter.linePos(offset);
  const errors = doc.errors.map((e) => ({ message: firstLine(e.message), pos: toPos(e.pos[0]) }));
  const tabs = findTabIndent(text);
  if (tabs && !errors.some((e) => e.pos.line === tabs.line)) {
    errors.unshift({ message: 'tab characters cannot indent YAML; use spaces', pos: tabs });
  }
  const value: unknown = errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });

  const positionOf = (path: readonly PropertyKey[]): SourcePosition | undefined => {
    // Walk down as far as the path exists, so an unknown key deep inside still points at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const keys = path.slice(0, depth).map((k) => (typeof k === 'symbol' ? String(k) : k));
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(keys, true);
      const pair = depth > 0 ? keyNodeOf(doc, keys) : undefined;
      const target = pair ?? node;
      if (isNode(target) && target.range) return toPos(target.range[0]);
    }
    return undefined;
  };
  return {
    file,
    value,
    errors,
    positionOf,
    where(path) {
      const pos = positionOf(path);
      return pos ? `${file}:${pos.line}:${pos.col}` : file;
    },
  };
}

/** For `a.b.c`, the key node of `c` (so errors point at the key, where the user looks). */
function keyNodeOf(doc: Document, keys: (string | number)[]): unknown {
  const parent: unknown = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
  const last = keys[keys.length - 1];
  if (parent && typeof parent === 'object' && 'items' in parent && Array.isArray(parent.items)) {
    for (const item of parent.items as unknown[]) {
      if (item && typeof item === 'object' && 'key' in item) {
        const key = item.key;
        if (isScalar(key) && key.value === last) return key;
      }
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function findTabIndent(text: string): SourcePosition | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^( *)\t/.exec(lines[i]!);
    if (match) return { line: i + 1, col: match[1]!.length + 1 };
  }
  return undefined;
}
