/**
 * A migration large enough to run its tables as a Distributed Map gets, on its
 * synthesized state machine role, what Step Functions needs to run the map: start
 * executions of the machine itself, describe and stop its own and its map runs'
 * child executions — and nothing on any other machine. A small (inline) migration
 * gets none of it. cdk-nag runs on the synthesized app.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { migrationSpecs } from '../helpers/migration-specs.ts';
import { compileToBuild } from './compiled.ts';
import { ACCOUNT, allows, REGION, Resolver, type ResolvedStatement } from './iam-eval.ts';
import { roleStatements, stateMachineResource, synthesize, type Synthesized } from './synth.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

let s: Synthesized;
let names: { big: string; small: string };
let statements: (name: string) => ResolvedStatement[];

beforeAll(() => {
  const { buildDir, result } = compileToBuild([...migrationSpecs(500), ...migrationSpecs(2, { useCase: 'small', timeout: '1h' })]);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const manifest = readManifestDir(buildDir);
  const machine = (uc: string) => manifest.useCases.find((u) => u.name === uc)!.workflows[0]!;
  names = { big: machine('big').stateMachineName, small: machine('small').stateMachineName };
  const mode = (uc: string) => JSON.parse(readFileSync(join(buildDir, machine(uc).definition), 'utf8')).States['Migrate tables'].ItemProcessor.ProcessorConfig.Mode;
  expect([mode('big'), mode('small')]).toEqual(['DISTRIBUTED', 'INLINE']);
  s = synthesize(buildDir, { nagChecks: true, lean: true });
  const resolver = new Resolver(s.json);
  statements = (name) => resolver.resolve(roleStatements(s, name), s.json.get(stateMachineResource(s, name).stack)!) as ResolvedStatement[];
}, 240_000);

const machineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
const executionArn = (name: string, id: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:${name}:${id}`;
/** Child executions of a map run: `execution:<machine>/<map run label>:<id>`. */
const childArn = (name: string, id: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:${name}/Migrate-tables:${id}`;

describe('Distributed Map permissions', () => {
  it('the Distributed Map machine may start its own executions and describe and stop its map runs', async () => {
    const st = statements(names.big);
    expect(await allows(st, 'states:StartExecution', machineArn(names.big))).toBe(true);
    for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
      expect(await allows(st, action, childArn(names.big, 'c0ffee')), action).toBe(true);
      expect(await allows(st, action, executionArn(names.big, 'run-1')), action).toBe(true);
    }
  });

  it('and nothing of that on other machines', async () => {
    const st = statements(names.big);
    for (const other of [names.small, `${names.big}-join`, 'acme-other-machine']) {
      expect(await allows(st, 'states:StartExecution', machineArn(other)), other).toBe(false);
      expect(await allows(st, 'states:StopExecution', executionArn(other, 'run-1')), other).toBe(false);
      expect(await allows(st, 'states:StopExecution', childArn(other, 'c0ffee')), other).toBe(false);
    }
  });

  it('an inline Map machine gets none of it (only the start of itself every machine has, to restart a dated run under its name)', async () => {
    const st = statements(names.small);
    expect(await allows(st, 'states:StartExecution', machineArn(names.small))).toBe(true);
    expect(await allows(st, 'states:StartExecution', machineArn(names.big))).toBe(false);
    expect(await allows(st, 'states:StopExecution', executionArn(names.small, 'run-1'))).toBe(false);
    expect(await allows(st, 'states:DescribeExecution', childArn(names.small, 'c0ffee'))).toBe(false);
  });
});
