/**
 * Guard rail: no compiled definition — the example platform in specs/ and every golden
 * case — uses a construct whose meaning differs between AWS and the local interpreters
 * (see src/simulator/hazards.ts), so a template change cannot bring back a workflow that
 * passes locally and fails on AWS (e.g. `?` in StringMatches).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findHazards, type HazardCode } from '../../src/simulator/hazards.ts';
import { compileExamplePlatform } from './platform.ts';

function aslFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.asl.json'))
    .map((f) => join(dir, f))
    .sort();
}

let definitions: { file: string; definition: unknown }[];
beforeAll(() => {
  const build = compileExamplePlatform();
  const files = [...aslFiles(build.dir).map((f) => ({ f, name: `build/${relative(build.dir, f)}` })), ...aslFiles('test/golden').map((f) => ({ f, name: f }))];
  definitions = files.map(({ f, name }) => ({ file: name, definition: JSON.parse(readFileSync(f, 'utf8')) as unknown }));
});

describe('every compiled definition runs the same on AWS and the local interpreters', () => {
  it('covers the example platform (20 workflows, their watch machines and the platform machines) and the golden cases', () => {
    expect(definitions.filter((d) => d.file.startsWith('build/') && !d.file.endsWith('.slow.asl.json') && !d.file.startsWith('build/lakestep/'))).toHaveLength(20);
    expect(definitions.filter((d) => d.file.endsWith('.slow.asl.json')).map((d) => d.file)).toEqual(['build/orders/orders-upserts.slow.asl.json']);
    expect(definitions.map((d) => d.file)).toContain('build/lakestep/backfill.asl.json');
    expect(definitions.filter((d) => d.file.startsWith('test/golden/')).length).toBeGreaterThan(0);
  });

  it('has no hazard in any definition', () => {
    const found = definitions.flatMap((d) => findHazards(d.definition).map((h) => `${d.file}: ${h.state}: ${h.code} ${h.message}`));
    expect(found).toEqual([]);
  });

  it('has no "?" in any StringMatches pattern (the text, not only the parsed rules)', () => {
    const patterns = definitions.flatMap((d) => [...JSON.stringify(d.definition).matchAll(/"StringMatches":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!));
    expect(patterns.filter((p) => p.includes('?'))).toEqual([]);
  });
});

describe('each hazard is found', () => {
  const choice = (rule: object) => ({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ ...rule, Next: 'E' }], Default: 'E' }, E: { Type: 'Succeed' } } });
  const task = (state: object) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true, ...state } } });
  it.each<[string, unknown, HazardCode]>([
    ['? in StringMatches', choice({ Variable: '$.d', StringMatches: '????-??-??' }), 'STRING_MATCHES_QUESTION_MARK'],
    ['? in a nested StringMatches', choice({ Not: { Or: [{ Variable: '$.d', StringMatches: 'a?' }] } }), 'STRING_MATCHES_QUESTION_MARK'],
    ['an open escape', choice({ Variable: '$.d', StringMatches: 'a\\b' }), 'STRING_MATCHES_OPEN_ESCAPE'],
    ['JSONata at the top', { QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { Type: 'Succeed' } } }, 'JSONATA'],
    ['a JSONata expression', task({ Arguments: { x: '{% $states.input %}' } }), 'JSONATA'],
    ['workflow variables', task({ Assign: { x: 1 } }), 'VARIABLES'],
    ['$$.State in a Choice', choice({ Variable: '$$.State.RetryCount', NumericEquals: 0 }), 'CONTEXT_OUTSIDE_PAYLOAD'],
    ['$$.Task in an ItemSelector', { StartAt: 'M', States: { M: { Type: 'Map', ItemSelector: { 't.$': '$$.Task.Token' }, ItemProcessor: { StartAt: 'E', States: { E: { Type: 'Succeed' } } }, End: true } } }, 'CONTEXT_OUTSIDE_PAYLOAD'],
    ['$$.Task.Token without .waitForTaskToken', task({ Parameters: { 'MessageBody.$': '$$.Task.Token' } }), 'TASK_TOKEN_WITHOUT_CALLBACK'],
  ])('%s', (_what, definition, code) => {
    expect(findHazards(definition).map((h) => h.code)).toEqual([code]);
  });

  it('accepts escaped asterisks and backslashes, and a token in a callback task', () => {
    expect(findHazards(choice({ Variable: '$.d', StringMatches: 'a\\*b\\\\c*' }))).toEqual([]);
    expect(findHazards(task({ Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'MessageBody.$': '$$.Task.Token' } }))).toEqual([]);
  });
});
