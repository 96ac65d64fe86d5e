/**
 * Acknowledges cdk-nag's wildcard finding (AwsSolutions-IAM5) for the wildcards
 * lakestep needs, each with its reason. Finding IDs embed the resolved resource
 * (`Resource::arn:<AWS::Partition>:…/jobruns/*`), which is only known once
 * cross-stack references are resolved, so the IDs are computed in a construct
 * validation, after references are prepared and before cdk-nag reads them.
 * A wildcard matching no entry stays a finding and fails synth.
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#awssolutions
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { acknowledge } from './acknowledge.ts';

export interface WildcardReason {
  /** Matched against the finding: `Action::glue:Get*` or `Resource::<flattened ARN>`. */
  finding: RegExp;
  reason: string;
}

export const WILDCARD_REASONS: readonly WildcardReason[] = [
  {
    finding: /^Resource::\*$/,
    reason:
      'Only actions without resource-level permissions use "*": CloudWatch Logs delivery, X-Ray and cloudwatch:PutMetricData under a namespace condition (state machines), lakeformation:GetDataAccess (Spark job roles with Lake Formation governance), and the read-only listing actions of the CDK upload function (infra/README.md lists each).',
  },
  {
    finding: /^Resource::<Buckets(Raw|Process|Analytics)[A-Za-z0-9]*\.Arn>\/[a-z][a-z0-9_]*(\.db)?\/\*$/,
    reason:
      "Lake Formation's registration role: it vends credentials for the data and metadata files Spark creates under one registered database location; scoped to that database's prefix.",
  },
  {
    finding: /^Resource::.*\/applications\/.*\/jobruns\/\*$/,
    reason: 'EMR Serverless job run IDs are created at run time; the resource is scoped to the platform application.',
  },
  {
    finding: /^Resource::.*\/execution\/\*$/,
    reason: 'DataSync execution IDs are created at run time; the resource is scoped to the workflow\'s tasks.',
  },
  {
    finding: /^Resource::.*:states:.*:execution:\*$/,
    reason: 'A join machine reads the output of the upstream execution whose status event it received (events omit output above 248 KB); execution ARNs are created at run time.',
  },
  {
    finding: /^Resource::.*:states:.*:execution:[^:*/]+(:|\/)\*$/,
    reason: "A Distributed Map describes and stops the machine's own executions and the child executions of its map runs, named at run time; scoped to the machine's own name.",
  },
  {
    finding: /^Resource::.*:datasync:.*:task\/\*\/execution\/\*$/,
    reason: 'DataSync execution IDs are created at run time.',
  },
  {
    finding: /^Resource::(.*:datasync:.*:task\/task-[0-9a-z]+|<[A-Za-z0-9]+Task[A-Za-z0-9]*\.TaskArn>)\*$/,
    reason: "A DataSync task and its executions (`<task ARN>/execution/<id>`, created at run time) in one resource: task ids have a fixed length, so the wildcard matches no other task.",
  },
  {
    finding: /^Resource::.*:datasync:.*:task\/\*$/,
    reason: 'Past 20 tasks, a migration starts the DataSync tasks tagged with its use case (aws:ResourceTag condition) rather than naming each.',
  },
  {
    finding: /^Resource::.*\/lakestep\/(results\/([a-z0-9][a-z0-9_-]*\/){0,2})?\*$/,
    reason: 'Object keys under the lakestep/ prefix of the artifacts bucket are created per run (results, checkpoints); a state machine reads the results under its own lakestep/results/<use case>/<dag>/.',
  },
  {
    finding: /^Resource::.*(Landing|Raw|Process|Analytics).*\.Arn>?\/\*$/,
    reason: 'Iceberg data and metadata files are created by Spark under any key of the data buckets.',
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:glue:.*:table\/[^/]+\/\*$/,
    reason: 'Tables of a Glue database the specs declare are created by the migration DDL.',
  },
  {
    finding: /^Action::glue:(Get|Create|Update|Delete)\*$/,
    reason: 'Iceberg catalog operations use many Glue Get/Create/Update/Delete calls; resources are scoped to the listed databases.',
  },
  {
    finding: /^Action::kms:(GenerateDataKey|ReEncrypt|Encrypt|Decrypt|Describe)\*$/,
    reason: 'KMS data-key actions on the single platform key.',
  },
  {
    finding: /^Resource::.*:states:.*:execution:[^:*/]+-\*:\*$/,
    reason: "The schedule starter looks a run up by its execution name before starting it, and the backfill machine follows the runs it starts, in any lakestep machine (all named <prefix>-…).",
  },
  {
    finding: /^Resource::.*stateMachine:[^:]+-\*$/,
    reason: 'EventBridge starts any lakestep machine by its deterministic name, including machines of other use-case stacks.',
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter\/lakestep\/[^/*]+\/after\/\*$/,
    reason: "The dispatcher reads the routes each downstream's stack creates under the platform's path; their names are the machines', known only to those stacks.",
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:[^:*]+-\*-notifications$/,
    reason: "The dispatcher publishes to the topic of a dag's own notification.emails (<machine>-notifications), created by that dag's stack.",
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:s3:::.*\/\*$/,
    reason: 'DataSync writes any object under the landing prefix it transfers to; the CDK upload function writes any key under its destination prefix.',
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:s3:::[^/]+\/.+\*$/,
    reason:
      "A use case's Spark job role: objects created at run time under that use case's own key prefixes (its tables, landing paths, results, checkpoints, and the s3:// prefixes its custom Spark arguments name up to their first run template).",
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:\/aws-glue\/iceberg-(compaction|retention|orphan-file-deletion)\/logs:\*$/,
    reason: "A use case's table optimizer role: the log streams of Glue's compaction, retention and orphan file deletion runs are created per run in those fixed log groups.",
  },
  {
    finding: /^Resource::.*secret:.*-\?\?\?\?\?\?$/,
    reason: 'Secrets Manager appends six random characters to secret ARNs; the spec names the secret.',
  },
  {
    finding: /^Action::s3:(GetBucket|GetObject|List|DeleteObject|Abort)\*$/,
    reason: 'Read/write grant of the CDK upload function on the artifacts bucket and its asset source.',
  },
  {
    finding: /^Resource::.*BucketsArtifacts[A-Za-z0-9]*(\.)?Arn[A-Za-z0-9]*>?\/\*$/,
    reason: 'CDK grants its upload function read/write on the artifacts bucket; it only writes under the lakestep/ destination prefix.',
  },
  {
    finding: /^Resource::.*cdk-[a-z0-9]+-assets-.*\/\*$/,
    reason: 'The CDK upload function reads its source archives from the bootstrap asset bucket.',
  },
];

/** What cdk-nag's IAM5 reports for a policy document (same rule, same wording). */
export function wildcardFindings(document: { Statement?: Array<Record<string, unknown>> }): string[] {
  const out = new Set<string>();
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  for (const s of document.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    for (const a of list(s.Action)) if (typeof a === 'string' && a.includes('*')) out.add(`Action::${a}`);
    for (const r of list(s.Resource)) {
      const flat = flattenCfnReference(r);
      if (flat.includes('*')) out.add(`Resource::${flat}`);
    }
  }
  return [...out];
}

function documentsOf(node: CfnResource): unknown[] {
  const stack = Stack.of(node);
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) return [stack.resolve(node.policyDocument)];
  if (node instanceof iam.CfnRole) {
    const policies = (stack.resolve(node.policies) ?? []) as Array<{ policyDocument: unknown }>;
    return policies.map((p) => stack.resolve(p.policyDocument));
  }
  return [];
}

/** Registers the acknowledgement pass on a stack. */
export function acknowledgeWildcards(stack: Stack): void {
  stack.node.addValidation({
    validate: () => {
      for (const node of stack.node.findAll()) {
        if (!(node instanceof CfnResource)) continue;
        for (const doc of documentsOf(node)) {
          for (const finding of wildcardFindings(doc as { Statement?: Array<Record<string, unknown>> })) {
            const known = WILDCARD_REASONS.find((w) => w.finding.test(finding));
            if (known) acknowledge(node, { id: `AwsSolutions-IAM5[${finding}]`, reason: known.reason });
          }
        }
      }
      return [];
    },
  });
}
