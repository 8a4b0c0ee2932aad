/**
 * Livelock under weak fairness, found on the explored state graph after the search.
 *
 * A thread t is livelocked when some cycle of the graph (a) contains steps of t, (b) contains no
 * step of t that made progress, and (c) is weakly fair: every thread enabled at every state of the
 * cycle takes a step in it. For each t we drop t's progress edges, split the rest into strongly
 * connected components, and test each component that holds a t-step: it holds a fair cycle iff
 * every thread either has a step inside it or is disabled at one of its states (a component is
 * strongly connected, so one cycle can pass through all those edges and states; and if some thread
 * is enabled everywhere in it and never steps inside it, no cycle inside it is fair).
 *
 * Limits: only edges the search explored are in the graph, so a reduced or cut search can miss a
 * livelock (never invent one: every edge is a real transition). Memory is a few numbers per edge.
 */
import type { ScheduleStep } from './system';

export class StateGraph {
  readonly threads: readonly string[];
  /** Per node: which threads are enabled there. */
  private readonly enabled: boolean[][] = [];
  private readonly parentEdge: number[] = [];
  private readonly eFrom: number[] = [];
  private readonly eTo: number[] = [];
  private readonly eThread: number[] = [];
  private readonly eChoice: number[] = [];
  private readonly eProgress: boolean[] = [];
  private readonly tIndex = new Map<string, number>();

  constructor(threads: readonly string[]) {
    this.threads = threads;
    threads.forEach((t, i) => this.tIndex.set(t, i));
  }

  get size(): number {
    return this.enabled.length;
  }

  addNode(enabled: boolean[]): number {
    this.enabled.push(enabled);
    this.parentEdge.push(-1);
    return this.enabled.length - 1;
  }

  addEdge(from: number, to: number, thread: string, choice: number, progress: boolean): void {
    const e = this.eFrom.length;
    this.eFrom.push(from);
    this.eTo.push(to);
    this.eThread.push(this.tIndex.get(thread) ?? -1);
    this.eChoice.push(choice);
    this.eProgress.push(progress);
    if (to !== 0 && this.parentEdge[to] === -1) this.parentEdge[to] = e;
  }

  /** The first livelock found, as a schedule from node 0 that ends by going round the cycle. */
  findLivelock(): { thread: string; schedule: ScheduleStep[]; cycleStart: number } | undefined {
    for (let t = 0; t < this.threads.length; t++) {
      const found = this.livelockOf(t);
      if (found) return { thread: this.threads[t], ...found };
    }
    return undefined;
  }

  private livelockOf(t: number): { schedule: ScheduleStep[]; cycleStart: number } | undefined {
    const n = this.size;
    const keep = (e: number) => !(this.eThread[e] === t && this.eProgress[e]);
    const out: number[][] = Array.from({ length: n }, () => []);
    for (let e = 0; e < this.eFrom.length; e++) if (keep(e)) out[this.eFrom[e]].push(e);
    const comp = this.scc(out);
    // Group the internal edges of every component.
    const internal = new Map<number, number[]>();
    for (let e = 0; e < this.eFrom.length; e++) {
      if (!keep(e) || comp[this.eFrom[e]] !== comp[this.eTo[e]]) continue;
      const c = comp[this.eFrom[e]];
      let list = internal.get(c);
      if (!list) internal.set(c, (list = []));
      list.push(e);
    }
    for (const [c, edges] of internal) {
      const tEdge = edges.find((e) => this.eThread[e] === t);
      if (tEdge === undefined) continue;
      const nodes: number[] = [];
      for (let v = 0; v < n; v++) if (comp[v] === c) nodes.push(v);
      // Waypoints: an edge of every thread that is enabled everywhere, else a state where it is not.
      const way: ({ edge: number } | { node: number })[] = [{ edge: tEdge }];
      let fair = true;
      for (let u = 0; u < this.threads.length && fair; u++) {
        if (u === t) continue;
        const off = nodes.find((v) => !this.enabled[v][u]);
        const uEdge = edges.find((e) => this.eThread[e] === u);
        if (off !== undefined) way.push({ node: off });
        else if (uEdge !== undefined) way.push({ edge: uEdge });
        else fair = false;
      }
      if (!fair) continue;
      const start = this.eFrom[tEdge];
      const cycle: number[] = [];
      let cur = start;
      for (const w of way) {
        const target = 'edge' in w ? this.eFrom[w.edge] : w.node;
        for (const e of this.path(out, comp, c, cur, target)) cycle.push(e);
        cur = target;
        if ('edge' in w) {
          cycle.push(w.edge);
          cur = this.eTo[w.edge];
        }
      }
      for (const e of this.path(out, comp, c, cur, start)) cycle.push(e);
      const prefix: number[] = [];
      for (let v = start; v !== 0; v = this.eFrom[this.parentEdge[v]]) prefix.push(this.parentEdge[v]);
      prefix.reverse();
      const toStep = (e: number): ScheduleStep => ({ thread: this.threads[this.eThread[e]], choice: this.eChoice[e] });
      return { schedule: [...prefix, ...cycle].map(toStep), cycleStart: prefix.length };
    }
    return undefined;
  }

  /** Shortest path (edge list) inside component c, by breadth-first search. */
  private path(out: number[][], comp: number[], c: number, from: number, to: number): number[] {
    if (from === to) return [];
    const via = new Map<number, number>([[from, -1]]);
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      for (const e of out[queue[i]]) {
        const w = this.eTo[e];
        if (comp[w] !== c || via.has(w)) continue;
        via.set(w, e);
        if (w === to) {
          const edges: number[] = [];
          for (let x = to; x !== from; x = this.eFrom[via.get(x)!]) edges.push(via.get(x)!);
          return edges.reverse();
        }
        queue.push(w);
      }
    }
    throw new Error('livelock: component is not strongly connected');
  }

  /** Tarjan's strongly connected components, iterative (graphs can be deep). */
  private scc(out: number[][]): number[] {
    const n = this.size;
    const index = new Array<number>(n).fill(-1);
    const low = new Array<number>(n).fill(0);
    const comp = new Array<number>(n).fill(-1);
    const onStack = new Array<boolean>(n).fill(false);
    const stack: number[] = [];
    let counter = 0;
    let comps = 0;
    for (let root = 0; root < n; root++) {
      if (index[root] !== -1) continue;
      const work: [number, number][] = [[root, 0]];
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      while (work.length) {
        const top = work[work.length - 1];
        const [v, i] = top;
        if (i < out[v].length) {
          top[1]++;
          const w = this.eTo[out[v][i]];
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            work.push([w, 0]);
          } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
          continue;
        }
        work.pop();
        if (work.length) low[work[work.length - 1][0]] = Math.min(low[work[work.length - 1][0]], low[v]);
        if (low[v] === index[v]) {
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = false;
            comp[w] = comps;
          } while (w !== v);
          comps++;
        }
      }
    }
    return comp;
  }
}
