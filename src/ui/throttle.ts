/**
 * Calling Step Functions at the pace its API allows: one token bucket per API
 * action, sized after the account's quota (each action has its own bucket in
 * AWS), and on a throttling or transient error a retry after an exponential
 * backoff with full jitter, the bucket emptied so every caller slows down.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-api-action-throttling-general
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';

export interface Clock {
  /** Milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** The API actions the page reads with, and their default quotas. */
export type PacedAction = 'ListStateMachines' | 'ListExecutions' | 'GetExecutionHistory';

export interface Quota {
  bucket: number;
  /** Tokens per second. */
  refill: number;
}

/** Regions with the larger buckets in the quota table. */
const LARGE_REGIONS = new Set(['us-east-1', 'us-west-2', 'eu-west-1']);

/**
 * What lakestep uses of each quota: half the bucket and 80% of the refill rate,
 * leaving room for the console and other tools of the account, which share it.
 */
export function stepFunctionsQuotas(region: string): Record<PacedAction, Quota> {
  const large = LARGE_REGIONS.has(region);
  const share = (bucket: number, refill: number): Quota => ({ bucket: Math.floor(bucket / 2), refill: refill * 0.8 });
  return {
    ListStateMachines: share(100, 5),
    ListExecutions: large ? share(200, 5) : share(100, 2),
    GetExecutionHistory: share(400, 20),
  };
}

export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly quota: Quota,
    private readonly clock: Clock,
  ) {
    this.tokens = quota.bucket;
    this.at = clock.now();
  }

  /** Waits until a token is free, then takes it. */
  async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.quota.refill) * 1000));
    }
  }

  /** AWS said slow down: start again from an empty bucket. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.quota.bucket, this.tokens + ((now - this.at) / 1000) * this.quota.refill);
    this.at = now;
  }
}

export interface PaceOptions {
  quotas: Record<PacedAction, Quota>;
  clock?: Clock;
  /** Attempts per call, the first included (default 8). */
  attempts?: number;
  /** Backoff: the first retry waits up to `baseMs`, each next one up to twice as long, never more than `maxMs`. */
  baseMs?: number;
  maxMs?: number;
  /** In [0, 1): the jitter (default Math.random). */
  random?: () => number;
}

/** Counts of what a paced client did. */
export interface PaceStats {
  calls: Record<PacedAction, number>;
  /** Calls answered with a throttling or transient error, then retried. */
  retried: number;
  /** Total time spent in backoff, ms. */
  backoffMs: number;
}

const ACTIONS: [new (input: never) => object, PacedAction][] = [
  [ListStateMachinesCommand, 'ListStateMachines'],
  [ListExecutionsCommand, 'ListExecutions'],
  [GetExecutionHistoryCommand, 'GetExecutionHistory'],
];

/**
 * The client, with every call of a {@link PacedAction} made through its bucket
 * and retried on throttling. A proxy of the client itself, so the SDK's
 * paginators (which check the client's class) and the operator functions take it.
 */
export function paced(client: SFNClient, opts: PaceOptions): { client: SFNClient; stats: PaceStats } {
  const clock = opts.clock ?? realClock;
  const random = opts.random ?? Math.random;
  const buckets = new Map(Object.entries(opts.quotas).map(([action, quota]) => [action, new TokenBucket(quota, clock)]));
  const stats: PaceStats = { calls: { ListStateMachines: 0, ListExecutions: 0, GetExecutionHistory: 0 }, retried: 0, backoffMs: 0 };
  const send = async (command: object, ...rest: unknown[]): Promise<unknown> => {
    const action = ACTIONS.find(([ctor]) => command instanceof ctor)?.[1];
    const bucket = action ? buckets.get(action) : undefined;
    const attempts = opts.attempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      await bucket?.take();
      if (action) stats.calls[action]++;
      try {
        return await (client.send as (c: object, ...r: unknown[]) => Promise<unknown>).call(client, command, ...rest);
      } catch (err) {
        if (attempt >= attempts || !retryable(err)) throw err;
        bucket?.drain();
        const wait = Math.floor(random() * Math.min(opts.maxMs ?? 20_000, (opts.baseMs ?? 500) * 2 ** (attempt - 1)));
        stats.retried++;
        stats.backoffMs += wait;
        await clock.sleep(wait);
      }
    }
  };
  const proxy = new Proxy(client, { get: (target, key, receiver) => (key === 'send' ? send : Reflect.get(target, key, receiver)) });
  return { client: proxy, stats };
}

/** Throttling, and errors the SDK marks as transient (5xx, timeouts). */
export function retryable(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  if (e?.$retryable) return true;
  if (e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || e?.name === 'RequestLimitExceeded') return true;
  const status = e?.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}
