// The Ink review of a plan: a collapsible tree of epics and tasks (estimates, dependencies), the selected task's
// details, and the four actions. It only reports the person's choice; editing and regenerating happen outside it.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { totalEstimate } from '../../core/plan/markdown.js';
import { countsOf, type Plan } from '../../core/plan/schema.js';
import {
  initialTree,
  moveCursor,
  setAll,
  toggle,
  visibleRows,
  windowOf,
  type TreeRow,
} from './tree-state.js';

export type ReviewUiChoice =
  | { kind: 'accept' }
  | { kind: 'edit' }
  | { kind: 'regenerate'; feedback: string }
  | { kind: 'reject'; reason?: string | undefined }
  /** Ctrl-C: the terminal is in raw mode, so it arrives as a key rather than SIGINT. */
  | { kind: 'interrupt' };

export interface PlanReviewProps {
  plan: Plan;
  planId: string;
  tracker: string;
  round: number;
  /** A line to show above the actions: what the last edit did, or why it was refused. */
  note?: { text: string; level: 'info' | 'error' } | undefined;
  /** Rows of the tree shown at once. */
  height?: number | undefined;
  width?: number | undefined;
  onChoice(choice: ReviewUiChoice): void;
}

type Mode = { kind: 'browse' } | { kind: 'feedback'; text: string } | { kind: 'reject'; text: string };

export function PlanReview(props: PlanReviewProps) {
  const { plan } = props;
  const [tree, setTree] = useState(() => initialTree(plan));
  const [mode, setMode] = useState<Mode>({ kind: 'browse' });
  const [done, setDone] = useState(false);
  const rows = visibleRows(plan, tree);
  const width = props.width ?? 100;

  const choose = (choice: ReviewUiChoice) => {
    if (done) return;
    setDone(true);
    props.onChoice(choice);
  };

  useInput((input, key) => {
    if (done) return;
    if (key.ctrl && input === 'c') return choose({ kind: 'interrupt' });
    if (mode.kind !== 'browse') {
      if (key.escape) return setMode({ kind: 'browse' });
      if (key.return) {
        const text = mode.text.trim();
        if (mode.kind === 'feedback')
          return text ? choose({ kind: 'regenerate', feedback: text }) : undefined;
        return choose({ kind: 'reject', reason: text || undefined });
      }
      if (key.backspace || key.delete) return setMode({ ...mode, text: mode.text.slice(0, -1) });
      if (input && !key.ctrl && !key.meta) setMode({ ...mode, text: mode.text + input });
      return;
    }
    if (key.upArrow || input === 'k') return setTree((t) => moveCursor(plan, t, -1));
    if (key.downArrow || input === 'j') return setTree((t) => moveCursor(plan, t, 1));
    if (key.pageUp) return setTree((t) => moveCursor(plan, t, -(props.height ?? 18)));
    if (key.pageDown) return setTree((t) => moveCursor(plan, t, props.height ?? 18));
    if (key.rightArrow || input === 'l') return setTree((t) => toggle(plan, t, true));
    if (key.leftArrow || input === 'h') return setTree((t) => toggle(plan, t, false));
    if (key.return || input === ' ') return setTree((t) => toggle(plan, t));
    if (input === '+') return setTree((t) => setAll(plan, t, true));
    if (input === '-') return setTree((t) => setAll(plan, t, false));
    if (input === 'a') return choose({ kind: 'accept' });
    if (input === 'e') return choose({ kind: 'edit' });
    if (input === 'r') return setMode({ kind: 'feedback', text: '' });
    if (input === 'x') return setMode({ kind: 'reject', text: '' });
  });

  const counts = countsOf(plan);
  const points = totalEstimate(plan);
  const view = windowOf(rows, tree.cursor, props.height ?? 18);
  const selected = rows[tree.cursor];
  return (
    <Box flexDirection="column">
      <Text bold>{fit(`Plan ${props.planId} · ${plan.project.name}`, width)}</Text>
      <Text dimColor>
        {fit(
          `${counts.epics} epics · ${counts.tasks} tasks · ${counts.dependencies} dependencies${points ? ` · ${points} points` : ''} · for the ${props.tracker} tracker${props.round > 1 ? ` · draft ${props.round}` : ''}`,
          width,
        )}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {view.start > 0 ? <Text dimColor>{`  ↑ ${view.start} more`}</Text> : null}
        {view.rows.map((row, i) => (
          <Row key={row.key} row={row} selected={view.start + i === tree.cursor} width={width} />
        ))}
        {view.start + view.rows.length < rows.length ? (
          <Text dimColor>{`  ↓ ${rows.length - view.start - view.rows.length} more`}</Text>
        ) : null}
      </Box>
      {selected?.kind === 'task' ? <Details row={selected} width={width} /> : null}
      {props.note ? (
        <Box marginTop={1} flexDirection="column">
          {props.note.text.split('\n').map((line, i) => (
            <Text key={i} color={props.note?.level === 'error' ? 'red' : 'green'}>
              {fit(line, width)}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        {done ? (
          <Text dimColor>…</Text>
        ) : mode.kind === 'feedback' ? (
          <Text>
            {'What should the next draft change? '}
            <Text color="cyan">{mode.text}</Text>
            <Text dimColor>{'▏ (Enter: regenerate, Esc: back)'}</Text>
          </Text>
        ) : mode.kind === 'reject' ? (
          <Text>
            {'Reject the plan. Why? (optional) '}
            <Text color="cyan">{mode.text}</Text>
            <Text dimColor>{'▏ (Enter: reject, Esc: back)'}</Text>
          </Text>
        ) : (
          <Box flexDirection="column">
            <Text dimColor>{fit('↑↓ move · → ← open/fold · +/- open/fold all', width)}</Text>
            <Text>
              {fit('[a] approve · [e] edit in $EDITOR · [r] regenerate with feedback · [x] reject', width)}
            </Text>
          </Box>
        )}
      </Box>
    </Box>
  );
}

function Row({ row, selected, width }: { row: TreeRow; selected: boolean; width: number }) {
  const pointer = selected ? '›' : ' ';
  if (row.kind === 'epic') {
    const points = row.epic.tasks.reduce((n, t) => n + (typeof t.estimate === 'number' ? t.estimate : 0), 0);
    const text = `${pointer} ${row.open ? '▾' : '▸'} ${row.epic.key}  ${row.epic.title}  (${row.epic.tasks.length} tasks${points ? `, ${points} pts` : ''})`;
    return (
      <Text bold inverse={selected}>
        {fit(text, width)}
      </Text>
    );
  }
  const { task } = row;
  const est = task.estimate !== undefined ? `  [${task.estimate}]` : '';
  const deps = task.depends_on.length ? `  ← ${task.depends_on.join(', ')}` : '';
  const text = `${pointer}   ${row.last ? '└' : '├'} ${task.key}  ${task.title}${est}${deps}`;
  return <Text inverse={selected}>{fit(text, width)}</Text>;
}

function Details({ row, width }: { row: Extract<TreeRow, { kind: 'task' }>; width: number }) {
  const { task } = row;
  const description = task.description.trim().split('\n').filter(Boolean).slice(0, 3);
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="single" paddingX={1}>
      <Text bold>{fit(`${task.key} · ${task.title}`, width - 4)}</Text>
      {description.map((line, i) => (
        <Text key={`d${i}`}>{fit(line, width - 4)}</Text>
      ))}
      {task.acceptance_criteria.slice(0, 5).map((c, i) => (
        <Text key={`c${i}`} color="green">
          {fit(`✓ ${c}`, width - 4)}
        </Text>
      ))}
      {task.labels.length ? (
        <Text dimColor>{fit(`labels: ${task.labels.join(', ')}`, width - 4)}</Text>
      ) : null}
    </Box>
  );
}

export function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
