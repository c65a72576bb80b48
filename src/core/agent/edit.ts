// edit_file's exact-once replacement, with errors that help the model retry: where a near match is, or where the
// several matches are. Files with CRLF line endings keep them.

export type EditResult = { ok: true; text: string; line: number } | { ok: false; error: string };

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function allIndexes(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

/** A hint for zero matches: the first line of old_string found with different indentation or spacing. */
function nearMatch(text: string, oldString: string): string {
  const first = oldString
    .split('\n')
    .find((l) => l.trim())
    ?.trim();
  if (!first) return '';
  const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
  const lines = text.split('\n');
  const at = lines.findIndex((l) => squash(l) === squash(first));
  if (at >= 0)
    return ` A line like your first line is at line ${at + 1} ("${lines[at]!.trim().slice(0, 120)}"): read the file around it and copy the text exactly, including whitespace.`;
  return ' Read the file again (read_file) and copy the exact text, including indentation.';
}

export function applyEdit(original: string, oldString: string, newString: string): EditResult {
  if (!oldString)
    return {
      ok: false,
      error: 'old_string is empty. To create a file or replace all of it, use write_file.',
    };
  if (oldString === newString)
    return { ok: false, error: 'old_string and new_string are the same: nothing would change.' };
  let from = oldString;
  let to = newString;
  if (original.includes('\r\n') && !from.includes('\r')) {
    from = from.replace(/\n/g, '\r\n');
    to = to.replace(/\r?\n/g, '\r\n');
  }
  const found = allIndexes(original, from);
  if (found.length === 0)
    return { ok: false, error: `old_string was not found in the file.${nearMatch(original, oldString)}` };
  if (found.length > 1) {
    const lines = found.slice(0, 10).map((i) => lineOf(original, i));
    return {
      ok: false,
      error: `old_string occurs ${found.length} times (at lines ${lines.join(', ')}${found.length > 10 ? ', …' : ''}); it must occur exactly once. Include more surrounding lines to make it unique.`,
    };
  }
  const index = found[0]!;
  return {
    ok: true,
    text: original.slice(0, index) + to + original.slice(index + from.length),
    line: lineOf(original, index),
  };
}
