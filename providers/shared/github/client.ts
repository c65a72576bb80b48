// The one Octokit factory for the GitHub providers (vcs and tasks): retry on 5xx, throttling that honours primary and
// secondary rate limits (Retry-After) a bounded number of times, base_url for GitHub Enterprise, and Octokit's own log
// routed to aidev's logger. Loaded only from the providers' impl files, so @octokit stays out of startup.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { aidevVersion } from '../../../src/core/paths.js';
import type { Logger } from '../../types.js';

export const GITHUB_API = 'https://api.github.com';

const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;
type ThrottleOptions = NonNullable<NonNullable<ConstructorParameters<typeof GitHubOctokit>[0]>['throttle']>;

export interface GitHubClientOptions {
  token: string;
  baseUrl?: string | undefined;
  logger: Logger;
  /** Rate-limited requests are retried this many times (default 2), each after the wait GitHub asks for. */
  rateLimitRetries?: number | undefined;
  /** Waits longer than this many seconds are not sat out: the request fails with the time to retry (default 120). */
  maxRateLimitWait?: number | undefined;
  /**
   * Octokit paces writes (1 s apart, 3 s for those that notify people) as GitHub recommends. Tests against a loopback
   * fake turn the pacing off; the rate-limit retries stay on.
   */
  pacing?: boolean | undefined;
}

// A Bottleneck-shaped scheduler that runs jobs at once: replaces the throttling plugin's pacing groups when pacing is
// off, without reaching for bottleneck (not a dependency of ours).
const immediateGroup = {
  key: () => ({
    schedule: <A extends unknown[], R>(
      _options: unknown,
      job: (...args: A) => R,
      ...args: A
    ): Promise<Awaited<R>> => Promise.resolve(job(...args)),
  }),
};

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { logger } = options;
  const retries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWait ?? 120;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ): boolean => {
      const again = retryCount < retries && retryAfter <= maxWait;
      logger.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${
          again
            ? `retrying in ${retryAfter}s (retry ${retryCount + 1} of ${retries})`
            : `giving up (retry after ${retryAfter}s)`
        }`,
      );
      return again;
    };
  const pacing =
    options.pacing === false
      ? {
          global: immediateGroup,
          write: immediateGroup,
          search: immediateGroup,
          notifications: immediateGroup,
        }
      : {};
  return new GitHubOctokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? GITHUB_API).replace(/\/+$/, ''),
    userAgent: `aidev/${aidevVersion()}`,
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.debug(message),
    },
    // 429 and 403 belong to the throttling plugin (it reads Retry-After); plugin-retry only retries server errors.
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451], retries: 2 },
    // The pacing stubs are Bottleneck-shaped, not Bottleneck instances, hence the cast.
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      ...pacing,
    } as unknown as ThrottleOptions,
  });
}

/**
 * The web host a GitHub API base URL belongs to, i.e. where its git remotes live: api.github.com → github.com,
 * https://ghe.corp/api/v3 → ghe.corp, api.acme.ghe.com → acme.ghe.com. `host` keeps the port.
 */
export function webOrigin(baseUrl: string | undefined): { protocol: string; host: string } {
  const url = new URL(baseUrl ?? GITHUB_API);
  const host = url.host.replace(/^api\./i, '');
  return { protocol: url.protocol, host: host.toLowerCase() };
}
