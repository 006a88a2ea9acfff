// Every live sandbox process and every runner directory, so that even an abrupt exit of the
// gateway kills the processes and removes the directories: `exit` handlers run synchronously, so a
// SIGKILL and an rmSync there are the last chance. (A gateway killed with SIGKILL runs no handler;
// then the sandboxes see their stdin close and exit by themselves, and the directory stays.)
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const liveChildren = new Set<ChildProcess>();
const liveDirectories = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', cleanUpOnExit);
}

export function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  installExitHook();
}

export function untrackChild(child: ChildProcess): void {
  liveChildren.delete(child);
}

export function trackDirectory(path: string): void {
  liveDirectories.add(path);
  installExitHook();
}

export function untrackDirectory(path: string): void {
  liveDirectories.delete(path);
}

function cleanUpOnExit(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveChildren.clear();
  for (const path of liveDirectories) rmSync(path, { recursive: true, force: true });
  liveDirectories.clear();
}
