/**
 * A binary min-heap: the simulator's queues of executions and waiting tasks, ordered by
 * simulated time then arrival, taken from the front thousands of times per simulated day.
 * `before` must be a strict total order (the simulator breaks ties by a sequence number),
 * so the order of `pop` is that of sorting everything pushed.
 * @see https://en.wikipedia.org/wiki/Binary_heap
 */
export class Heap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    let i = a.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(item, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && this.before(a[r]!, a[l]!) ? r : l;
      if (!this.before(a[child]!, last)) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
