/** Custom Spark dags (`spark:` block): one EMR Serverless job run. */
import { emrJobTask } from '../asl/emr.ts';
import { ON_FAILURE, ON_SUCCESS, specComment } from '../asl/frame.ts';
import { argument, IntrinsicLiterals } from '../asl/intrinsics.ts';
import type { SparkJob, Workflow } from '../ir/types.ts';
import { icebergConf } from './runtime.ts';
import type { PhaseCompiler } from './types.ts';

export const compileSpark: PhaseCompiler<SparkJob> = (spark, { workflow, platform }) => {
  const constants = { dag: workflow.name, useCase: workflow.useCase };
  const name = `Run ${workflow.name}`;
  const literals = new IntrinsicLiterals();
  const args = spark.arguments.map((a) => argument(a, constants, literals));
  const task = emrJobTask({
    comment: specComment(spark.origin, `Spark job ${spark.entrypoint}`),
    jobName: jobRunName(workflow),
    entryPoint: spark.entrypoint,
    arguments: args,
    // The platform's Iceberg catalog first, so the job can read and write its tables.
    sparkSubmitParameters: [icebergConf(platform), spark.sparkSubmitParameters].filter(Boolean).join(' '),
    timeoutSeconds: spark.timeoutSeconds,
    retries: workflow.retries,
    next: ON_SUCCESS,
    failure: ON_FAILURE,
    literals,
  });
  const prepare = 'Prepare arguments';
  return {
    startAt: literals.empty ? name : prepare,
    states: {
      ...(literals.empty ? {} : { [prepare]: { Type: 'Pass' as const, Comment: 'Argument text with backslashes, referenced by path from the job arguments', Parameters: literals.values, ResultPath: literals.path, Next: name } }),
      [name]: task,
    },
    jobs: [],
    resources: { emr: true, datasync: [], secrets: [] },
    sparkJobs: 1,
  };
};

/** EMR job run names: `<use-case>-<dag>`, the execution name is appended at run time. */
export function jobRunName(w: Pick<Workflow, 'useCase' | 'name'>, job?: string): string {
  return [w.useCase, w.name, job].filter(Boolean).join('-');
}
