// How the agent's file tools read and write text without corrupting what they touch: files that are not valid
// UTF-8 (Latin-1, Windows-1252) are read and written back byte for byte as Latin-1, and Git LFS pointer files
// (a few lines of text standing for a large binary) are never edited as if they were the content.

export type Encoding = 'utf8' | 'latin1';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(buffer: Buffer): { text: string; encoding: Encoding } {
  try {
    return { text: utf8.decode(buffer), encoding: 'utf8' };
  } catch {
    return { text: buffer.toString('latin1'), encoding: 'latin1' };
  }
}

/** The bytes to write, or why the text cannot be written in the file's encoding. */
export function encodeText(text: string, encoding: Encoding): { bytes: Buffer } | { error: string } {
  if (encoding === 'utf8') return { bytes: Buffer.from(text, 'utf8') };
  const bad = /[^\u0000-\u00ff]/.exec(text);
  if (bad)
    return {
      error: `the file is not UTF-8 (it is kept as Latin-1 bytes) and "${bad[0]}" has no Latin-1 byte: use only Latin-1 characters in this file`,
    };
  return { bytes: Buffer.from(text, 'latin1') };
}

const LFS = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n/;

/** A Git LFS pointer: small, starts with the spec line. */
export function isLfsPointer(buffer: Buffer): boolean {
  return buffer.length < 1024 && LFS.test(buffer.subarray(0, 64).toString('latin1'));
}
