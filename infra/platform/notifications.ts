/**
 * The notification topic the workflow status rules publish to (DESIGN §5).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { ManifestPlatform } from '../../src/build/types.ts';

/** KMS-encrypted, SSL-only topic with e-mail subscriptions, publishable by this account's EventBridge rules. */
export function createNotificationTopic(
  scope: Construct,
  notifications: ManifestPlatform['notifications'],
  key: kms.IKey,
): sns.Topic {
  const topic = new sns.Topic(scope, 'Notifications', {
    topicName: notifications.topicName,
    masterKey: key,
    enforceSSL: true,
  });
  for (const email of notifications.emails) {
    topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'EventBridgeRulesPublish',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*` },
      },
    }),
  );
  return topic;
}
