// What the chat providers share: level icons and colours, field order and labels, the plain-text form of a message and
// truncation to a vendor's limit. No vendor shapes here; each provider builds its own payload from these.
import type { ChatMessage } from '../../types.js';

export type Level = NonNullable<ChatMessage['level']>;

export const LEVEL_EMOJI: Record<Level, string> = {
  info: ':information_source:',
  success: ':white_check_mark:',
  warning: ':warning:',
  error: ':x:',
  urgent: ':rotating_light:',
};

export const LEVEL_ICON: Record<Level, string> = {
  info: 'ℹ️',
  success: '✅',
  warning: '⚠️',
  error: '❌',
  urgent: '🚨',
};

/** RGB colours by level: blue, green, amber, red, and a darker red for urgent. */
export const LEVEL_COLOR: Record<Level, number> = {
  info: 0x3b82f6,
  success: 0x22c55e,
  warning: 0xf59e0b,
  error: 0xef4444,
  urgent: 0xb91c1c,
};

const FIRST = ['task', 'status', 'pr', 'cost', 'duration'];

/** Fields in a stable order (task, status, pr, cost, duration, then the rest), with labels for people. */
export function fieldEntries(message: ChatMessage): { label: string; value: string }[] {
  const entries = Object.entries(message.fields ?? {}).filter(([, v]) => v !== '');
  const rank = (k: string): number => {
    const i = FIRST.indexOf(k.toLowerCase());
    return i === -1 ? FIRST.length : i;
  };
  return entries
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => ({ label: labelOf(key), value }));
}

function labelOf(key: string): string {
  if (key.toLowerCase() === 'pr') return 'PR';
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One readable line-based text: the fallback for notifications and screen readers. */
export function plainText(message: ChatMessage): string {
  const lines = [`${LEVEL_ICON[message.level ?? 'info']} ${message.text}`];
  const facts = fieldEntries(message).map((f) => `${f.label}: ${f.value}`);
  if (facts.length) lines.push(facts.join(' · '));
  if (message.link) lines.push(`${message.link.label ?? 'Link'}: ${message.link.url}`);
  return lines.join('\n');
}

/** Cuts to `max` characters (code points are not split), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
