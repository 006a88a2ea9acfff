// Every live child process of the gateway, so that even an abrupt exit kills them: `exit` handlers
// run synchronously, so a SIGKILL there is the last thing that can still prevent an orphan.
import type { ChildProcess } from 'node:child_process';

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

export function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllChildren);
  }
}

export function untrackChild(child: ChildProcess): void {
  liveChildren.delete(child);
}

export function killAllChildren(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveChildren.clear();
}

export function countLiveChildren(): number {
  return liveChildren.size;
}
