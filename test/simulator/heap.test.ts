/**
 * The simulator's queues (src/simulator/heap.ts) hand out entries in the order of sorting
 * everything pushed by time then arrival, as the sorted arrays they replace did.
 */
import { describe, expect, it } from 'vitest';
import { Heap } from '../../src/simulator/heap.ts';

type Entry = { at: number; seq: number };
const order = (a: Entry, b: Entry): number => a.at - b.at || a.seq - b.seq;

describe('Heap', () => {
  it('pops in sorted order, ties by arrival, with pushes between pops', () => {
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const heap = new Heap<Entry>((a, b) => order(a, b) < 0);
    // The former queue: an array sorted before each take.
    const sorted: Entry[] = [];
    const popped: Entry[] = [];
    const expected: Entry[] = [];
    let seq = 0;
    for (let round = 0; round < 300; round++) {
      for (let i = random(5); i > 0; i--) {
        const e = { at: random(20), seq: seq++ };
        sorted.push(e);
        heap.push(e);
      }
      if (random(2) === 0 && heap.size > 0) {
        popped.push(heap.pop()!);
        expected.push(sorted.sort(order).shift()!);
      }
    }
    while (heap.size > 0) {
      popped.push(heap.pop()!);
      expected.push(sorted.sort(order).shift()!);
    }
    expect(heap.pop()).toBeUndefined();
    expect(popped.length).toBeGreaterThan(500);
    expect(popped).toEqual(expected);
  });

  it('empties to exactly the sorted sequence when everything is pushed first', () => {
    const entries: Entry[] = [5, 3, 3, 9, 0, 3, 7, 0, 1].map((at, seq) => ({ at, seq }));
    const heap = new Heap<Entry>((a, b) => order(a, b) < 0);
    for (const e of entries) heap.push(e);
    expect(heap.peek()).toEqual({ at: 0, seq: 4 });
    const out: Entry[] = [];
    while (heap.size > 0) out.push(heap.pop()!);
    expect(out).toEqual([...entries].sort(order));
  });
});
