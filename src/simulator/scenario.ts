/**
 * Reading and validating scenario files (YAML or JSON). All problems are collected.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { logicalDateOf } from '../ops/dates.ts';
import type { Scenario } from './types.ts';
import { attributeValueProblem } from './attribute-values.ts';

export class ScenarioError extends Error {
  /** A usage error: the CLI prints the message, without a stack. */
  readonly exitCode = 2;
  /**
   * @param problems `path: message` each
   * @param positions where each problem is in the scenario's text (1-based), when it came from one and its path names a node of it
   */
  constructor(
    readonly problems: string[],
    readonly positions: readonly ({ line: number; column: number } | undefined)[] = [],
  ) {
    super(`Invalid scenario:\n  ${problems.join('\n  ')}`);
    this.name = 'ScenarioError';
  }
}

/** Parses a YAML (or JSON) scenario text; throws `ScenarioError` listing every problem, each where it is in the text. */
export function parseScenario(text: string): Scenario {
  return parseScenarioLocated(text).scenario;
}

/**
 * {@link parseScenario}, with `locate`: where in the text a later problem of the scenario is (`start[2].workflow: …`,
 * found against a build), as its checks here place theirs.
 */
export function parseScenarioLocated(text: string): { scenario: Scenario; locate: (problem: string) => { line: number; column: number } | undefined } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) throw doc.errors[0];
  const value: unknown = doc.toJS() ?? {};
  const problems = validateScenario(value);
  if (problems.length) throw new ScenarioError(problems, problems.map((p) => positionOf(doc, lines, p)));
  return { scenario: value as Scenario, locate: (problem) => positionOf(doc, lines, problem) };
}

/**
 * The position of the node a problem's path names (`start[0].workflow`, `window`), or of the nearest node above it
 * the path still names (a fault's state name may hold a dot); undefined for a problem of the whole scenario.
 */
function positionOf(doc: Document, lines: LineCounter, problem: string): { line: number; column: number } | undefined {
  const path = problem.slice(0, Math.max(0, problem.indexOf(': ')));
  const segments = [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
  for (let n = segments.length; n > 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A day or an ISO-8601 timestamp in years 0001–9999 (offsets to ±23:59), as the operator commands accept. */
const isTime = (v: unknown): boolean => typeof v === 'string' && 'date' in logicalDateOf(v);
/** A simulated duration: past a year, no Standard execution is still running, and the clock (ms) stays a valid date. */
const MAX_SECONDS = 366 * 86_400;
const isSeconds = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_SECONDS;
const SECONDS = `must be a number of seconds from 0 to ${MAX_SECONDS.toLocaleString('en-US')} (366 days)`;

/** Problems of a scenario value, as `path: message` strings. */
export function validateScenario(value: unknown): string[] {
  const problems: string[] = [];
  const fail = (path: string, message: string): void => void problems.push(`${path}: ${message}`);
  if (!isObject(value)) return ['scenario: must be a mapping'];
  const known = ['start', 'window', 'faults', 'delays', 'datasync', 'watermarks', 'jobs', 'checks', 'dynamodb', 'migrated', 'listing_lag'];
  for (const key of Object.keys(value)) if (!known.includes(key)) fail(key, `unknown field (expected one of ${known.join(', ')})`);
  if (value.start !== undefined) {
    if (!Array.isArray(value.start)) fail('start', 'must be a list');
    else value.start.forEach((s: unknown, i) => {
      const at = `start[${i}]`;
      if (!isObject(s)) return fail(at, 'must be a mapping');
      for (const key of Object.keys(s)) if (!['workflow', 'logical_date', 'at', 'name', 'input', 'listing_lag'].includes(key)) fail(`${at}.${key}`, 'unknown field');
      if (s.listing_lag !== undefined && !isSeconds(s.listing_lag)) fail(`${at}.listing_lag`, SECONDS);
      if (typeof s.workflow !== 'string') fail(`${at}.workflow`, 'required string');
      for (const key of ['logical_date', 'at'] as const) if (s[key] !== undefined && !isTime(s[key])) fail(`${at}.${key}`, 'must be a date or ISO timestamp');
      if (s.name !== undefined && (typeof s.name !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(s.name))) fail(`${at}.name`, 'must be 1-80 of A-Z a-z 0-9 - _');
    });
  }
  if (value.window !== undefined) {
    const w = value.window;
    if (!isObject(w) || !isTime(w.start) || !isTime(w.end)) fail('window', 'needs start and end ISO timestamps');
    else if (Date.parse(w.end as string) < Date.parse(w.start as string)) fail('window', 'end is before start');
  }
  perState(value.faults, 'faults', (path, f) => {
    if (!isObject(f)) return fail(path, 'must be a mapping with error, cause, times');
    for (const key of Object.keys(f)) if (!['error', 'cause', 'times'].includes(key)) fail(`${path}.${key}`, 'unknown field');
    if (typeof f.error !== 'string' || f.error === '') fail(`${path}.error`, 'required string');
    if (f.cause !== undefined && typeof f.cause !== 'string') fail(`${path}.cause`, 'must be a string');
    if (f.times !== undefined && f.times !== 'always' && !(Number.isInteger(f.times) && (f.times as number) > 0)) fail(`${path}.times`, 'must be a positive integer or "always"');
  }, fail);
  perState(value.delays, 'delays', (path, d) => {
    if (!isSeconds(d)) fail(path, SECONDS);
  }, fail);
  if (value.datasync !== undefined) {
    if (!isObject(value.datasync)) fail('datasync', 'must be a mapping');
    else for (const [key, d] of Object.entries(value.datasync)) {
      const path = `datasync.${key}`;
      if (!isObject(d)) { fail(path, 'must be a mapping'); continue; }
      for (const k of Object.keys(d)) if (!['status', 'error_code', 'error_detail', 'extra_polls'].includes(k)) fail(`${path}.${k}`, 'unknown field');
      if (d.status !== undefined && d.status !== 'SUCCESS' && d.status !== 'ERROR') fail(`${path}.status`, 'must be SUCCESS or ERROR');
      if (d.extra_polls !== undefined && !(Number.isInteger(d.extra_polls) && (d.extra_polls as number) >= 0)) fail(`${path}.extra_polls`, 'must be an integer ≥ 0');
    }
  }
  if (value.watermarks !== undefined && (!isObject(value.watermarks) || Object.values(value.watermarks).some((v) => typeof v !== 'string'))) {
    fail('watermarks', 'must map keys to strings');
  }
  if (value.jobs !== undefined) {
    if (!isObject(value.jobs)) fail('jobs', 'must map <use-case>/<workflow>/<job> to a mapping');
    else for (const [key, j] of Object.entries(value.jobs)) {
      const path = `jobs.${key}`;
      if (!/^[^/]+\/[^/]+\/[^/]+$/.test(key)) fail(path, 'key must be <use-case>/<workflow>/<job>');
      if (!isObject(j)) { fail(path, 'must be a mapping with state, details, times'); continue; }
      for (const k of Object.keys(j)) if (!['state', 'details', 'times'].includes(k)) fail(`${path}.${k}`, 'unknown field');
      if (j.state !== 'FAILED') fail(`${path}.state`, 'must be FAILED');
      if (j.details !== undefined && typeof j.details !== 'string') fail(`${path}.details`, 'must be a string');
      if (j.times !== undefined && j.times !== 'always' && !(Number.isInteger(j.times) && (j.times as number) > 0)) fail(`${path}.times`, 'must be a positive integer or "always"');
    }
  }
  if (value.checks !== undefined) {
    if (!isObject(value.checks)) fail('checks', 'must map <use-case>/<workflow>/<job> (or <use-case>/<workflow>/<job>/<database>.<table>) to error or warn');
    else for (const [key, v] of Object.entries(value.checks)) {
      if (!/^[^/]+\/[^/]+\/[^/]+(\/[^/.]+\.[^/.]+)?$/.test(key)) fail(`checks.${key}`, 'key must be <use-case>/<workflow>/<job> or <use-case>/<workflow>/<job>/<database>.<table>');
      if (v !== 'error' && v !== 'warn') fail(`checks.${key}`, 'must be error or warn (the severity of the checks that fail)');
    }
  }
  if (value.dynamodb !== undefined && (!isObject(value.dynamodb) || Object.values(value.dynamodb).some((v) => !Array.isArray(v)))) {
    fail('dynamodb', 'must map table names to lists of items');
  } else if (value.dynamodb !== undefined) {
    for (const [table, items] of Object.entries(value.dynamodb as Record<string, unknown[]>)) {
      if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) fail(`dynamodb.${table}`, 'must be a DynamoDB table name: 3 to 255 of A-Z a-z 0-9 _ . -');
      items.forEach((item, i) => {
        const path = `dynamodb.${table}[${i}]`;
        if (!isObject(item) || Object.keys(item).length === 0) return fail(path, 'must be an item: a mapping of attribute names to attribute values, in DynamoDB\'s low-level format');
        for (const [name, v] of Object.entries(item)) {
          if (name === '') fail(path, 'has an empty attribute name (YAML reads an unquoted NULL or ~ as null: quote it)');
          const problem = attributeValueProblem(v);
          if (problem) fail(`${path}.${name}${problem[0]}`, problem[1]);
        }
      });
    }
  }
  if (value.listing_lag !== undefined && !isSeconds(value.listing_lag)) fail('listing_lag', SECONDS);
  const migrated = value.migrated;
  if (migrated !== undefined && migrated !== 'all' && !(Array.isArray(migrated) && migrated.every((t) => typeof t === 'string' && /^[^.\s]+\.[^.\s]+$/.test(t)))) {
    fail('migrated', 'must be "all" or a list of <database>.<table>');
  }
  return problems;
}

function perState(
  value: unknown,
  name: string,
  check: (path: string, v: unknown) => void,
  fail: (path: string, message: string) => void,
): void {
  if (value === undefined) return;
  if (!isObject(value)) return fail(name, 'must map workflow refs to states');
  for (const [ref, states] of Object.entries(value)) {
    if (!isObject(states)) { fail(`${name}.${ref}`, 'must map state names to values'); continue; }
    for (const [state, v] of Object.entries(states)) check(`${name}.${ref}.${state}`, v);
  }
}
