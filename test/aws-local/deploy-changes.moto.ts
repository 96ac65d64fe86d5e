/**
 * `lakestep deploy` reads what each deployed stack was built from through CloudFormation's
 * DescribeStacks: stacks created in moto with the outputs the CDK app writes, read back and
 * compared by the real change detection.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 */
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeAccountLimitsCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, inject, it } from 'vitest';
import { INPUTS_HASH_OUTPUT, ROLES_OUTPUT, SHARD_OUTPUT, USE_CASE_OUTPUT } from '../../infra/inputs-hash.ts';
import { changedStacks, readDeployedStacks, readRegionStacks } from '../../src/ops/deploy-changes.ts';
import { checkStackQuota } from '../../src/ops/stack-quota.ts';

const REGION = 'eu-north-1';

function template(outputs: Record<string, string>): string {
  return JSON.stringify({
    Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { Value: v }])),
  });
}

describe('deployed stacks in moto', () => {
  it('reads the inputs hashes from DescribeStacks and deploys only the changed use case', async () => {
    const cfn = new CloudFormationClient({ endpoint: inject('motoEndpoint'), region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 });
    await cfn.send(new CreateStackCommand({ StackName: 'dc-platform', TemplateBody: template({ [INPUTS_HASH_OUTPUT]: 'p1' }) }));
    for (const [uc, hash] of [['sales', 's1'], ['crm', 'c1']]) {
      await cfn.send(new CreateStackCommand({ StackName: `dc-${uc}`, TemplateBody: template({ [USE_CASE_OUTPUT]: uc!, [INPUTS_HASH_OUTPUT]: hash!, [SHARD_OUTPUT]: '1/1' }) }));
    }
    await cfn.send(new CreateStackCommand({ StackName: 'other-app', TemplateBody: template({ [INPUTS_HASH_OUTPUT]: 'x' }) }));
    // A later deploy of crm: its output is updated.
    await cfn.send(new UpdateStackCommand({ StackName: 'dc-crm', TemplateBody: template({ [USE_CASE_OUTPUT]: 'crm', [INPUTS_HASH_OUTPUT]: 'c2', [SHARD_OUTPUT]: '1/1', [ROLES_OUTPUT]: '7' }) }));

    const deployed = await readDeployedStacks(cfn, 'dc');
    expect(deployed.map((s) => s.name).sort()).toEqual(['dc-crm', 'dc-platform', 'dc-sales']);
    expect(deployed.find((s) => s.name === 'dc-crm')).toMatchObject({ useCase: 'crm', hash: 'c2', shard: [1, 1], roles: 7, status: expect.stringMatching(/_COMPLETE$/) });
    expect(deployed.find((s) => s.name === 'dc-sales')).not.toHaveProperty('roles');
    const changes = changedStacks({ platform: 'p1', useCases: new Map([['sales', 's2'], ['crm', 'c2']]), quarantined: [] }, deployed, 'dc');
    expect(changes).toEqual({ useCases: [{ name: 'sales', reason: 'changed' }], unchanged: ['crm'], removed: [] });
  });

  it("counts every stack of the region for the stack quota, lakestep's or not, and none deleted", async () => {
    const region = 'ap-south-1';
    const cfn = new CloudFormationClient({ endpoint: inject('motoEndpoint'), region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 });
    for (const name of ['sq-platform', 'sq-sales', 'billing-app', 'gone-app']) await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template({}) }));
    await cfn.send(new DeleteStackCommand({ StackName: 'gone-app' }));
    const { stacks, inRegion } = await readRegionStacks(cfn, 'sq');
    expect(stacks.map((s) => s.name).sort()).toEqual(['sq-platform', 'sq-sales']);
    expect(inRegion).toBe(3);
    // moto has no DescribeAccountLimits: the check is not made, and says so without stopping the deploy.
    await expect(cfn.send(new DescribeAccountLimitsCommand({}))).rejects.toThrow();
    const check = await checkStackQuota({ cloudFormation: cfn, inRegion, adds: { stacks: 1, useCases: ['crm'], exact: false }, exactly: () => ({ stacks: 1, useCases: ['crm'], exact: true }), region });
    expect(check).toMatchObject({ ok: false, stop: false, message: expect.stringMatching(/^CloudFormation stack quota not checked \(cloudformation:DescribeAccountLimits: /) });
  });
});
