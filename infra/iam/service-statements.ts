/**
 * Statements every lakestep state machine role carries besides its task
 * permissions: the platform key, log delivery and X-Ray; and the condition that
 * holds the platform's own roles to its machines.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { PLATFORM_TAG } from '../../src/events/routes.ts';

/**
 * Logging to CloudWatch Logs goes through log delivery, whose actions do not
 * support resource-level permissions, so `Resource: "*"` is required.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy
 */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * X-Ray trace writes and sampling reads do not support resource-level permissions.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html
 */
export const XRAY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];

/**
 * The freshness metric (src/phases/quality-gate.ts): PutMetricData has no resource-level
 * permissions; the registry adds a `cloudwatch:namespace` condition.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
 */
export const METRIC_ACTIONS = ['cloudwatch:PutMetricData'];

/** Actions that may appear with `Resource: "*"` in a state machine role (README lists them). */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = [...LOG_DELIVERY_ACTIONS, ...XRAY_ACTIONS, ...METRIC_ACTIONS];

export function serviceStatements(key: kms.IKey): iam.PolicyStatement[] {
  return [
    // Execution data is encrypted with the platform key; DynamoDB and SNS calls use it too.
    // https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }),
    new iam.PolicyStatement({ actions: LOG_DELIVERY_ACTIONS, resources: ['*'] }),
    new iam.PolicyStatement({ actions: XRAY_ACTIONS, resources: ['*'] }),
  ];
}

/**
 * Condition of a platform role's start of workflow machines: the machine's `lakestep:platform` tag (each use-case
 * stack tags its machines so, infra/usecase/workflow-resources.ts) names this platform. `<prefix>-*` alone also
 * names every machine of a platform whose prefix starts with `<prefix>-`: `acme` and `acme-dev` in one account.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
 */
export function ownPlatform(prefix: string): Record<string, Record<string, string>> {
  return { StringEquals: { [`aws:ResourceTag/${PLATFORM_TAG}`]: prefix } };
}
