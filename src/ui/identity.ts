/**
 * Run identity as the page sees it: the logical date a run is for (its column in
 * the grid) and what started it. The one place that knows how executions carry
 * them, so a change of naming or of the run context changes only this file.
 *
 * Read in this order, most direct first:
 * 1. `run.logical_date` of the execution's output: the run context the state machine
 *    computed itself (DESIGN §4.1), whatever started it;
 * 2. `logical_date` of its input (operator starts, schedule rules, joins);
 * 3. its name, when it is a dated name (`2026-11-26T060000Z`, `…-r2` for a rerun:
 *    src/naming.ts `executionName`), which is all `ListExecutions` gives;
 * 4. its start time, to the minute (schedule rules fire on the minute): an
 *    undated name read from AWS (EventBridge names the executions it starts).
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
import type { DateSource } from './types.ts';

export interface ExecutionFacts {
  name: string;
  /** ISO-8601. */
  start: string;
  input?: unknown;
  output?: unknown;
}

export interface RunIdentity {
  /** ISO-8601 UTC to the second. */
  logicalDate: string;
  dateFrom: DateSource;
  trigger?: string;
}

const DATED_NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-r\d+)?$/;

export function runIdentity(e: ExecutionFacts): RunIdentity {
  const run = field(e.output, 'run');
  const trigger = text(field(run, 'trigger')) ?? text(field(e.input, 'trigger'));
  const withTrigger = (r: RunIdentity): RunIdentity => (trigger === undefined ? r : { ...r, trigger });
  const fromRun = isoDate(text(field(run, 'logical_date')));
  if (fromRun) return withTrigger({ logicalDate: fromRun, dateFrom: 'run' });
  const fromInput = isoDate(text(field(e.input, 'logical_date')));
  if (fromInput) return withTrigger({ logicalDate: fromInput, dateFrom: 'input' });
  const named = DATED_NAME.exec(e.name);
  const fromName = named ? isoDate(`${named[1]}T${named[2]}:${named[3]}:${named[4]}Z`) : undefined;
  if (fromName) return withTrigger({ logicalDate: fromName, dateFrom: 'name' });
  const start = Date.parse(e.start);
  const minute = Number.isNaN(start) ? e.start : new Date(start - (start % 60_000)).toISOString().replace(/\.000Z$/, 'Z');
  return withTrigger({ logicalDate: minute, dateFrom: 'start' });
}

/** A timestamp as ISO-8601 UTC to the second; undefined when it is not one. */
function isoDate(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
