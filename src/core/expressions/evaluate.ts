// Evaluates a checked expression AST over a plain scope with GitHub Actions' semantics: missing properties are null,
// `==` compares loosely and strings case-insensitively, `&&`/`||` return an operand. Only own properties are read,
// so nothing on a prototype (constructor, __proto__) is reachable.
import { ExpressionError, parseExpression, type Expr } from './parse.js';

export interface EvalContext {
  scope: Readonly<Record<string, unknown>>;
  /** For success()/failure(): did an earlier step fail? */
  failed?: boolean | undefined;
}

export function evaluateExpression(source: string, context: EvalContext): unknown {
  return evaluate(parseExpression(source), context);
}

export function evaluate(expr: Expr, context: EvalContext): unknown {
  switch (expr.type) {
    case 'Literal':
      return expr.value;
    case 'Identifier':
      return own(context.scope, expr.name);
    case 'Member': {
      const object = evaluate(expr.object, context);
      const key = expr.computed ? evaluate(expr.property, context) : (expr.property as { name: string }).name;
      return own(object, key);
    }
    case 'Unary': {
      const value = evaluate(expr.argument, context);
      return expr.operator === '!' ? !truthy(value) : -toNumber(value);
    }
    case 'Binary': {
      const left = evaluate(expr.left, context);
      if (expr.operator === '&&') return truthy(left) ? evaluate(expr.right, context) : left;
      if (expr.operator === '||') return truthy(left) ? left : evaluate(expr.right, context);
      const right = evaluate(expr.right, context);
      switch (expr.operator) {
        case '==':
          return looseEquals(left, right);
        case '!=':
          return !looseEquals(left, right);
        default:
          return compare(expr.operator, left, right);
      }
    }
    case 'Call':
      return call(
        expr.name,
        expr.args.map((a) => evaluate(a, context)),
        context,
      );
  }
}

/** Missing is `undefined` (compares like null) so interpolation can tell "not set" from a real null. */
function own(object: unknown, key: unknown): unknown {
  if (object === null || typeof object !== 'object') return undefined;
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  const name = String(key);
  if (Array.isArray(object)) {
    const index = Number(name);
    return Number.isInteger(index) && index >= 0 && index < object.length
      ? (object[index] as unknown)
      : undefined;
  }
  return Object.hasOwn(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value.trim());
  return NaN;
}

function looseEquals(a: unknown, b: unknown): boolean {
  const na = a ?? null;
  const nb = b ?? null;
  if (typeof na === 'string' && typeof nb === 'string') return na.toLowerCase() === nb.toLowerCase();
  if (typeof na === 'object' || typeof nb === 'object') {
    if (na === null && nb === null) return true;
    if (na !== null && typeof na === 'object') return na === nb;
    if (nb !== null && typeof nb === 'object') return na === nb;
  }
  if (typeof na === typeof nb) return na === nb;
  return toNumber(na) === toNumber(nb);
}

function compare(operator: '<' | '<=' | '>' | '>=', a: unknown, b: unknown): boolean {
  let x: string | number;
  let y: string | number;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a.toLowerCase();
    y = b.toLowerCase();
  } else {
    x = toNumber(a);
    y = toNumber(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
  }
  switch (operator) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

/** How a value reads inside a string (format, interpolation): objects as JSON, null as ''. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function call(name: string, args: unknown[], context: EvalContext): unknown {
  const [a, b] = args;
  switch (name) {
    case 'contains':
      if (Array.isArray(a)) return a.some((item) => looseEquals(item, b));
      return stringify(a).toLowerCase().includes(stringify(b).toLowerCase());
    case 'startsWith':
      return stringify(a).toLowerCase().startsWith(stringify(b).toLowerCase());
    case 'endsWith':
      return stringify(a).toLowerCase().endsWith(stringify(b).toLowerCase());
    case 'format':
      return stringify(a).replace(/\{(\d+)\}/g, (all, n: string) =>
        Number(n) + 1 < args.length ? stringify(args[Number(n) + 1]) : all,
      );
    case 'join':
      return Array.isArray(a) ? a.map(stringify).join(b === undefined ? ',' : stringify(b)) : stringify(a);
    case 'toJSON':
      return JSON.stringify(a ?? null, null, 2);
    case 'fromJSON':
      try {
        return JSON.parse(stringify(a)) as unknown;
      } catch {
        throw new ExpressionError(`fromJSON() got text that is not JSON: ${stringify(a).slice(0, 60)}`);
      }
    case 'success':
      return !context.failed;
    case 'failure':
      return Boolean(context.failed);
    case 'always':
      return true;
    default:
      throw new ExpressionError(`unknown function ${name}()`);
  }
}
