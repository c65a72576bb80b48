// The expression language of `if:` and `${…}`: parse (jsep, checked), evaluate (own code, no eval), references, templates.
export { ExpressionError, FUNCTIONS, parseExpression, unwrapExpression, type Expr } from './parse.js';
export { evaluate, evaluateExpression, stringify, truthy, type EvalContext } from './evaluate.js';
export { referencesOf } from './references.js';
export {
  hasTemplate,
  parseTemplate,
  renderTemplate,
  type RenderOptions,
  type TemplatePart,
} from './template.js';
