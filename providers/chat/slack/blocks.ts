// The Block Kit form of a ChatMessage: a headline section, a fields section (task, status, cost, duration…), the link,
// and a context line; within Slack's limits (section text 3000, 10 fields of 2000, 50 blocks).
import type { ChatPostMessageArguments } from '@slack/web-api';
import type { ChatMessage } from '../../types.js';
import { fieldEntries, LEVEL_EMOJI, plainText, truncate } from '../shared/format.js';

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
}
export type SlackBlock =
  | { type: 'section'; text: MrkdwnText }
  | { type: 'section'; fields: MrkdwnText[] }
  | { type: 'context'; elements: MrkdwnText[] };

export const SLACK_LIMITS = {
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  fallbackText: 4000,
  contextText: 2000,
};

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackBlocks(message: ChatMessage): SlackBlock[] {
  const level = message.level ?? 'info';
  const prefix = `${LEVEL_EMOJI[level]} `;
  // Cut the headline inside its *bold* markers, so a long one still closes them.
  const headline = truncate(escapeMrkdwn(message.text), SLACK_LIMITS.sectionText - prefix.length - 2);
  const blocks: SlackBlock[] = [
    { type: 'section', text: mrkdwn(`${prefix}*${headline}*`, SLACK_LIMITS.sectionText) },
  ];
  const fields = fieldEntries(message);
  if (fields.length) {
    const shown = fields.slice(0, SLACK_LIMITS.fields);
    blocks.push({
      type: 'section',
      fields: shown.map((f) =>
        mrkdwn(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
      ),
    });
  }
  if (message.link) {
    const label = escapeMrkdwn(message.link.label ?? 'Open');
    // A `|` or `>` inside the URL would end Slack's <url|label> link early.
    const url = message.link.url.replace(/\|/g, '%7C').replace(/>/g, '%3E');
    blocks.push({ type: 'section', text: mrkdwn(`:link: <${url}|${label}>`, SLACK_LIMITS.sectionText) });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(`aidev · ${level}`, SLACK_LIMITS.contextText)] });
  return blocks;
}

/** The whole chat.postMessage argument: blocks, a plain-text fallback and the thread to reply in. */
export function postMessageArguments(channel: string, message: ChatMessage): ChatPostMessageArguments {
  return {
    channel,
    text: truncate(escapeMrkdwn(plainText(message)), SLACK_LIMITS.fallbackText),
    blocks: slackBlocks(message),
    unfurl_links: false,
    unfurl_media: false,
    ...(message.threadId ? { thread_ts: message.threadId } : {}),
  };
}

function mrkdwn(text: string, max: number): MrkdwnText {
  return { type: 'mrkdwn', text: truncate(text, max) };
}
