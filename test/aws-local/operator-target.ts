/** The `WorkflowTarget` of the operator commands for a workflow of a build, with its machine's ARN on the interpreter. */
import type { Manifest } from '../../src/build/types.ts';
import { resolveWorkflow, type WorkflowTarget } from '../../src/ops/resolve.ts';

export function operatorTarget(manifest: Manifest, ref: string, stateMachineArn: string): WorkflowTarget {
  return { ...resolveWorkflow(manifest, ref), stateMachineArn };
}
