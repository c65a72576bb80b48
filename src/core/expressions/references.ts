// Finds the variables an expression reads, as property chains (`steps.plan.outputs.files` → ['steps','plan','outputs','files']),
// so the loader can check them against the workflow before anything runs.
import type { Expr } from './parse.js';

export function referencesOf(expr: Expr): string[][] {
  const out: string[][] = [];
  const visit = (node: Expr): void => {
    const chain = chainOf(node);
    if (chain) {
      out.push(chain.path);
      chain.rest.forEach(visit);
      return;
    }
    switch (node.type) {
      case 'Member':
        visit(node.object);
        visit(node.property);
        return;
      case 'Unary':
        visit(node.argument);
        return;
      case 'Binary':
        visit(node.left);
        visit(node.right);
        return;
      case 'Call':
        node.args.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return out;
}

/** A chain rooted at an identifier; computed parts that are not literals end it (and are visited on their own). */
function chainOf(node: Expr): { path: string[]; rest: Expr[] } | undefined {
  if (node.type === 'Identifier') return { path: [node.name], rest: [] };
  if (node.type !== 'Member') return undefined;
  const inner = chainOf(node.object);
  if (!inner) return undefined;
  if (!node.computed && node.property.type === 'Identifier')
    return { path: [...inner.path, node.property.name], rest: inner.rest };
  if (
    node.computed &&
    node.property.type === 'Literal' &&
    (typeof node.property.value === 'string' || typeof node.property.value === 'number')
  ) {
    return { path: [...inner.path, String(node.property.value)], rest: inner.rest };
  }
  // A dynamic index: the chain is known up to here; the index expression has its own references.
  return { path: inner.path, rest: [...inner.rest, node.property] };
}
