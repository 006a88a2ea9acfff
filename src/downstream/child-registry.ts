// Every process group of a stdio server that may still hold a live process, so that even an abrupt
// exit kills them: `exit` handlers run synchronously, so a SIGKILL to each group there is the last
// thing that can still prevent an orphan. A group stays listed after its leader exits, until the
// transport has seen the rest of it (a wrapper's children) gone.
import { signalGroup } from './process-group.js';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackChild(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllChildren);
  }
}

export function untrackChild(pgid: number): void {
  liveGroups.delete(pgid);
}

/** SIGKILL to every tracked group, wrappers and their children alike. */
export function killAllChildren(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

export function countLiveChildren(): number {
  return liveGroups.size;
}
