/**
 * SNS behind `arn:aws:states:::sns:publish` and EventBridge SNS targets: messages are captured.
 * A publish from a state to a topic of the build's account and region that the build does not
 * create fails as on AWS (`NotFound`); other ARNs (another account, an unfilled placeholder) are
 * taken, as nothing says whether they exist.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { taskError } from '../errors.ts';
import { record, str, type TaskHandler } from './types.ts';

export interface Notification {
  /** Simulated time, ISO 8601. */
  time: string;
  topicArn: string;
  subject?: string;
  message: string;
  /** `state` for a Task state publish, `rule` for an EventBridge target, `alarm` for a CloudWatch alarm action. */
  via: 'state' | 'rule' | 'alarm';
  /** Rule name, `<execution arn>#<state name>` or the alarm name. */
  origin: string;
}

/** The topics a build creates, as ARNs, and the ARN prefix (`arn:aws:sns:<region>:<account>:`) they share. */
export interface KnownTopics {
  prefix: string;
  arns: ReadonlySet<string>;
}

export class SnsTopics {
  readonly messages: Notification[] = [];

  constructor(private readonly known?: KnownTopics) {}

  publish(n: Omit<Notification, 'time'>, now: number): string {
    this.messages.push({ time: new Date(now).toISOString(), ...n });
    return messageId(this.messages.length);
  }

  readonly handlers: Record<string, TaskHandler> = {
    'arn:aws:states:::sns:publish': ({ input, now, executionArn, stateName }) => {
      const p = record(input);
      const topicArn = str(p.TopicArn) ?? '';
      if (this.known && topicArn.startsWith(this.known.prefix) && !this.known.arns.has(topicArn)) {
        throw taskError('SNS.NotFoundException', 'Topic does not exist (Service: Sns, Status Code: 404, Request ID: 00000000-0000-4000-8000-000000000000)');
      }
      const message = typeof p.Message === 'string' ? p.Message : JSON.stringify(p.Message);
      const subject = str(p.Subject);
      const id = this.publish(
        { topicArn, message, via: 'state', origin: `${executionArn}#${stateName}`, ...(subject ? { subject } : {}) },
        now,
      );
      return { MessageId: id, SdkHttpMetadata: { HttpStatusCode: 200 } };
    },
  };
}

function messageId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
