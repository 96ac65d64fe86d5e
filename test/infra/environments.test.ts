/**
 * The example's dev environment (specs/platform.dev.yaml) synthesized: its own
 * stack names, bound to its account and region, and every name in the templates
 * as the compiler resolved it — a literal, never a CloudFormation token.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileToBuild, exampleSources } from './compiled.ts';
import { resourcesOfType, type Synthesized, synthesize } from './synth.ts';

let s: Synthesized;

beforeAll(() => {
  const { buildDir, result } = compileToBuild(exampleSources(), 'dev');
  expect(result.quarantined).toEqual([]);
  s = synthesize(buildDir, { nagChecks: false, lean: true });
}, 240_000);

describe('the dev environment of the example', () => {
  it("names every stack with the environment's prefix and binds it to its account and region", () => {
    expect(s.assembly.stacks.map((st) => st.stackName).sort()).toEqual(['acme-dev-clickstream', 'acme-dev-customers', 'acme-dev-orders', 'acme-dev-payments', 'acme-dev-platform']);
    expect(new Set(s.assembly.stacks.map((st) => st.environment.name))).toEqual(new Set(['aws://123456789012/eu-west-1']));
  });

  it('creates the buckets, tables and topic under their resolved literal names', () => {
    const buckets = resourcesOfType(s, 'AWS::S3::Bucket').map((b) => b.props.BucketName).filter((n) => typeof n === 'string');
    expect(buckets).toEqual(expect.arrayContaining(['acme-dev-123456789012-eu-west-1-raw', 'acme-dev-123456789012-eu-west-1-landing', 'acme-dev-123456789012-eu-west-1-artifacts']));
    expect(resourcesOfType(s, 'AWS::DynamoDB::Table').map((t) => t.props.TableName).sort()).toEqual(['acme-dev-lakestep-gates', 'acme-dev-lakestep-runs', 'acme-dev-lakestep-watermarks']);
    expect(resourcesOfType(s, 'AWS::SNS::Topic').map((t) => t.props.TopicName)).toContain('acme-dev-lakestep-notifications');
  });

  it('deploys every schedule disabled and the dependency and notification rules enabled', () => {
    const schedules = resourcesOfType(s, 'AWS::Scheduler::Schedule');
    expect(schedules.length).toBeGreaterThan(10);
    expect(new Set(schedules.map((r) => r.props.State))).toEqual(new Set(['DISABLED']));
    const rules = resourcesOfType(s, 'AWS::Events::Rule');
    expect(rules.filter((r) => r.props.ScheduleExpression !== undefined)).toEqual([]);
    expect(rules.some((r) => r.props.State === 'ENABLED')).toBe(true);
  });

  it('puts the EMR Serverless application in the environment network', () => {
    const [app] = resourcesOfType(s, 'AWS::EMRServerless::Application');
    expect(app!.props.NetworkConfiguration).toEqual({ SubnetIds: ['subnet-0e5f60718293a4b5c', 'subnet-0f60718293a4b5c6d'], SecurityGroupIds: ['sg-0a4b5c6d7e8f90a1b'] });
  });
});
