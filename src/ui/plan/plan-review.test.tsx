import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { chainPlan, todoPlan } from '../../../test/integration/plan-kit.js';
import { planSchema } from '../../core/plan/schema.js';
import { PlanReview, type ReviewUiChoice } from './plan-review.js';

const DOWN = '\u001B[B';
const RIGHT = '\u001B[C';
const LEFT = '\u001B[D';
const ENTER = '\r';
const ESC = '\u001B';

/** Ink reads input on the next tick; each key gets its own frame. */
const tick = () => new Promise((r) => setTimeout(r, 20));

async function press(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const key of keys) {
    stdin.write(key);
    await tick();
  }
}

function mount(props: Partial<Parameters<typeof PlanReview>[0]> = {}) {
  const choices: ReviewUiChoice[] = [];
  const view = render(
    <PlanReview
      plan={todoPlan()}
      planId="p-1"
      tracker="local"
      round={1}
      width={120}
      height={40}
      onChoice={(c) => choices.push(c)}
      {...props}
    />,
  );
  return { ...view, choices };
}

describe('PlanReview', () => {
  it('shows the counts, the first epic open with estimates and dependencies, the others folded', async () => {
    const { lastFrame, unmount } = mount();
    await tick();
    const frame = lastFrame()!;
    expect(frame).toContain('Plan p-1 · Todo app with auth');
    expect(frame).toContain('5 epics · 25 tasks · 34 dependencies · 64 points · for the local tracker');
    expect(frame).toContain('› ▾ E1  Project foundation  (5 tasks, 9 pts)');
    expect(frame).toContain('├ E1-T4  Add the CI workflow  [2]  ← E1-T2, E1-T3');
    expect(frame).toContain('└ E1-T5  Add configuration from environment variables  [1]  ← E1-T1');
    expect(frame).toContain('▸ E2  Accounts and authentication  (6 tasks, 17 pts)');
    expect(frame).not.toContain('E2-T1');
    expect(frame).toContain('[a] approve · [e] edit in $EDITOR · [r] regenerate with feedback · [x] reject');
    unmount();
  });

  it('moves, opens and folds epics, and shows the selected task in detail', async () => {
    const { lastFrame, stdin, unmount } = mount();
    await tick();
    await press(stdin, DOWN);
    let frame = lastFrame()!;
    expect(frame).toContain('›   ├ E1-T1  Set up the repository and TypeScript build');
    expect(frame).toContain('✓ npm run build compiles with no errors');
    expect(frame).toContain('labels: infra');
    await press(stdin, LEFT);
    frame = lastFrame()!;
    expect(frame).toContain('› ▸ E1  Project foundation');
    expect(frame).not.toContain('E1-T1');
    await press(stdin, DOWN, RIGHT);
    frame = lastFrame()!;
    expect(frame).toContain('› ▾ E2  Accounts and authentication');
    expect(frame).toContain('├ E2-T2  Implement sign-up with password hashing  [3]  ← E2-T1, E1-T5');
    await press(stdin, '+');
    expect(lastFrame()).toContain('E5-T4');
    await press(stdin, '-');
    expect(lastFrame()).not.toContain('E5-T4');
    unmount();
  });

  it('keeps the cursor in view in a long plan', async () => {
    const big = planSchema.parse(chainPlan(60));
    const { lastFrame, stdin, unmount } = mount({ plan: big, height: 10 });
    await tick();
    expect(lastFrame()).toContain('↓ 51 more');
    for (let i = 0; i < 30; i++) stdin.write(DOWN);
    await tick();
    const frame = lastFrame()!;
    expect(frame).toContain('› ');
    expect(frame).toContain('T30  Task 30');
    expect(frame).toMatch(/↑ \d+ more/);
    unmount();
  });

  it('approves with a, and asks for an edit with e', async () => {
    const a = mount();
    await tick();
    await press(a.stdin, 'a');
    expect(a.choices).toEqual([{ kind: 'accept' }]);
    await press(a.stdin, 'e');
    expect(a.choices).toHaveLength(1);
    a.unmount();
    const e = mount();
    await tick();
    await press(e.stdin, 'e');
    expect(e.choices).toEqual([{ kind: 'edit' }]);
    e.unmount();
  });

  it('regenerates with typed feedback; Esc goes back, an empty feedback is not sent', async () => {
    const { lastFrame, stdin, choices, unmount } = mount();
    await tick();
    await press(stdin, 'r');
    expect(lastFrame()).toContain('What should the next draft change?');
    await press(stdin, ENTER);
    expect(choices).toEqual([]);
    await press(stdin, 'x', 'y', ESC);
    expect(lastFrame()).toContain('[a] approve');
    await press(stdin, 'r', ...'More tests', ENTER);
    expect(choices).toEqual([{ kind: 'regenerate', feedback: 'More tests' }]);
    unmount();
  });

  it('rejects with an optional reason, and Ctrl-C interrupts', async () => {
    const x = mount();
    await tick();
    await press(x.stdin, 'x', ...'too big', '\u007F', ENTER);
    expect(x.choices).toEqual([{ kind: 'reject', reason: 'too bi' }]);
    x.unmount();
    const c = mount();
    await tick();
    await press(c.stdin, '\u0003');
    expect(c.choices).toEqual([{ kind: 'interrupt' }]);
    c.unmount();
  });

  it('shows what the last edit did, or where it went wrong', async () => {
    const { lastFrame, unmount } = mount({
      note: {
        level: 'error',
        text: 'the edited plan has 1 problem\n  plan.yaml:12:9: duplicate key "E1-T1"',
      },
    });
    await tick();
    expect(lastFrame()).toContain('plan.yaml:12:9: duplicate key "E1-T1"');
    unmount();
  });
});
