// The watch dashboard (a TTY without --output): what the watcher is looking for, the queue, the running runs with their
// current step and cost, runs waiting for a person (with the command that answers them), recent results, and spend
// today and this month against the monthly budget. Every line is cut to the terminal width.
import { Box, Text } from 'ink';
import { formatUsd } from '../run-state.js';
import { fit } from '../run-progress.js';
import type { WatchView } from './watch-state.js';

const STATUS_COLOR: Record<string, string> = {
  succeeded: 'green',
  failed: 'red',
  budget_exceeded: 'red',
  rejected: 'red',
  interrupted: 'yellow',
};

function Section({ title, count, width }: { title: string; count: number; width: number }) {
  return (
    <Text bold wrap="truncate">
      {fit(`${title} (${count})`, width)}
    </Text>
  );
}

export function WatchDashboard({ view, width }: { view: WatchView; width: number }) {
  const w = Math.max(40, width);
  const budget = view.monthlyBudgetUsd
    ? ` of ${formatUsd(view.monthlyBudgetUsd)} (${Math.round((view.monthUsd / view.monthlyBudgetUsd) * 100)}%)`
    : '';
  const header = `aidev watch · ${view.filter || 'no filter'} · every ${view.intervalS} s · ${view.concurrency} at once`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {fit(header, w)}
      </Text>
      <Text dimColor wrap="truncate">
        {fit(
          `ledger ${view.ledger} · polls ${view.polls}${view.lastPollAt ? ` · last ${view.lastPollAt.slice(11, 19)}` : ''}`,
          w,
        )}
      </Text>
      <Section title="queue" count={view.queue.length} width={w} />
      {view.queue.map((q) => (
        <Text key={q.taskId} dimColor wrap="truncate">
          {fit(`  ${q.taskId}  ${q.note}`, w)}
        </Text>
      ))}
      <Section title="running" count={view.running.length} width={w} />
      {view.running.map((r) => (
        <Text key={r.runId} color="yellow" wrap="truncate">
          {fit(
            `  ${r.taskId}  ${r.runId}${r.resumed ? ' (resumed)' : ''}  ${r.step ?? 'starting'}  ${formatUsd(r.costUsd)}`,
            w,
          )}
        </Text>
      ))}
      <Section title="waiting for approval" count={view.awaiting.length} width={w} />
      {view.awaiting.map((a) => (
        <Text key={a.runId} color="magenta" wrap="truncate">
          {fit(`  ${a.taskId}  ${a.next}`, w)}
        </Text>
      ))}
      <Section title="done" count={view.done.length} width={w} />
      {view.done.map((d) => (
        <Text key={d.runId} color={STATUS_COLOR[d.status]} wrap="truncate">
          {fit(`  ${d.taskId}  ${d.status}  ${formatUsd(d.costUsd)}  ${d.runId}`, w)}
        </Text>
      ))}
      {view.notes.map((n, i) => (
        <Text key={i} color="yellow" wrap="truncate">
          {fit(`! ${n}`, w)}
        </Text>
      ))}
      {view.stopping ? (
        <Text color="yellow" wrap="truncate">
          {fit(`stopping (${view.stopping})`, w)}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate">
        {fit(`cost today ${formatUsd(view.todayUsd)} · this month ${formatUsd(view.monthUsd)}${budget}`, w)}
      </Text>
    </Box>
  );
}
