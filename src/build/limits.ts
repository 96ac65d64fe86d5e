/**
 * Step Functions quotas no Catch can rescue, checked per compiled workflow with
 * the worst case the compiler computed (src/asl/limits.ts): a workflow over the
 * history or payload quota is an error, one past 80% of either a warning, both
 * with the numbers; the largest workflow is summarized for `lakestep compile`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import { HISTORY_EVENTS_MAX, PAYLOAD_BYTES_MAX } from '../asl/limits.ts';
import type { Report } from '../diagnostics.ts';
import type { UseCase } from '../ir/types.ts';
import type { Manifest } from './types.ts';

const WARN_AT = 0.8;

/** Adds WORKFLOW_HISTORY_LIMIT / WORKFLOW_PAYLOAD_LIMIT diagnostics; returns the one-line summary. */
export function checkWorkflowLimits(manifest: Manifest, useCases: readonly UseCase[], report: Report): string {
  let largest: { ref: string; events: number; bytes: number } | undefined;
  let heaviest: { ref: string; bytes: number } | undefined;
  for (const u of manifest.useCases) {
    for (const w of u.workflows) {
      const events = w.stats.worstCaseHistoryEvents ?? 0;
      const bytes = w.stats.worstCasePayloadBytes ?? 0;
      const ref = `${u.name}/${w.name}`;
      if (!largest || events > largest.events) largest = { ref, events, bytes };
      if (!heaviest || bytes > heaviest.bytes) heaviest = { ref, bytes };
      const origin = useCases.find((x) => x.name === u.name)?.workflows.find((x) => x.name === w.name)?.origin;
      if (!origin) continue;
      const check = (code: string, value: number, max: number, what: string) => {
        if (value <= WARN_AT * max) return;
        const message = `'${w.name}' can reach ${value.toLocaleString('en-US')} ${what} in one execution (quota ${max.toLocaleString('en-US')}${value > max ? ', exceeded' : ''}): ${value > max ? 'it would fail on AWS; ' : ''}split it or lower its table count, timeout or retries`;
        if (value > max) report.error(code, message, origin, u.name);
        else report.warning(code, message, origin, u.name);
      };
      check('WORKFLOW_HISTORY_LIMIT', events, HISTORY_EVENTS_MAX, 'history events');
      check('WORKFLOW_PAYLOAD_LIMIT', bytes, PAYLOAD_BYTES_MAX, 'bytes of state payload');
    }
  }
  if (!largest || !heaviest) return 'no workflows';
  const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
  const summary = `largest worst case: ${largest.ref}, ${largest.events.toLocaleString('en-US')} history events (quota ${HISTORY_EVENTS_MAX.toLocaleString('en-US')}), ${kib(largest.bytes)} payload (quota ${PAYLOAD_BYTES_MAX / 1024} KiB)`;
  // The workflow with the largest payload is named too when it is another one.
  return heaviest.ref === largest.ref || Math.ceil(heaviest.bytes / 1024) === Math.ceil(largest.bytes / 1024) ? summary : `${summary}; largest payload: ${heaviest.ref}, ${kib(heaviest.bytes)}`;
}
