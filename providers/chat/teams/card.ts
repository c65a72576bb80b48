// The Teams message for a ChatMessage: an Adaptive Card 1.4 in a `message` envelope, the form the Teams "Post to a
// channel when a webhook request is received" workflow posts as is. Not the legacy MessageCard: that belonged to the
// Office 365 connectors Microsoft retired, and Workflows webhooks do not render it.
import type { ChatMessage } from '../../types.js';
import { fieldEntries, LEVEL_ICON, truncate } from '../shared/format.js';

type Color = 'default' | 'good' | 'warning' | 'attention' | 'accent';
const LEVEL_TEXT_COLOR: Record<NonNullable<ChatMessage['level']>, Color> = {
  info: 'accent',
  success: 'good',
  warning: 'warning',
  error: 'attention',
  urgent: 'attention',
};

export type CardElement =
  | {
      type: 'TextBlock';
      text: string;
      wrap: true;
      weight?: 'bolder';
      size?: 'medium';
      color?: Color;
      isSubtle?: true;
    }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };

export interface TeamsMessage {
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        type: 'AdaptiveCard';
        version: '1.4';
        body: CardElement[];
        actions?: { type: 'Action.OpenUrl'; title: string; url: string }[];
        msteams: { width: 'Full' };
      };
    },
  ];
}

/** Teams refuses posts over ~28 KB; text is cut well below that, leaving room for the card's own JSON. */
export const TEAMS_LIMITS = { text: 8000, factValue: 1000, facts: 20, actionTitle: 100 };

export function teamsMessage(message: ChatMessage): TeamsMessage {
  const level = message.level ?? 'info';
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: truncate(`${LEVEL_ICON[level]} ${message.text}`, TEAMS_LIMITS.text),
      wrap: true,
      weight: 'bolder',
      size: 'medium',
      color: LEVEL_TEXT_COLOR[level],
    },
  ];
  const facts = fieldEntries(message)
    .slice(0, TEAMS_LIMITS.facts)
    .map((f) => ({ title: f.label, value: truncate(f.value, TEAMS_LIMITS.factValue) }));
  if (facts.length) body.push({ type: 'FactSet', facts });
  body.push({ type: 'TextBlock', text: `aidev · ${level}`, wrap: true, isSubtle: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(message.link
            ? {
                actions: [
                  {
                    type: 'Action.OpenUrl' as const,
                    title: truncate(message.link.label ?? 'Open', TEAMS_LIMITS.actionTitle),
                    url: message.link.url,
                  },
                ],
              }
            : {}),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
