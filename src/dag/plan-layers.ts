// The planner: tasks in layers by depth (a task's layer is one more than its deepest dependency),
// and cycle detection that names the cycle. Pure functions over ids and edges.

export interface TaskNode {
  id: string;
  dependsOn: readonly string[];
}

/** Layers of task ids, in the order the tasks were given within each layer. Assumes no cycle. */
export function planLayers(nodes: readonly TaskNode[]): string[][] {
  const layerOf = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const node of nodes) {
    waiting.set(node.id, node.dependsOn.length);
    for (const dependency of node.dependsOn)
      dependents.set(dependency, [...(dependents.get(dependency) ?? []), node.id]);
  }
  // Kahn's algorithm, iterative: a 1,000-deep chain needs no deep recursion.
  let ready = nodes.filter((node) => node.dependsOn.length === 0).map((node) => node.id);
  for (const id of ready) layerOf.set(id, 0);
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      for (const dependent of dependents.get(id) ?? []) {
        layerOf.set(dependent, Math.max(layerOf.get(dependent) ?? 0, layerOf.get(id)! + 1));
        const left = waiting.get(dependent)! - 1;
        waiting.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    ready = next;
  }
  const layers: string[][] = [];
  for (const node of nodes) (layers[layerOf.get(node.id)!] ??= []).push(node.id);
  return layers;
}

/** One dependency cycle as `[a, b, c, a]`, or undefined when the graph has none. */
export function findCycle(nodes: readonly TaskNode[]): string[] | undefined {
  const dependsOn = new Map(nodes.map((node) => [node.id, node.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of nodes) {
    if (state.has(start.id)) continue;
    // Iterative depth-first search; the stack holds the current path.
    const path: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    state.set(start.id, 'visiting');
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const dependencies = dependsOn.get(top.id) ?? [];
      if (top.next >= dependencies.length) {
        state.set(top.id, 'done');
        path.pop();
        continue;
      }
      const dependency = dependencies[top.next++]!;
      if (!dependsOn.has(dependency)) continue;
      if (state.get(dependency) === 'visiting') {
        const from = path.findIndex((step) => step.id === dependency);
        return [...path.slice(from).map((step) => step.id), dependency];
      }
      if (!state.has(dependency)) {
        state.set(dependency, 'visiting');
        path.push({ id: dependency, next: 0 });
      }
    }
  }
  return undefined;
}
