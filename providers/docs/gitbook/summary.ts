// SUMMARY.md, GitBook's table of contents under Git Sync: one `* [Title](path)` entry per aidev page, kept in an
// "aidev" group so the team's own entries are never reordered or touched.
const GROUP = '## aidev';

export function upsertSummaryEntry(summary: string | null, title: string, path: string): string {
  const entry = `* [${title.replace(/[[\]]/g, '\\$&')}](${path})`;
  const lines = (summary ?? '# Table of contents\n').replace(/\n+$/, '').split('\n');
  const existing = lines.findIndex((l) => l.trimStart().startsWith('* [') && l.includes(`](${path})`));
  if (existing >= 0) {
    const indent = /^\s*/.exec(lines[existing]!)![0];
    lines[existing] = indent + entry;
    return `${lines.join('\n')}\n`;
  }
  let group = lines.findIndex((l) => l.trim() === GROUP);
  if (group < 0) {
    lines.push('', GROUP, '');
    group = lines.length - 2;
  }
  // The group's entries run to the next heading (or the end).
  let end = lines.findIndex((l, i) => i > group && /^#{1,6}\s/.test(l));
  if (end < 0) end = lines.length;
  // Trailing blank lines end the group; the one right under its heading stays.
  while (end > group + 2 && lines[end - 1]!.trim() === '') end--;
  lines.splice(end, 0, entry);
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
