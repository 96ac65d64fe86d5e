/**
 * What a simulated day of orchestration costs in Step Functions, the one orchestration charge that
 * grows with the workflows' design: Standard workflows bill every state transition — each state
 * entered, retries included — above 4,000 free a month. Spark (EMR Serverless), DataSync and
 * DynamoDB are billed by their own use, which a simulation cannot measure. The states each execution
 * enters are the count moto's execution histories give for the same runs (test/aws-local/interpreters.moto.ts,
 * outside polling loops, whose rounds follow the polled service's timing).
 *
 * Express workflows (the dispatcher) are billed per request and duration instead: the line counts their
 * runs, and the transitions they would have made as Standard workflows, without a price (the pricing page
 * gives Express prices by example, and a simulation measures no duration).
 *
 * Prices per 1,000 state transitions by region, from the Step Functions pricing page (read
 * 2026-12-06); a region it does not list gets the count without a price.
 * @see https://aws.amazon.com/step-functions/pricing/
 */
import { durationText } from '../spec/duration.ts';
import type { Manifest } from '../build/types.ts';
import type { SimulationResult } from '../simulator/index.ts';
import { expressWorkflows } from '../simulator/refs.ts';

export const STEP_FUNCTIONS_PRICING_URL = 'https://aws.amazon.com/step-functions/pricing/';

/** US dollars per 1,000 Standard state transitions. */
export const TRANSITION_PRICE_PER_1000: Readonly<Record<string, number>> = {
  'us-east-1': 0.025,
  'us-east-2': 0.025,
  'us-west-2': 0.025,
  'us-west-1': 0.0279,
  'ca-central-1': 0.025,
  'sa-east-1': 0.0375,
  'us-gov-east-1': 0.03,
  'us-gov-west-1': 0.03,
  'eu-west-1': 0.025,
  'eu-central-1': 0.025,
  'eu-west-2': 0.025,
  'eu-west-3': 0.0297,
  'eu-north-1': 0.025,
  'ap-southeast-1': 0.025,
  'ap-northeast-1': 0.025,
  'ap-southeast-2': 0.025,
  'ap-northeast-2': 0.0271,
  'ap-south-1': 0.0285,
};

/** Free state transitions a month, every account, without expiry. */
export const FREE_TRANSITIONS_PER_MONTH = 4000;

export interface DayCost {
  /** Whole days the simulated window spans; absent when it is not a whole number of days (nothing is extrapolated then). */
  days?: number;
  /** The window's length, seconds (absent without a window). */
  windowSeconds?: number;
  /** States entered (Map iterations and Parallel branches included) plus retries, as Step Functions bills them. */
  transitions: number;
  /** The workflows that made the most of them, most first. */
  top: { workflow: string; transitions: number }[];
  region: string;
  /** Absent when the region's price is not known. */
  pricePer1000?: number;
  /** US dollars: the whole window; with whole days, a day and a month of 30 such days less the free tier. */
  total?: number;
  day?: number;
  month?: number;
  /** Express workflows' runs, billed per request and duration: not in `transitions`. */
  express: ExpressRuns[];
}

/** The runs of an Express workflow, and the transitions they would have billed as a Standard one. */
export interface ExpressRuns {
  workflow: string;
  runs: number;
  transitions: number;
}


/** The runs of each Express workflow of a simulation, with the states they entered and their retries. */
export function expressRuns(
  result: Pick<SimulationResult, 'executions' | 'timeline'>,
  express: ReadonlySet<string>,
  transitions: ReadonlyMap<string, number> = billedTransitions(result),
): ExpressRuns[] {
  const runs = new Map<string, number>();
  for (const e of result.executions) if (express.has(e.workflow)) runs.set(e.workflow, (runs.get(e.workflow) ?? 0) + 1);
  return [...runs].sort(([a], [b]) => a.localeCompare(b)).map(([workflow, n]) => ({ workflow, runs: n, transitions: transitions.get(workflow) ?? 0 }));
}

/**
 * The billed transitions of a simulation, by workflow (`<use-case>/<dag>`, …): states entered plus retries;
 * the workflows in `express` are left out (they are billed per request and duration).
 */
export function billedTransitions(result: Pick<SimulationResult, 'executions' | 'timeline'>, express: ReadonlySet<string> = new Set()): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of result.executions) if (!express.has(e.workflow)) out.set(e.workflow, (out.get(e.workflow) ?? 0) + e.stateTransitions);
  for (const t of result.timeline) if (t.kind === 'retried' && !express.has(t.workflow)) out.set(t.workflow, (out.get(t.workflow) ?? 0) + 1);
  return out;
}

/** The cost line of a simulation of `manifest`'s build. */
export function simulationCostLine(result: Pick<SimulationResult, 'executions' | 'timeline'>, manifest: Pick<Manifest, 'machines' | 'platform'>, window?: { start: string; end: string }): string {
  const express = expressWorkflows(manifest);
  const all = billedTransitions(result);
  const standard = new Map([...all].filter(([workflow]) => !express.has(workflow)));
  return dayCostLine(dayCost(standard, manifest.platform.region, window, expressRuns(result, express, all)));
}

/** Workflows named in the line, by transitions. */
const TOP = 3;

/**
 * The transitions' price: for the whole window, and when it spans whole days, per day and for a month of
 * 30 such days (a window of hours says nothing of the daily and weekly runs outside it).
 */
export function dayCost(byWorkflow: ReadonlyMap<string, number>, region: string, window?: { start: string; end: string }, express: ExpressRuns[] = []): DayCost {
  const transitions = [...byWorkflow.values()].reduce((n, v) => n + v, 0);
  const price = Object.hasOwn(TRANSITION_PRICE_PER_1000, region) ? TRANSITION_PRICE_PER_1000[region] : undefined;
  const top = [...byWorkflow]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, TOP)
    .map(([workflow, n]) => ({ workflow, transitions: n }));
  const windowSeconds = window ? (Date.parse(window.end) - Date.parse(window.start)) / 1000 : Number.NaN;
  const days = windowSeconds > 0 && windowSeconds % 86_400 === 0 ? windowSeconds / 86_400 : undefined;
  const base = { transitions, top, region, express, ...(Number.isFinite(windowSeconds) && windowSeconds > 0 ? { windowSeconds } : {}), ...(days === undefined ? {} : { days }) };
  if (price === undefined) return base;
  const total = (transitions * price) / 1000;
  if (days === undefined) return { ...base, pricePer1000: price, total };
  const perDay = transitions / days;
  return { ...base, pricePer1000: price, total, day: (perDay * price) / 1000, month: (Math.max(0, perDay * 30 - FREE_TRANSITIONS_PER_MONTH) * price) / 1000 };
}

const dollars = (n: number): string => (n < 10 ? `$${n.toFixed(2)}` : `$${Math.round(n).toLocaleString('en-US')}`);

/** The report's line: the count, what it costs (a day and a month when the window is whole days), and what it leaves out. */
export function dayCostLine(c: DayCost): string {
  const most = c.top.map((t) => `${t.workflow} ${t.transitions.toLocaleString('en-US')}`).join(', ');
  const span = c.days === 1 ? 'this day' : c.days !== undefined ? `these ${c.days} days` : c.windowSeconds !== undefined ? `the simulated ${durationText(c.windowSeconds)}` : 'this simulation';
  const count = `${c.transitions.toLocaleString('en-US')} state transitions ${span}${most ? ` (most: ${most})` : ''}`;
  const runs = c.express.map((e) => `${e.workflow} ${e.runs.toLocaleString('en-US')} runs (${e.transitions.toLocaleString('en-US')} transitions as Standard)`).join(', ');
  const what = `${runs ? `Express, billed per request and duration: ${runs}; ` : ''}Spark, DataSync and DynamoDB are billed by their own use`;
  if (c.pricePer1000 === undefined) return `Step Functions: ${count}; no price for ${c.region} in lakestep's table (${STEP_FUNCTIONS_PRICING_URL}); ${what}`;
  const rate = `${c.region}'s $${c.pricePer1000} per 1,000`;
  if (c.day === undefined) return `Step Functions: ${count} ≈ ${dollars(c.total!)} at ${rate}; ${what}`;
  return `Step Functions: ${count} ≈ ${dollars(c.day)} a day, ${dollars(c.month!)} a month of 30 such days at ${rate} (${FREE_TRANSITIONS_PER_MONTH.toLocaleString('en-US')} a month free); ${what}`;
}
