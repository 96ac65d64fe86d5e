/**
 * The topic of a dag's own `notification.emails`: the dag's notification rules
 * publish to it as well as to the platform topic, so these recipients hear of
 * this dag only. KMS-encrypted with the platform key, SSL only, publishable by
 * this dag's rules only.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
import { Aws } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ManifestWorkflow } from '../../src/build/types.ts';
import { createEmailTopic } from '../platform/notifications.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';

/** The placeholder notification rules target; a rule targeting it also targets the dag topic. */
export const PLATFORM_TOPIC = '${NotificationTopicArn}';

/** Undefined when the dag lists no emails or none of its rules notifies. */
export function createWorkflowTopic(scope: Construct, wf: ManifestWorkflow, platform: PlatformResources): sns.Topic | undefined {
  const emails = wf.notificationEmails ?? [];
  const notifying = wf.rules.filter((r) => r.Targets.some((t) => t.Arn === PLATFORM_TOPIC));
  if (emails.length === 0 || notifying.length === 0) return undefined;
  return createEmailTopic(scope, {
    topicName: `${wf.stateMachineName}-notifications`,
    emails,
    key: platform.key,
    sid: 'DagRulesPublish',
    sourceArn: { ArnEquals: { 'aws:SourceArn': notifying.map((r) => `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${r.Name}`) } },
  });
}
