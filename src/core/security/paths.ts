// File paths the agent asks for, confined to the worktree: resolved with realpath (so `..` and symlinks that lead
// outside are refused) and checked against security.blocked_paths, on the path asked for and on where it really leads.
import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AidevError } from '../errors.js';
import type { GlobMatcher } from './glob.js';

export interface ConfinedPath {
  /** Absolute real path (symlinks resolved) inside the worktree. */
  abs: string;
  /** Path relative to the worktree root, with forward slashes. */
  rel: string;
}

export function denied(message: string, hint?: string): AidevError {
  return new AidevError('POLICY_DENIED', message, { hint });
}

/** `.git` is never readable or writable by the agent: hooks and config there run outside any sandbox. */
export function isGitInternal(rel: string): boolean {
  return rel.split('/').includes('.git');
}

export function confinePath(root: string, requested: string, blocked: GlobMatcher): ConfinedPath {
  if (typeof requested !== 'string' || !requested.trim()) throw denied('a path is required');
  if (requested.includes('\0')) throw denied('the path contains a NUL byte');
  const target = resolve(root, requested);
  const lexical = toRel(root, target);
  if (lexical === null)
    throw denied(`${requested} is outside the worktree`, 'use a path relative to the repository root');
  checkBlocked(lexical, requested, blocked);
  const real = realTarget(target);
  const rel = toRel(root, real);
  if (rel === null)
    throw denied(
      `${requested} leads outside the worktree (through a symbolic link)`,
      'only files inside the repository can be used',
    );
  if (rel !== lexical) checkBlocked(rel, requested, blocked);
  return { abs: real, rel };
}

function checkBlocked(rel: string, requested: string, blocked: GlobMatcher): void {
  if (isGitInternal(rel)) throw denied(`${requested} is inside .git, which the agent may not touch`);
  if (rel && blocked(rel))
    throw denied(
      `${requested} is a blocked path (security.blocked_paths)`,
      'secrets stay out of reach; work without this file',
    );
}

/** Relative path with forward slashes, or null when `abs` is not inside `root`. */
function toRel(root: string, abs: string): string | null {
  const rel = relative(root, abs);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/**
 * Realpath of the deepest part that exists, plus the parts that do not exist yet (a file about to be written).
 * A broken symbolic link is refused: where it points cannot be checked before something is created there.
 */
function realTarget(target: string): string {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    let exists = true;
    try {
      lstatSync(current);
    } catch {
      exists = false;
    }
    if (exists) {
      let real: string;
      try {
        real = realpathSync(current);
      } catch {
        throw denied(`${target} is a broken symbolic link`, 'remove the link or write to another path');
      }
      return missing.length ? join(real, ...missing.reverse()) : real;
    }
    const parent = resolve(current, '..');
    if (parent === current) return target;
    missing.push(current.slice(parent.length).replace(/^[\\/]/, ''));
    current = parent;
  }
}
