import { describe, expect, it } from 'vitest';
import type { AdfNode } from './adf-types.js';
import { markdownToAdf } from './from-markdown.js';
import { adfToMarkdown } from './to-markdown.js';
import { markdownToWiki, wikiToMarkdown } from './wiki.js';

const roundTrip = (markdown: string) => adfToMarkdown(markdownToAdf(markdown));

describe('markdown → ADF', () => {
  it('builds headings, paragraphs with line breaks, lists, code and inline marks', () => {
    expect(
      markdownToAdf('## Plan\n\nLine one\nline **two** with `code` and [docs](https://x.test/d)'),
    ).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Plan' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Line one' },
            { type: 'hardBreak' },
            { type: 'text', text: 'line ' },
            { type: 'text', text: 'two', marks: [{ type: 'strong' }] },
            { type: 'text', text: ' with ' },
            { type: 'text', text: 'code', marks: [{ type: 'code' }] },
            { type: 'text', text: ' and ' },
            { type: 'text', text: 'docs', marks: [{ type: 'link', attrs: { href: 'https://x.test/d' } }] },
          ],
        },
      ],
    });
  });

  it('nests lists and keeps fenced code verbatim', () => {
    const doc = markdownToAdf('- a\n  - b\n    1. c\n- d\n\n```ts\nconst x = `*not* markdown`;\n```');
    expect(doc.content[0]).toEqual({
      type: 'bulletList',
      content: [
        {
          type: 'listItem',
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'a' }] },
            {
              type: 'bulletList',
              content: [
                {
                  type: 'listItem',
                  content: [
                    { type: 'paragraph', content: [{ type: 'text', text: 'b' }] },
                    {
                      type: 'orderedList',
                      content: [
                        {
                          type: 'listItem',
                          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'c' }] }],
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'd' }] }] },
      ],
    });
    expect(doc.content[1]).toEqual({
      type: 'codeBlock',
      attrs: { language: 'ts' },
      content: [{ type: 'text', text: 'const x = `*not* markdown`;' }],
    });
  });

  it('links bare URLs (a PR link in a comment is clickable) but leaves snake_case and lone stars alone', () => {
    const [p] = markdownToAdf(
      'PR: https://github.com/acme/api/pull/7. See snake_case_name and 2 * 3.',
    ).content;
    expect(p!.content).toEqual([
      { type: 'text', text: 'PR: ' },
      {
        type: 'text',
        text: 'https://github.com/acme/api/pull/7',
        marks: [{ type: 'link', attrs: { href: 'https://github.com/acme/api/pull/7' } }],
      },
      { type: 'text', text: '. See snake_case_name and 2 * 3.' },
    ]);
  });

  it('never puts another mark beside code (ADF allows code + link only)', () => {
    const [p] = markdownToAdf('**bold `x`** [`y`](https://y.test)').content;
    const codes = (p!.content ?? []).filter((n: AdfNode) => n.marks?.some((m) => m.type === 'code'));
    expect(codes.map((n) => n.marks)).toEqual([
      [{ type: 'code' }],
      [{ type: 'link', attrs: { href: 'https://y.test' } }, { type: 'code' }],
    ]);
  });
});

describe('ADF ↔ markdown round trips', () => {
  it.each([
    ['headings and paragraphs', '# Title\n\n## Sub\n\nSome text.\nA second line.'],
    ['lists', '- one\n- two\n  - nested\n  - more\n    1. deep\n- three'],
    ['ordered lists from n', '3. c\n4. d'],
    ['code blocks', '```python\nprint("hi")\n\nx = 1\n```'],
    ['code without language', '```\nplain\n```'],
    [
      'inline code, links, emphasis',
      'Run `npm test`, read [the docs](https://docs.test/a?b=1), **bold**, *em*, ~~gone~~.',
    ],
    ['bare links', 'PR: https://github.com/acme/api/pull/7'],
    ['nested emphasis', '*a **b** c* and [**bold** link](https://l.test)'],
    ['quotes and rules', '> quoted\n> lines\n\n---\n\nafter'],
    ['text that looks like markup', 'a \\*b\\* \\`c\\` snake_case \\[x\\]'],
    ['line starts that look like blocks', '\\# not a heading\n\\- not a list\n1\\. not ordered'],
  ])('%s', (_name, markdown) => {
    expect(roundTrip(markdown)).toBe(markdown);
    expect(markdownToAdf(roundTrip(markdown))).toEqual(markdownToAdf(markdown));
  });

  it('keeps spaces outside emphasis when marks change mid-sentence', () => {
    const doc: AdfNode = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Fix ', marks: [{ type: 'strong' }] },
            { type: 'text', text: 'now ', marks: [{ type: 'strong' }, { type: 'em' }] },
            { type: 'text', text: 'please' },
          ],
        },
      ],
    };
    expect(adfToMarkdown(doc)).toBe('**Fix *now*** please');
    expect(markdownToAdf('**Fix *now*** please').content[0]!.content!.map((n) => n.text)).toEqual([
      'Fix ',
      'now',
      ' please',
    ]);
  });

  it('reads what Jira writes that markdown lacks as text', () => {
    const doc: AdfNode = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: '5b1', text: '@Alice' } },
            { type: 'text', text: ' see ' },
            { type: 'inlineCard', attrs: { url: 'https://x.test/1' } },
            { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } },
          ],
        },
        {
          type: 'panel',
          attrs: { panelType: 'info' },
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Note' }] }],
        },
        {
          type: 'table',
          content: [
            {
              type: 'tableRow',
              content: [
                {
                  type: 'tableHeader',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'k' }] }],
                },
                {
                  type: 'tableHeader',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'v' }] }],
                },
              ],
            },
            {
              type: 'tableRow',
              content: [
                {
                  type: 'tableCell',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] }],
                },
                {
                  type: 'tableCell',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'b' }] }],
                },
              ],
            },
          ],
        },
        { type: 'mediaSingle', content: [{ type: 'media', attrs: { id: 'x', type: 'file' } }] },
      ],
    };
    expect(adfToMarkdown(doc)).toBe(
      '@Alice see https://x.test/1😄\n\n> Note\n\n| k | v |\n| --- | --- |\n| a | b |\n\n[attachment]',
    );
    expect(adfToMarkdown(null)).toBe('');
  });
});

describe('wiki markup (Jira Data Center)', () => {
  it('writes markdown as wiki markup', () => {
    expect(
      markdownToWiki(
        '## Plan\n\n- a **b**\n  - c\n1. one\n\n`x` [docs](https://d.test) https://pr.test/1\n\n```ts\nlet a = 1;\n```',
      ),
    ).toBe(
      'h2. Plan\n\n* a *b*\n** c\n\n# one\n\n{{x}} [docs|https://d.test] [https://pr.test/1]\n\n{code:ts}\nlet a = 1;\n{code}',
    );
  });

  it('reads wiki markup as markdown', () => {
    expect(
      wikiToMarkdown(
        'h1. Title\n\n* a *bold* and _it_\n** nested\n# first\n\n{code:java}\nint x;\n{code}\nsee [docs|https://d.test] and {{code}} -old-\n----\nbq. quoted',
      ),
    ).toBe(
      '# Title\n\n- a **bold** and *it*\n  - nested\n1. first\n\n```java\nint x;\n```\nsee [docs](https://d.test) and `code` ~~old~~\n---\n> quoted',
    );
  });
});
