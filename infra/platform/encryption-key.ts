/**
 * The platform's customer-managed KMS key, used by every bucket (except the
 * access-log bucket), table, topic, log group and state machine.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 */
import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * Creates the key with rotation on and the service statements its users need.
 * Principals of this account reach the key through IAM policies (the default
 * key policy trusts the account); AWS services that act without a role need key
 * policy statements:
 * - CloudWatch Logs encrypts the log groups
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html);
 * - log delivery decrypts the data of KMS-encrypted state machines it logs
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html);
 * - EventBridge publishes to the KMS-encrypted topic
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 */
export function createEncryptionKey(scope: Construct, prefix: string): kms.Key {
  const key = new kms.Key(scope, 'Key', {
    alias: `alias/${prefix}`,
    description: `lakestep ${prefix}: data, logs, tables, topic and state machines`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const region = Stack.of(scope).region;
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryption',
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${Aws.ACCOUNT_ID}:log-group:*`,
        },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'StateMachineLogDelivery',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'EventBridgeToEncryptedTopic',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  // Freshness alarms (infra/usecase/freshness-alarms.ts) notify the encrypted platform topic.
  // @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsToEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  return key;
}
