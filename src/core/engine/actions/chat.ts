// Notification action: chat.notify posts a message (with a link and fields) and keeps the thread for later replies.
import { z } from 'zod';
import type { ChatMessage } from '../../../../providers/types.js';
import type { ProviderAction } from '../types.js';
import { signalOf } from './shared.js';

export const chatActions: ProviderAction[] = [
  {
    name: 'chat.notify',
    description: 'Sends a notification (replies in the run’s thread when there is one)',
    input: z
      .strictObject({
        text: z.string().optional(),
        message: z.string().optional().describe('same as text (specification form)'),
        link: z.string().optional(),
        link_label: z.string().optional(),
        level: z.enum(['info', 'success', 'warning', 'error', 'urgent']).optional(),
        channel: z
          .string()
          .optional()
          .describe('where to post instead of the configured place (Slack); one-place notifiers ignore it'),
        fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .refine((i) => Boolean(i.text ?? i.message), { message: 'chat.notify needs `text:`', path: ['text'] }),
    outputs: ['id', 'thread_id'],
    async run(input, ctx) {
      const i = input as {
        text?: string;
        message?: string;
        link?: string;
        link_label?: string;
        level?: ChatMessage['level'];
        channel?: string;
        fields?: Record<string, string | number | boolean>;
      };
      const chat = await ctx.providers.get('chat');
      const threadId = typeof ctx.state.chat_thread === 'string' ? ctx.state.chat_thread : undefined;
      const message: ChatMessage = {
        text: i.text ?? i.message ?? '',
        link: i.link ? { url: i.link, label: i.link_label } : undefined,
        level: i.level,
        fields: i.fields
          ? Object.fromEntries(Object.entries(i.fields).map(([k, v]) => [k, String(v)]))
          : undefined,
        threadId,
        channel: i.channel,
      };
      const result = await ctx.effect('notify', 'chat.notify', async () => {
        const sent = await chat.notify(message, signalOf(ctx));
        return { externalId: sent.id, result: { id: sent.id, thread_id: sent.threadId } };
      });
      if (result.thread_id && !threadId) ctx.state.chat_thread = result.thread_id;
      return result;
    },
  },
];
