// Optional provider capabilities beyond the five category interfaces: a code host that can create repositories
// (`aidev plan --scaffold`) and a provider that can prove its credentials (`aidev doctor`). Callers test for them with
// the guards below, so adding one never breaks a provider that lacks it.
import type { VcsProvider } from './types.js';

export interface NewRepository {
  name: string;
  /** An organization (or group/workspace); empty for the authenticated user's own account. */
  owner?: string | undefined;
  description?: string | undefined;
  /** Default true: a scaffolded repository starts private. */
  private?: boolean | undefined;
}

export interface CreatedRepository {
  /** `owner/name`. */
  name: string;
  webUrl: string;
  cloneUrl: string;
  sshUrl: string | null;
  defaultBranch: string;
}

export interface RepositoryCreator {
  createRepository(input: NewRepository, opts?: { signal?: AbortSignal }): Promise<CreatedRepository>;
}

export function canCreateRepository(vcs: VcsProvider): vcs is VcsProvider & RepositoryCreator {
  return typeof (vcs as Partial<RepositoryCreator>).createRepository === 'function';
}

export interface AuthStatus {
  ok: boolean;
  /** Who the credentials belong to (login, email, account name). */
  identity: string | null;
  /** One line for doctor: scopes held, the site, or what is wrong. */
  detail: string;
  /** How to fix it when not ok. */
  hint?: string | undefined;
}

export interface AuthChecker {
  /** One cheap authenticated request (GitHub `GET /user`, Jira `myself`); never throws for a refused credential. */
  checkAuth(opts?: { signal?: AbortSignal }): Promise<AuthStatus>;
}

export function canCheckAuth(provider: object): provider is AuthChecker {
  return typeof (provider as Partial<AuthChecker>).checkAuth === 'function';
}
