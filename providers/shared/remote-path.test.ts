import { describe, expect, it } from 'vitest';
import { parseRemotePath, redactRemote, tokenMayGoTo } from './remote-path.js';

describe('parseRemotePath', () => {
  it.each([
    ['git@gitlab.com:acme/platform/api.git', 'ssh:', 'gitlab.com', ['acme', 'platform', 'api']],
    [
      'https://gitlab.com/acme/platform/sub/api.git',
      'https:',
      'gitlab.com',
      ['acme', 'platform', 'sub', 'api'],
    ],
    ['ssh://git@gitlab.example.com:2222/acme/api.git', 'ssh:', 'gitlab.example.com:2222', ['acme', 'api']],
    ['https://me:secret@bitbucket.org/acme/api.git/', 'https:', 'bitbucket.org', ['acme', 'api']],
    ['http://127.0.0.1:4000/acme/api', 'http:', '127.0.0.1:4000', ['acme', 'api']],
    ['git+ssh://git@HOST.example/acme/api.git', 'ssh:', 'host.example', ['acme', 'api']],
  ])('%s', (url, protocol, host, segments) => {
    expect(parseRemotePath(url)).toEqual({ protocol, host, segments });
  });

  it.each([
    '/srv/git/api.git',
    'C:\\repos\\api.git',
    'file:///srv/git/acme/api.git',
    'https://gitlab.com/api.git',
    '../api',
  ])('is null for %s', (url) => {
    expect(parseRemotePath(url)).toBeNull();
  });
});

describe('tokenMayGoTo', () => {
  const api = { protocol: 'https:', host: 'gitlab.com' };
  it('allows https remotes on the API host only', () => {
    expect(tokenMayGoTo(parseRemotePath('https://gitlab.com/a/b.git'), api)).toBe(true);
    expect(tokenMayGoTo(parseRemotePath('https://evil.example/a/b.git'), api)).toBe(false);
    expect(tokenMayGoTo(parseRemotePath('git@gitlab.com:a/b.git'), api)).toBe(false);
    expect(tokenMayGoTo(parseRemotePath('http://gitlab.com/a/b.git'), api)).toBe(false);
  });

  it('allows plain http only when the API itself is plain http on that host', () => {
    const loopback = { protocol: 'http:', host: '127.0.0.1:4000' };
    expect(tokenMayGoTo(parseRemotePath('http://127.0.0.1:4000/a/b.git'), loopback)).toBe(true);
    expect(tokenMayGoTo(parseRemotePath('http://127.0.0.1:4001/a/b.git'), loopback)).toBe(false);
  });
});

describe('redactRemote', () => {
  it('drops the user:password part', () => {
    expect(redactRemote('https://me:secret@bitbucket.org/acme/api.git')).toBe(
      'https://bitbucket.org/acme/api.git',
    );
  });
});
