/**
 * What every benchmark section shares: the section contract, garbage
 * collection on demand, memory readings, medians and aligned tables.
 *
 * Benchmarks print measurements; they never fail on timing (the machines are
 * shared and noisy). A section reports `failures` only for crashes or results
 * that are wrong, not slow.
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';

export interface SectionContext {
  /** Arguments after the section names, e.g. `--sizes=10,100`. */
  args: string[];
  out(line?: string): void;
}

export interface SectionOutcome {
  /** Wrong results (never slowness); any makes the run exit non-zero. */
  failures: string[];
}

/** A module under bench/ that is one section of `bench/run.ts`. */
export interface SectionModule {
  run(ctx: SectionContext): Promise<SectionOutcome>;
}

let gcFn: (() => void) | undefined;

/**
 * Full garbage collection: `global.gc` when node runs with `--expose-gc`,
 * otherwise the flag is set at run time and `gc` taken from a fresh context.
 */
export function gc(): void {
  if (!gcFn) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc') as () => void;
    }
  }
  gcFn();
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Timing {
  /** Wall-clock time. */
  ms: number;
  /**
   * CPU time of the process (all its threads, GC helpers included). Steadier
   * than wall time when other processes compete for the cores.
   */
  cpuMs: number;
}

/**
 * Runs `fn` once. No forced GC first: a full GC shrinks the heap and the next
 * run pays for regrowing it, which distorts short runs more than long ones.
 */
export function timed<T>(fn: () => T): Timing & { value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms: wall, cpuMs: (c.user + c.system) / 1000, value };
}

export function ms(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function int(x: number): string {
  return x.toLocaleString('en-US');
}

export function ratio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : 'n/a';
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((part / whole) * 100).toFixed(0)}%`;
}

/** Right-aligns every column but the first; returns the lines. */
export function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** One line about the machine, since every timing depends on it. */
export function machineLine(): string {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), load average ${load}`;
}

/** Value of `--name=value` in args, if given. */
export function option(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
