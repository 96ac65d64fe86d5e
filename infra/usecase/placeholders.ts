/**
 * Fills the `${Placeholder}`s of the build artifacts (DESIGN §6) with the
 * resources infra creates. ASL gets them through `DefinitionSubstitutions`;
 * rules and IAM resources through `Fn::Sub`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions
 */
import { Aws, Fn } from 'aws-cdk-lib';
import { PLATFORM_PLACEHOLDERS, type PlatformPlaceholder } from '../../src/build/types.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';

/** `${Name}` references; `${!Literal}` (a CloudFormation escape) is not a placeholder. */
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/**
 * Value of each placeholder; `SparkJobRoleArn` is the ARN of the workflow's own
 * use-case Spark job role (src/build/types.ts).
 */
export function platformSubstitutions(p: PlatformResources, sparkJobRoleArn: string): Record<PlatformPlaceholder, string> {
  return {
    Partition: Aws.PARTITION,
    Region: Aws.REGION,
    Account: Aws.ACCOUNT_ID,
    EmrApplicationId: p.emrApplication.attrApplicationId,
    SparkJobRoleArn: sparkJobRoleArn,
    ArtifactsBucket: p.buckets.artifacts.bucketName,
    RunsTable: p.tables.runs.tableName,
    WatermarksTable: p.tables.watermarks.tableName,
    GatesTable: p.tables.gates.tableName,
    NotificationTopicArn: p.topic.topicArn,
    EventsRoleArn: p.eventsRole.roleArn,
    ScheduleStarterArn: p.scheduleStarter.functionArn,
    SchedulerRoleArn: p.schedulerRole.roleArn,
    ScheduleGroupName: p.scheduleGroupName,
    SchedulerDeadLetterArn: p.scheduleDeadLetters.queueArn,
  };
}

export function isPlatformPlaceholder(name: string): name is PlatformPlaceholder {
  return (PLATFORM_PLACEHOLDERS as readonly string[]).includes(name);
}

/** Placeholder names used in a text, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Thrown at synth for a placeholder infra does not know how to fill. */
export class UnknownPlaceholderError extends Error {
  override readonly name = 'UnknownPlaceholderError';
}

/** Substitution table of one workflow: platform values plus the DataSync tasks created for it. */
export class Substitutions {
  constructor(
    private readonly values: Record<string, string>,
    /** Where the text comes from, for error messages. */
    private readonly where: string,
  ) {}

  /** The subset of the table a text needs; throws on an unknown name. */
  pick(names: Iterable<string>, context = this.where): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = this.values[name];
      if (value === undefined) {
        throw new UnknownPlaceholderError(
          `${context}: unknown placeholder \${${name}} (known: ${Object.keys(this.values).sort().join(', ')})`,
        );
      }
      out[name] = value;
    }
    return out;
  }

  /** A string with placeholders → `Fn::Sub` token; a string without → itself. */
  resolve(text: string, context = this.where): string {
    const names = placeholdersIn(text);
    if (names.length === 0) return text;
    return Fn.sub(text, this.pick(names, context));
  }

  /** Every string inside a JSON value resolved (object keys stay literal). */
  resolveDeep<T>(value: T, context = this.where): T {
    if (typeof value === 'string') return this.resolve(value, context) as T;
    if (Array.isArray(value)) return value.map((v) => this.resolveDeep(v, context)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveDeep(v, context)])) as T;
    }
    return value;
  }
}
