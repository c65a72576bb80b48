// `${…}` interpolation in `with:` values: `${inputs.x}`, `${steps.a.outputs.b}`, or a full `${{ expression }}`.
// A value that is exactly one reference keeps its type (an object stays an object); otherwise the parts are joined as text.
// `$${` writes a literal `${`.
import { evaluate, stringify, type EvalContext } from './evaluate.js';
import { ExpressionError, parseExpression, type Expr } from './parse.js';

export type TemplatePart = { text: string } | { expr: Expr; source: string; offset: number };

export function hasTemplate(value: string): boolean {
  return value.includes('${');
}

/** Splits a string into literal text and expressions; throws ExpressionError (with the offset) on a bad one. */
export function parseTemplate(value: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!value.startsWith('${', i)) {
      text += value[i]!;
      i++;
      continue;
    }
    const wrapped = value[i + 2] === '{';
    const start = i + (wrapped ? 3 : 2);
    const end = findClose(value, start, wrapped ? '}}' : '}');
    if (end < 0) {
      throw new ExpressionError(`unclosed \`${wrapped ? '${{' : '${'}\` in "${value}"`, {
        index: i,
        hint: wrapped ? 'close it with }}' : 'close it with }, or write $${ for a literal ${',
      });
    }
    const source = value.slice(start, end).trim();
    if (text) parts.push({ text });
    text = '';
    let expr: Expr;
    try {
      expr = parseExpression(source);
    } catch (error) {
      if (error instanceof ExpressionError)
        throw new ExpressionError(error.message, { index: i, hint: error.hint });
      throw error;
    }
    parts.push({ expr, source, offset: i });
    i = end + (wrapped ? 2 : 1);
  }
  if (text) parts.push({ text });
  return parts;
}

function findClose(value: string, from: number, close: string): number {
  let quote: string | undefined;
  for (let i = from; i < value.length; i++) {
    const ch = value[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (value.startsWith(close, i)) return i;
  }
  return -1;
}

export interface RenderOptions extends EvalContext {
  /** Called for a reference that is not set (undefined; a real null is kept); may throw or return a replacement. */
  onMissing?: ((source: string) => unknown) | undefined;
}

export function renderTemplate(parts: readonly TemplatePart[], options: RenderOptions): unknown {
  const values = parts.map((part) => {
    if ('text' in part) return part.text;
    const value = evaluate(part.expr, options);
    if (value === undefined && options.onMissing) return options.onMissing(part.source);
    return value;
  });
  if (parts.length === 1 && 'expr' in parts[0]!) return values[0];
  return values.map(stringify).join('');
}
