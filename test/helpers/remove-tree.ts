// Removing a test's temp folder for good. A run settles its worktree by renaming it and deleting it with a detached
// `rm -rf`; Node's rmSync of a parent folder while that rm is still busy inside returns without an error yet leaves
// the folder behind (reproduced with Node 24). So: remove, look, and try again a bounded number of times.
import { existsSync, rmSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

export function removeTree(dir: string): void {
  for (let attempt = 0; attempt < 40; attempt++) {
    rmSync(dir, { recursive: true, force: true });
    if (!existsSync(dir)) return;
    Atomics.wait(pause, 0, 0, 50);
  }
}
