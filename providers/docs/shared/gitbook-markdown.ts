// A page as GitBook reads markdown (Git Sync, and the API's markdown documents): the first `# ` heading is the page
// title, so the body's headings move into GitBook's three content levels (## to ####).
import type { DocBlock } from './doc-model.js';
import { plainText } from './doc-model.js';
import { markdownToDoc } from './markdown-in.js';
import { docToMarkdown } from './markdown-out.js';

export function docToGitbook(title: string, doc: DocBlock[]): string {
  // A body that opens with the title as its own `# ` heading would show it twice.
  const first = doc[0];
  const body =
    first?.type === 'heading' && first.level === 1 && plainText(first.content).trim() === title.trim()
      ? doc.slice(1)
      : doc;
  const heading = `# ${title.replace(/\n/g, ' ')}\n`;
  return body.length ? `${heading}\n${docToMarkdown(body, { minHeading: 2, maxHeading: 4 })}` : heading;
}

/** A GitBook page back into its title and body. */
export function gitbookToDoc(markdown: string): { title: string | null; doc: DocBlock[] } {
  const doc = markdownToDoc(markdown.replace(/^---\n[\s\S]*?\n---\n/, ''));
  const first = doc[0];
  if (first?.type === 'heading' && first.level === 1)
    return { title: plainText(first.content), doc: doc.slice(1) };
  return { title: null, doc };
}
