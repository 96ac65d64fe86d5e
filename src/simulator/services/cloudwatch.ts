/**
 * CloudWatch metrics behind the SDK integration `arn:aws:states:::aws-sdk:cloudwatch:putMetricData`:
 * data points are captured, with the simulated time they were put at.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
import { taskError } from '../errors.ts';
import { record, str, type TaskHandler } from './types.ts';

export interface DataPoint {
  /** Simulated time, ISO 8601. */
  time: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  value: number;
}

export class CloudWatchMetrics {
  readonly points: DataPoint[] = [];

  /** The last data point of `metric` in `namespace` whose dimensions include `dimensions`. */
  last(namespace: string, metric: string, dimensions: Record<string, string>): DataPoint | undefined {
    return [...this.points].reverse().find(
      (p) => p.namespace === namespace && p.metric === metric && Object.entries(dimensions).every(([k, v]) => p.dimensions[k] === v),
    );
  }

  readonly handlers: Record<string, TaskHandler> = {
    'arn:aws:states:::aws-sdk:cloudwatch:putMetricData': ({ input, now }) => {
      const p = record(input);
      const namespace = str(p.Namespace);
      const data = Array.isArray(p.MetricData) ? p.MetricData : [];
      // The service's own validation (InvalidParameterValue is a 400 of PutMetricData).
      if (!namespace || data.length === 0) throw taskError('CloudWatch.InvalidParameterValueException', 'Namespace and MetricData are required');
      for (const d of data.map(record)) {
        const metric = str(d.MetricName);
        if (!metric) throw taskError('CloudWatch.InvalidParameterValueException', 'MetricName is required');
        const dims = Array.isArray(d.Dimensions) ? d.Dimensions.map(record) : [];
        this.points.push({
          time: new Date(now).toISOString(),
          namespace,
          metric,
          dimensions: Object.fromEntries(dims.map((x) => [str(x.Name) ?? '', str(x.Value) ?? ''])),
          value: typeof d.Value === 'number' ? d.Value : 0,
        });
      }
      return {};
    },
  };
}
