// Parses the `if:` expression language (GitHub Actions' syntax) with jsep, then checks the AST against the small
// subset we evaluate. Nothing here runs code: evaluate.ts walks the checked AST over a plain scope.
import jsep from 'jsep';

export type Expr =
  | { type: 'Literal'; value: string | number | boolean | null }
  | { type: 'Identifier'; name: string }
  | { type: 'Member'; object: Expr; property: Expr; computed: boolean }
  | { type: 'Unary'; operator: '!' | '-'; argument: Expr }
  | { type: 'Binary'; operator: BinaryOperator; left: Expr; right: Expr }
  | { type: 'Call'; name: FunctionName; args: Expr[] };

export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';
const BINARY = new Set<string>(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/** Function name → [min, max] argument count. */
export const FUNCTIONS = {
  contains: [2, 2],
  startsWith: [2, 2],
  endsWith: [2, 2],
  format: [1, Infinity],
  join: [1, 2],
  toJSON: [1, 1],
  fromJSON: [1, 1],
  success: [0, 0],
  failure: [0, 0],
  always: [0, 0],
} as const satisfies Record<string, readonly [number, number]>;
export type FunctionName = keyof typeof FUNCTIONS;

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  /** 0-based offset in the expression text, when known. */
  readonly index: number | undefined;
  readonly hint: string | undefined;
  constructor(message: string, options: { index?: number | undefined; hint?: string | undefined } = {}) {
    super(message);
    this.index = options.index;
    this.hint = options.hint;
  }
}

/** Strips an optional `${{ … }}` wrapper: GitHub users write both forms. */
export function unwrapExpression(source: string): string {
  const trimmed = source.trim();
  const match = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  return match ? match[1]!.trim() : trimmed;
}

const cache = new Map<string, Expr>();

/** Parses and checks one expression; throws ExpressionError with a position and a hint. */
export function parseExpression(source: string): Expr {
  const text = unwrapExpression(source);
  const cached = cache.get(text);
  if (cached) return cached;
  if (text === '')
    throw new ExpressionError('the expression is empty', {
      hint: 'write a condition such as `inputs.deploy == true`',
    });
  let node: jsep.Expression;
  try {
    node = jsep(hyphenPathsToIndex(text));
  } catch (error) {
    const e = error as { description?: string; index?: number; message: string };
    throw new ExpressionError(`cannot parse \`${text}\`: ${e.description ?? e.message}`, {
      index: e.index,
      hint: 'expressions use GitHub Actions syntax: literals, == != < <= > >= && || !, parentheses, a.b.c and functions like contains(a, b)',
    });
  }
  const expr = check(node, text);
  if (cache.size > 1000) cache.clear();
  cache.set(text, expr);
  return expr;
}

function check(node: jsep.Expression, text: string): Expr {
  switch (node.type) {
    case 'Literal': {
      const value = (node as jsep.Literal).value;
      if (value instanceof RegExp) throw unsupported('regular expressions', text);
      return { type: 'Literal', value };
    }
    case 'Identifier':
      return { type: 'Identifier', name: (node as jsep.Identifier).name };
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      if (m.optional)
        throw unsupported('`?.`', text, 'property access already yields null for missing values');
      return {
        type: 'Member',
        object: check(m.object, text),
        property: check(m.property, text),
        computed: m.computed,
      };
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (u.operator !== '!' && u.operator !== '-') throw unsupported(`the operator \`${u.operator}\``, text);
      return { type: 'Unary', operator: u.operator, argument: check(u.argument, text) };
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      if (!BINARY.has(b.operator)) {
        const hint = b.operator === '===' ? 'use ==' : b.operator === '!==' ? 'use !=' : undefined;
        throw unsupported(`the operator \`${b.operator}\``, text, hint);
      }
      return {
        type: 'Binary',
        operator: b.operator as BinaryOperator,
        left: check(b.left, text),
        right: check(b.right, text),
      };
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      if (c.callee.type !== 'Identifier')
        throw unsupported('calling a property', text, 'call a function by name, e.g. contains(a, b)');
      const name = (c.callee as jsep.Identifier).name;
      if (!Object.hasOwn(FUNCTIONS, name)) {
        throw new ExpressionError(`unknown function \`${name}()\` in \`${text}\``, {
          hint: `the functions are ${Object.keys(FUNCTIONS)
            .map((f) => f + '()')
            .join(', ')}`,
        });
      }
      const [min, max] = FUNCTIONS[name as FunctionName];
      if (c.arguments.length < min || c.arguments.length > max) {
        const want = min === max ? String(min) : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        throw new ExpressionError(
          `\`${name}()\` takes ${want} argument${want === '1' ? '' : 's'}, got ${c.arguments.length}`,
          {
            hint: `e.g. ${example(name as FunctionName)}`,
          },
        );
      }
      return { type: 'Call', name: name as FunctionName, args: c.arguments.map((a) => check(a, text)) };
    }
    case 'ConditionalExpression':
      throw unsupported('`? :`', text, 'use `cond && a || b`');
    case 'ArrayExpression':
      throw unsupported('array literals', text, "use contains('a b c', x) or fromJSON('[1,2]')");
    case 'Compound':
    case 'SequenceExpression':
      throw new ExpressionError(`\`${text}\` holds more than one expression`, {
        hint: 'join conditions with && or ||',
      });
    case 'ThisExpression':
      throw unsupported('`this`', text);
    default:
      throw unsupported(`\`${node.type}\``, text);
  }
}

function unsupported(what: string, text: string, hint?: string): ExpressionError {
  return new ExpressionError(`${what} is not supported in expressions (\`${text}\`)`, {
    hint:
      hint ??
      'expressions support literals, == != < <= > >= && || !, parentheses, a.b.c and the functions contains, startsWith, endsWith, success(), failure()',
  });
}

function example(name: FunctionName): string {
  switch (name) {
    case 'contains':
      return "contains(task.labels, 'bug')";
    case 'startsWith':
      return "startsWith(task.title, 'fix')";
    case 'endsWith':
      return "endsWith(inputs.file, '.md')";
    case 'format':
      return "format('{0}-{1}', task.id, run.id)";
    case 'join':
      return "join(task.labels, ', ')";
    case 'toJSON':
      return 'toJSON(steps.plan.outputs)';
    case 'fromJSON':
      return "fromJSON('[1, 2]')";
    default:
      return `${name}()`;
  }
}

/**
 * GitHub allows hyphens in names after a dot (`steps.run-tests.outputs.code`); jsep would read a minus sign. Outside
 * string literals, rewrite `.a-b` into `['a-b']` (there is no arithmetic in this language, so nothing is lost).
 */
export function hyphenPathsToIndex(text: string): string {
  if (!text.includes('-')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '.') {
      const match = /^\.([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+)/.exec(text.slice(i));
      if (match) {
        out += `['${match[1]!}']`;
        i += match[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

function endOfString(text: string, start: number): number {
  const quote = text[start]!;
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === quote) {
      // GitHub escapes a quote by doubling it: 'it''s'.
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}
