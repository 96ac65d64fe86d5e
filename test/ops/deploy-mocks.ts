/**
 * The AWS SDK clients `lakestep deploy` calls before cdk, mocked: CloudFormation (the region's stacks, its
 * limits: room for 2,000 stacks), SSM (a CDK bootstrap of version 27) and IAM (room for the roles). Each test
 * starts from these answers and overrides what it is about.
 */
import { CloudFormationClient, DescribeAccountLimitsCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach } from 'vitest';

export function mockDeployClients() {
  const cfn = mockClient(CloudFormationClient);
  const ssm = mockClient(SSMClient);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    cfn.reset();
    ssm.reset();
    iam.reset();
    cfn.on(DescribeAccountLimitsCommand).resolves({ AccountLimits: [{ Name: 'StackLimit', Value: 2000 }] });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '27' } });
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 10, RolesQuota: 1000 } });
  });
  return { cfn, ssm, iam };
}
