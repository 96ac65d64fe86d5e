import type { Manifest, ManifestWorkflow } from '../../src/build/types.ts';
import type { WorkflowTarget } from '../../src/ops/resolve.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';

export function workflow(useCase: string, name: string): ManifestWorkflow {
  return manifestWorkflow(useCase, name);
}

export function manifest(): Manifest {
  return {
    version: 1,
    lakestepVersion: '0.1.0',
    platform: manifestPlatform(),
    useCases: [
      { name: 'orders', owner: 'o@example.com', specHash: 'h1', files: [], workflows: [workflow('orders', 'orders-daily-report'), workflow('orders', 'orders-ingestion')] },
      { name: 'customers', owner: 'c@example.com', specHash: 'h2', files: [], workflows: [workflow('customers', 'customers-ingestion')] },
    ],
    machines: { backfill: { stateMachineName: 'acme-lakestep-backfill', definition: 'lakestep/backfill.asl.json' } },
    tables: {},
    quarantined: [
      {
        useCase: 'payments',
        diagnostics: [
          { code: 'SCHEMA_UNKNOWN_FIELD', severity: 'error', message: 'unknown field "shedule"', file: 'payments/orchestration.yaml', line: 4, column: 5, pointer: '/dags/0/shedule', useCase: 'payments' },
          { code: 'DEP_QUARANTINED', severity: 'warning', message: 'w', file: 'payments/orchestration.yaml', line: 9, column: 5, pointer: '/dags/1', useCase: 'payments' },
        ],
      },
    ],
  };
}

export const MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-daily-report';

export function target(): WorkflowTarget {
  const m = manifest();
  const uc = m.useCases[0];
  const wf = uc?.workflows[0];
  if (!wf) throw new Error('fixture');
  return {
    ref: 'orders/orders-daily-report',
    useCase: 'orders',
    dag: 'orders-daily-report',
    stateMachineName: wf.stateMachineName,
    region: 'eu-west-1',
    workflow: wf,
    stateMachineArn: MACHINE_ARN,
  };
}
