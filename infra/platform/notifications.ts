/**
 * The notification topic the platform's dispatcher publishes to (src/asl/dispatch.ts), and the
 * shape every lakestep topic shares (the per-dag topics of infra/usecase/workflow-topic.ts).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { ManifestPlatform } from '../../src/build/types.ts';

export interface EmailTopicProps {
  topicName: string;
  emails: readonly string[];
  key: kms.IKey;
  /**
   * EventBridge rules of this account that may publish: the statement id and the
   * `aws:SourceArn` condition naming them. Without it only IAM principals of the account
   * whose own policy allows it publish (the platform's dispatcher).
   */
  events?: { sid: string; sourceArn: Record<string, Record<string, unknown>> };
}

/**
 * A KMS-encrypted, SSL-only topic with e-mail subscriptions, publishable by EventBridge
 * rules of this account that `sourceArn` matches (constructed as `Notifications`).
 */
export function createEmailTopic(scope: Construct, props: EmailTopicProps): sns.Topic {
  const topic = new sns.Topic(scope, 'Notifications', { topicName: props.topicName, masterKey: props.key, enforceSSL: true });
  for (const email of props.emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
  if (props.events) {
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: props.events.sid,
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ...props.events.sourceArn },
      }),
    );
  }
  return topic;
}

/** The platform topic: every rule and every CloudWatch alarm (freshness) of this account may publish. */
export function createNotificationTopic(scope: Construct, notifications: ManifestPlatform['notifications'], key: kms.IKey): sns.Topic {
  const topic = createEmailTopic(scope, {
    topicName: notifications.topicName,
    emails: notifications.emails,
    key,
    events: { sid: 'EventBridgeRulesPublish', sourceArn: { ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*` } } },
  });
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
      },
    }),
  );
  return topic;
}
