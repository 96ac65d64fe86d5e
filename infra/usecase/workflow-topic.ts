/**
 * The topic of a dag's own `notification.emails`, `<state machine>-notifications`: the
 * platform's dispatcher publishes to it as well as to the platform topic when the dag's
 * state machine carries the tag `lakestep:dag-topic` (src/events/routes.ts), so these
 * recipients hear of this dag only. KMS-encrypted with the platform key, SSL only; the
 * dispatcher's own policy lets it publish to the topics tagged with its platform
 * (infra/platform/dispatcher.ts).
 */
import { Tags } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ManifestWorkflow } from '../../src/build/types.ts';
import { DAG_TOPIC_TAG, PLATFORM_TAG } from '../../src/events/routes.ts';
import { createEmailTopic } from '../platform/notifications.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';

/** Undefined when the dag lists no emails or notifies nothing. */
export function createWorkflowTopic(scope: Construct, wf: ManifestWorkflow, platform: PlatformResources): sns.Topic | undefined {
  const emails = wf.notificationEmails ?? [];
  if (emails.length === 0 || wf.stateMachineTags[DAG_TOPIC_TAG] === undefined) return undefined;
  const topic = createEmailTopic(scope, { topicName: `${wf.stateMachineName}-notifications`, emails, key: platform.key });
  // The dispatcher may publish to `<prefix>-*-notifications` topics of its own platform only, by this tag.
  Tags.of(topic).add(PLATFORM_TAG, wf.stateMachineTags[PLATFORM_TAG]!);
  return topic;
}
