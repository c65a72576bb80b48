#!/usr/bin/env node
// The aidev binary. CommonJS with the version and top-level help inlined at build time, so `--version` and `--help`
// cost about a bare `node`. Everything else loads src/cli/main.js (the only other place that decides anything).
'use strict';

type CliModule = { main(argv: string[], hooks: { exit(code: number): void }): Promise<number> };

const VERSION: string = '__AIDEV_VERSION__';
const HELP: string = '__AIDEV_HELP__';

const argv = process.argv.slice(2);
const only = argv.length === 1 ? argv[0] : undefined;

const nodeMajor = Number(process.versions.node.split('.')[0]);

if (nodeMajor < 22) {
  // Newer syntax and APIs fail deep inside dependencies on old Node; say it plainly instead.
  process.stderr.write(
    `error: aidev needs Node.js 22 or newer; this is ${process.version}\n  hint: install Node 22+ (nodejs.org, nvm, fnm, volta) and run aidev again\n`,
  );
  process.exitCode = 2;
} else if (only === '--version' || only === '-V') {
  process.stdout.write(VERSION + '\n');
} else if (argv.length === 0 || only === '--help' || only === '-h') {
  process.stdout.write(HELP);
} else {
  try {
    // Caches compiled code of the slow path between runs (Node ≥ 22.1).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose: no ESM loader on the fast path
    (require('node:module') as { enableCompileCache?: () => void }).enableCompileCache?.();
  } catch {
    // best effort
  }
  import('../src/cli/main.js')
    .then((cli: CliModule) => cli.main(argv, { exit: (code: number) => process.exit(code) }))
    .then((code: number) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
