import { describe, expect, it } from 'vitest';
import {
  evaluateExpression,
  ExpressionError,
  parseExpression,
  parseTemplate,
  referencesOf,
  renderTemplate,
} from './index.js';

const scope = {
  inputs: { deploy: 'true', count: '3' },
  steps: {
    tests: { outputs: { exit_code: 0, files: ['a.ts', 'b.md'] }, outcome: 'success' },
    'run-lint': { outputs: { exit_code: 2 } },
  },
  task: { id: 'T-1', title: 'Fix the Login page', labels: ['bug', 'ui'], assignee: null },
};
const ev = (expr: string, failed = false) => evaluateExpression(expr, { scope, failed });

describe('expressions (GitHub Actions syntax)', () => {
  it('evaluates literals, comparisons and logic', () => {
    expect(ev('1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3')).toBe(true);
    expect(ev("'a' != 'b'")).toBe(true);
    expect(ev('!(1 == 2)')).toBe(true);
    expect(ev('null == null')).toBe(true);
    expect(ev('-1 < 0')).toBe(true);
  });

  it('reads properties, with hyphenated ids, and missing ones compare as null', () => {
    expect(ev('steps.tests.outputs.exit_code == 0')).toBe(true);
    expect(ev('steps.run-lint.outputs.exit_code')).toBe(2);
    expect(ev("steps['run-lint'].outputs.exit_code == 2")).toBe(true);
    expect(ev('steps.nope.outputs.x == null')).toBe(true);
    expect(ev('task.labels[1]')).toBe('ui');
    expect(ev('task.assignee')).toBeNull();
  });

  it('compares loosely and strings case-insensitively, like GitHub', () => {
    expect(ev("task.id == 't-1'")).toBe(true);
    expect(ev('inputs.count == 3')).toBe(true);
    expect(ev("inputs.deploy == 'TRUE'")).toBe(true);
    expect(ev('true == 1')).toBe(true);
    expect(ev("'' == 0")).toBe(true);
  });

  it('&& and || return an operand, so || gives a fallback', () => {
    expect(ev("task.nothing || 'fallback'")).toBe('fallback');
    expect(ev('task.id && task.title')).toBe('Fix the Login page');
  });

  it('has contains, startsWith, endsWith, format, join, toJSON, fromJSON', () => {
    expect(ev("contains(task.labels, 'BUG')")).toBe(true);
    expect(ev("contains(task.title, 'login')")).toBe(true);
    expect(ev("contains(task.labels, 'docs')")).toBe(false);
    expect(ev("startsWith(task.title, 'fix')")).toBe(true);
    expect(ev("endsWith(task.title, 'PAGE')")).toBe(true);
    expect(ev("format('{0}/{1}', task.id, inputs.count)")).toBe('T-1/3');
    expect(ev("join(task.labels, ', ')")).toBe('bug, ui');
    expect(ev("fromJSON('[1,2]')")).toEqual([1, 2]);
    expect(ev('toJSON(task.labels)')).toBe('[\n  "bug",\n  "ui"\n]');
  });

  it('success() and failure() follow earlier failures', () => {
    expect(ev('success()')).toBe(true);
    expect(ev('failure()', true)).toBe(true);
    expect(ev('success()', true)).toBe(false);
    expect(ev('always()', true)).toBe(true);
  });

  it('accepts a bare expression or one wrapped in ${{ }}', () => {
    expect(ev('${{ task.id == "T-1" }}')).toBe(true);
    expect(ev('  ${{task.id}}  ')).toBe('T-1');
  });

  it('never reaches prototypes or runs code', () => {
    expect(ev('task.constructor')).toBeUndefined();
    expect(ev('task.__proto__')).toBeUndefined();
    expect(ev("task['toString']")).toBeUndefined();
    expect(() => parseExpression("task.constructor.constructor('return process')()")).toThrow(
      /calling a property/,
    );
    expect(() => parseExpression('this')).toThrow(ExpressionError);
  });

  it('rejects what GitHub does not have, with a hint', () => {
    const error = (expr: string) => {
      try {
        parseExpression(expr);
      } catch (e) {
        return e as ExpressionError;
      }
      throw new Error(`no error for ${expr}`);
    };
    expect(error('a === b').hint).toBe('use ==');
    expect(error('a + b').message).toMatch(/operator `\+` is not supported/);
    expect(error('a ? b : c').hint).toMatch(/&&/);
    expect(error('[1, 2]').message).toMatch(/array literals/);
    expect(error('contains(a)').message).toBe('`contains()` takes 2 arguments, got 1');
    expect(error('nope()').message).toMatch(/unknown function `nope\(\)`/);
    expect(error('a ==').message).toMatch(/Expected expression after ==/);
    expect(error('').message).toBe('the expression is empty');
  });

  it('lists the variables an expression reads', () => {
    expect(
      referencesOf(
        parseExpression('steps.run-lint.outputs.code == 0 && contains(task.labels, inputs.label)'),
      ),
    ).toEqual([
      ['steps', 'run-lint', 'outputs', 'code'],
      ['task', 'labels'],
      ['inputs', 'label'],
    ]);
    expect(referencesOf(parseExpression('task.labels[inputs.i]'))).toEqual([
      ['task', 'labels'],
      ['inputs', 'i'],
    ]);
  });
});

describe('templates', () => {
  const render = (text: string) => renderTemplate(parseTemplate(text), { scope });

  it('keeps the type of a lone reference and joins mixed text', () => {
    expect(render('${task.labels}')).toEqual(['bug', 'ui']);
    expect(render('${{ steps.tests.outputs.exit_code }}')).toBe(0);
    expect(render('Task ${task.id}: ${task.title} [${task.labels}]')).toBe(
      'Task T-1: Fix the Login page [["bug","ui"]]',
    );
    expect(render("${{ format('{0}!', task.id) }}")).toBe('T-1!');
  });

  it('writes $${ as a literal ${ and leaves other dollars alone', () => {
    expect(render('cost $5 and $${HOME}')).toBe('cost $5 and ${HOME}');
  });

  it('reports a missing value through onMissing, a real null as empty', () => {
    const missing: string[] = [];
    const out = renderTemplate(parseTemplate('${task.assignee}|${task.nope}'), {
      scope,
      onMissing: (source) => {
        missing.push(source);
        return '?';
      },
    });
    expect(out).toBe('|?');
    expect(missing).toEqual(['task.nope']);
  });

  it('finds a closing brace past one inside a string', () => {
    expect(render("${{ format('{0}', task.id) }}")).toBe('T-1');
    expect(() => parseTemplate('${task.id')).toThrow(/unclosed/);
  });
});
