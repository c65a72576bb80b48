// One gate of the combined view, answered with single keys under the runs' blocks: approve, reject (with an optional
// reason), feedback, or page through the details (the diff). It only reports the answer; the queue resolves the gate.
// Its input puts the terminal in raw mode, so Ctrl-C arrives here as a key and is handed back as 'interrupt'.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { ApprovalRequest } from '../core/approvals.js';
import type { ApprovalAnswer } from './approval-queue.js';
import { fit } from './run-progress.js';

export type PanelChoice = ApprovalAnswer | { kind: 'interrupt' };

export interface ApprovalPanelProps {
  request: ApprovalRequest;
  /** Whose gate it is: the task id (and title) in the prompt. */
  taskId: string;
  title?: string | undefined;
  /** Gates waiting, this one included. */
  waiting: number;
  width: number;
  /** Rows of the details shown at once. */
  pageLines: number;
  /**
   * Keys (but Ctrl-C) are ignored this long after the gate appears, so a key meant for the gate before it (a double
   * press, type-ahead) does not answer this one unseen.
   */
  armMs?: number | undefined;
  onChoice(choice: PanelChoice): void;
}

export const ARM_MS = 400;

type Mode =
  | { kind: 'choose' }
  | { kind: 'details'; offset: number }
  | { kind: 'reject'; text: string }
  | { kind: 'feedback'; text: string };

const DIFF_COLOR = (line: string): string | undefined => {
  if (line.startsWith('+') && !line.startsWith('+++')) return 'green';
  if (line.startsWith('-') && !line.startsWith('---')) return 'red';
  if (line.startsWith('@@')) return 'cyan';
  return undefined;
};

export function ApprovalPanel(props: ApprovalPanelProps) {
  const { request, width } = props;
  const [mode, setMode] = useState<Mode>({ kind: 'choose' });
  const [done, setDone] = useState(false);
  const [armedAt] = useState(() => Date.now() + (props.armMs ?? ARM_MS));
  const details = request.details ? request.details.split('\n') : [];
  const page = Math.max(3, props.pageLines);
  const lastOffset = Math.max(0, details.length - page);
  const feedback = request.allowFeedback !== false;

  const choose = (choice: PanelChoice) => {
    if (done) return;
    setDone(true);
    props.onChoice(choice);
  };

  useInput((input, key) => {
    if (done) return;
    if (key.ctrl && input === 'c') return choose({ kind: 'interrupt' });
    if (Date.now() < armedAt) return;
    if (mode.kind === 'reject' || mode.kind === 'feedback') {
      if (key.escape) return setMode({ kind: 'choose' });
      if (key.return) {
        const text = mode.text.trim();
        if (mode.kind === 'reject') return choose({ kind: 'reject', reason: text || undefined });
        return text ? choose({ kind: 'feedback', feedback: text }) : undefined;
      }
      if (key.backspace || key.delete) return setMode({ ...mode, text: mode.text.slice(0, -1) });
      if (input && !key.ctrl && !key.meta) setMode({ ...mode, text: mode.text + input });
      return;
    }
    if (mode.kind === 'details') {
      const to = (offset: number) =>
        setMode({ kind: 'details', offset: Math.min(lastOffset, Math.max(0, offset)) });
      if (key.escape || input === 'q') return setMode({ kind: 'choose' });
      if (key.downArrow || input === 'j') return to(mode.offset + 1);
      if (key.upArrow || input === 'k') return to(mode.offset - 1);
      if (key.pageDown || input === ' ') return to(mode.offset + page);
      if (key.pageUp || input === 'b') return to(mode.offset - page);
      return;
    }
    if (input === 'a') return choose({ kind: 'approve' });
    if (input === 'x') return setMode({ kind: 'reject', text: '' });
    if (input === 'f' && feedback) return setMode({ kind: 'feedback', text: '' });
    if (input === 'd' && details.length) return setMode({ kind: 'details', offset: 0 });
  });

  const who = [props.taskId, props.title].filter(Boolean).join(' ');
  const rule = `── approval · ${who} · step ${request.stepId}${props.waiting > 1 ? ` · ${props.waiting - 1} more waiting` : ''} `;
  // A long summary (a diffstat) keeps its head and its last line, the totals.
  const all = request.summary ? request.summary.split('\n') : [];
  const summary = all.length > 3 ? [...all.slice(0, 2), `… ${all.length - 3} more`, all.at(-1)!] : all;
  return (
    <Box flexDirection="column">
      <Text color="magenta" bold wrap="truncate">
        {fit(rule.padEnd(width, '─'), width)}
      </Text>
      <Text wrap="truncate">{fit(`${props.taskId}: ${request.message}`, width)}</Text>
      {summary.map((line, i) => (
        <Text key={i} dimColor wrap="truncate">
          {fit(`  ${line}`, width)}
        </Text>
      ))}
      {mode.kind === 'details' ? (
        <Box flexDirection="column">
          {details.slice(mode.offset, mode.offset + page).map((line, i) => (
            <Text key={mode.offset + i} color={DIFF_COLOR(line)} wrap="truncate">
              {fit(line, width)}
            </Text>
          ))}
          <Text dimColor wrap="truncate">
            {fit(
              `lines ${mode.offset + 1}-${Math.min(details.length, mode.offset + page)} of ${details.length} · ↑↓ j k scroll · space b page · q back`,
              width,
            )}
          </Text>
        </Box>
      ) : null}
      {done ? (
        <Text dimColor>…</Text>
      ) : mode.kind === 'reject' ? (
        <Text wrap="truncate">
          {`Reject ${props.taskId}. Why? (optional) `}
          <Text color="cyan">{mode.text}</Text>
          <Text dimColor>{'▏ (Enter: reject, Esc: back)'}</Text>
        </Text>
      ) : mode.kind === 'feedback' ? (
        <Text wrap="truncate">
          {`Feedback for ${props.taskId}'s next attempt: `}
          <Text color="cyan">{mode.text}</Text>
          <Text dimColor>{'▏ (Enter: send, Esc: back)'}</Text>
        </Text>
      ) : mode.kind === 'choose' ? (
        <Text wrap="truncate">
          {fit(
            [
              '[a] approve',
              '[x] reject',
              feedback ? '[f] feedback' : '',
              details.length ? `[d] details (${details.length} lines)` : '',
              'Ctrl-C stops all runs',
            ]
              .filter(Boolean)
              .join(' · '),
            width,
          )}
        </Text>
      ) : null}
    </Box>
  );
}
