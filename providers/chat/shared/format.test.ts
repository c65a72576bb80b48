import { describe, expect, it } from 'vitest';
import { fieldEntries, plainText, truncate } from './format.js';

describe('chat formatting', () => {
  it('orders fields task, status, pr, cost, duration, then the rest, with labels', () => {
    const fields = {
      tokens: '12k',
      duration: '3m',
      cost: '$1',
      pr: '#7',
      status: 'done',
      task: 'ENG-1',
      empty: '',
    };
    expect(fieldEntries({ text: 'x', fields }).map((f) => f.label)).toEqual([
      'Task',
      'Status',
      'PR',
      'Cost',
      'Duration',
      'Tokens',
    ]);
  });

  it('writes a plain-text form with the link', () => {
    expect(
      plainText({ text: 'Done', level: 'error', fields: { task: 'A-1' }, link: { url: 'https://x.test' } }),
    ).toBe('❌ Done\nTask: A-1\nLink: https://x.test');
  });

  it('truncates on code points with an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });
});
