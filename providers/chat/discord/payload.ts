// The Discord "execute webhook" body for a ChatMessage: a short content line and one embed (title, link, colour by
// level, inline fields), cut to Discord's limits: content 2000, title 256, description 4096, 25 fields of 256/1024,
// footer 2048, and 6000 characters across the embed.
import type { ChatMessage } from '../../types.js';
import { fieldEntries, LEVEL_COLOR, LEVEL_ICON, truncate } from '../shared/format.js';

export interface DiscordEmbed {
  title: string;
  url?: string;
  description?: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
  timestamp: string;
}

export interface DiscordWebhookBody {
  content: string;
  username?: string;
  embeds: DiscordEmbed[];
  /** No @everyone, @here, role or user pings from task titles. */
  allowed_mentions: { parse: [] };
}

export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
};

export function discordBody(message: ChatMessage, at: Date, username?: string): DiscordWebhookBody {
  const level = message.level ?? 'info';
  const footer = { text: `aidev · ${level}` };
  const title = truncate(message.link?.label ?? firstLine(message.text), DISCORD_LIMITS.title);
  let budget = DISCORD_LIMITS.embedTotal - title.length - footer.text.length;
  const description =
    message.text.length > title.length || message.link
      ? truncate(message.text, Math.min(DISCORD_LIMITS.description, budget))
      : undefined;
  budget -= description?.length ?? 0;
  const fields: DiscordEmbed['fields'] = [];
  for (const f of fieldEntries(message).slice(0, DISCORD_LIMITS.fields)) {
    const name = truncate(f.label, DISCORD_LIMITS.fieldName);
    const value = truncate(f.value, Math.min(DISCORD_LIMITS.fieldValue, budget - name.length));
    if (!value || budget - name.length - value.length < 0) break;
    budget -= name.length + value.length;
    fields.push({ name, value, inline: true });
  }
  const embed: DiscordEmbed = {
    title,
    ...(message.link ? { url: message.link.url } : {}),
    ...(description ? { description } : {}),
    color: LEVEL_COLOR[level],
    fields,
    footer,
    timestamp: at.toISOString(),
  };
  return {
    content: truncate(`${LEVEL_ICON[level]} ${message.text}`, DISCORD_LIMITS.content),
    ...(username ? { username } : {}),
    embeds: [embed],
    allowed_mentions: { parse: [] },
  };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
