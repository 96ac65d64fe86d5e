/**
 * What the operator commands print of names read from AWS. An execution's name may hold a bidi override (Step
 * Functions refuses only control characters in names) and a backfill's runs come from its input: printed as they
 * are, they would reorder or rewrite the operator's line. Every such name is printed escaped; `--json` keeps it.
 */
import { describe, expect, it } from 'vitest';
import type { BackfillStatusResult } from '../../src/ops/backfill-status.ts';
import type { CancelResult } from '../../src/ops/cancel.ts';
import { formatBackfillStatus, formatJson, formatStatus } from '../../src/ops/format.ts';
import { formatCancel, formatLogs, formatRetry } from '../../src/ops/format-operator.ts';
import type { LogsResult } from '../../src/ops/logs.ts';
import type { RetryResult } from '../../src/ops/retry.ts';
import type { StatusResult } from '../../src/ops/status.ts';
import { renderTable } from '../../src/ops/table.ts';
import type { ChecksResult } from '../../src/ops/checks.ts';
import { formatChecks } from '../../src/ops/quality-status.ts';

const NAME = '2026-11-22T060000Z\u202eDEDEECCUS';
const SHOWN = '2026-11-22T060000Z\\u202eDEDEECCUS';
const ref = 'orders/orders-daily-report';

/** No character of `text` acts on a terminal (C0/C1 controls but the line feed, bidi overrides and isolates). */
const inert = (text: string) => expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);

describe('names read from AWS are printed escaped', () => {
  it('in every table cell', () => {
    const text = renderTable(['NAME', 'STATUS'], [[NAME, 'FAILED\u001b[2J']]);
    inert(text);
    expect(text).toContain(SHOWN);
    expect(text).toContain('FAILED\\x1b[2J');
  });

  it('in status, logs, cancel, retry, backfill --status and checks', () => {
    const status = { ref, stateMachineArn: 'arn', executions: [{ name: NAME, status: 'SUCCEEDED', start: '2026-11-22T06:00:00Z' }] } as unknown as StatusResult;
    const logs = { ref, execution: NAME, status: 'FAILED', jobRuns: [] } as unknown as LogsResult;
    const cancel = { ref, execution: NAME, status: 'SUCCEEDED', stopped: false, cancelled: [], failed: [] } as unknown as CancelResult;
    const retry: RetryResult = { ref, execution: NAME, executionArn: 'arn', status: 'FAILED', redriven: false, redriveCount: 0, reason: `attempt 2 of this run exists (${NAME}_a2, FAILED)` };
    const redriven: RetryResult = { ...retry, redriven: true, redriveCount: 1 };
    const backfills = {
      ref,
      backfills: [{ executionName: NAME, status: 'FAILED', start: 'x', stop: 'y', counts: { failed: 1 }, runs: [{ name: NAME, state: 'failed', status: 'FAILED', error: 'boom' }] }],
    } as unknown as BackfillStatusResult;
    // A run record's error and execution name, read back from the runs table.
    const checks = { ref, execution: NAME, logicalDate: '2026-11-22T06:00:00Z', runStatus: 'FAILED', error: `Spark.JobFailed\u001b]0;owned\u0007 ${NAME}` } as unknown as ChecksResult;
    for (const text of [formatStatus(status), formatLogs(logs), formatCancel(cancel), formatRetry(retry), formatRetry(redriven), formatBackfillStatus(backfills), formatChecks(checks)]) {
      inert(text);
      expect(text).toContain(SHOWN);
    }
    // The data itself keeps the name as it is.
    expect(JSON.parse(formatJson(status)).executions[0].name).toBe(NAME);
  });
});
