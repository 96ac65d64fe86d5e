/**
 * SNS behind `arn:aws:states:::sns:publish` and EventBridge SNS targets: messages are captured.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
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

export class SnsTopics {
  readonly messages: Notification[] = [];

  publish(n: Omit<Notification, 'time'>, now: number): string {
    this.messages.push({ time: new Date(now).toISOString(), ...n });
    return messageId(this.messages.length);
  }

  readonly handlers: Record<string, TaskHandler> = {
    'arn:aws:states:::sns:publish': ({ input, now, executionArn, stateName }) => {
      const p = record(input);
      const message = typeof p.Message === 'string' ? p.Message : JSON.stringify(p.Message);
      const subject = str(p.Subject);
      const id = this.publish(
        { topicArn: str(p.TopicArn) ?? '', message, via: 'state', origin: `${executionArn}#${stateName}`, ...(subject ? { subject } : {}) },
        now,
      );
      return { MessageId: id, SdkHttpMetadata: { HttpStatusCode: 200 } };
    },
  };
}

function messageId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
