/**
 * A {@link Plan} as text: one block per use case that changes, `+` added, `-`
 * removed, `~` changed, in the order a reviewer reads a deploy.
 */
import type { RuleDefinition, ScheduleDefinition } from '../build/types.ts';
import type { Plan, PlatformMachineChange, UseCasePlan } from './diff.ts';

const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
const ruleWhat = (r: RuleDefinition) => (r.ScheduleExpression ? `schedule ${r.ScheduleExpression}` : 'event pattern') + (r.State === 'DISABLED' ? ' (disabled)' : '');
const scheduleWhat = (s: ScheduleDefinition) => `${s.ScheduleExpression} ${s.ScheduleExpressionTimezone}` + (s.State === 'DISABLED' ? ' (disabled)' : '');
const fieldsText = (fields: Record<string, [unknown, unknown]>) =>
  Object.entries(fields)
    .map(([k, [b, a]]) => (k === 'Targets' || k === 'Target' || k === 'EventPattern' ? `${k} changed` : `${k} ${show(b)} → ${show(a)}`))
    .join('; ');
const list = (label: string, xs: string[]) => (xs.length ? [`      ${label}: ${xs.join(', ')}`] : []);

function useCaseLines(u: UseCasePlan): string[] {
  if (u.status === 'quarantined') return [`use case ${u.useCase}: quarantined — left out of the deploy, its stacks keep their last deployment`];
  const head =
    u.status === 'added' ? `use case ${u.useCase}: new (its stacks are created)` : u.status === 'removed' ? `use case ${u.useCase}: no longer in the specs — deploy leaves its stacks as they are (remove them with cdk destroy)` : `use case ${u.useCase}:`;
  const lines = [head];
  if (u.status === 'removed') return lines;
  for (const m of u.machinesAdded) lines.push(`  + state machine ${m.name} (${m.workflow})`);
  for (const m of u.machinesChanged) {
    lines.push(`  ~ state machine ${m.name} (${m.workflow})${m.commentsOnly ? ': comments only (the spec lines they cite moved)' : ''}`);
    lines.push(...list('states added', m.statesAdded), ...list('states removed', m.statesRemoved), ...list('states changed', m.statesChanged));
    if (m.tags) lines.push(`      tags: ${Object.entries(m.tags).map(([k, [b, a]]) => `${k} ${show(b)} → ${show(a)}`).join('; ')}`);
    if (m.timeout) lines.push(`      TimeoutSeconds: ${show(m.timeout[0])} → ${show(m.timeout[1])}`);
    lines.push(...list('role gains', m.integrationsAdded), ...list('role loses', m.integrationsRemoved));
  }
  for (const m of u.machinesRemoved) lines.push(`  - state machine ${m.name} (${m.workflow})`);
  for (const r of u.rulesAdded) lines.push(`  + rule ${r.Name}: ${ruleWhat(r)}`);
  for (const r of u.rulesChanged) lines.push(`  ~ rule ${r.name}: ${fieldsText(r.fields)}`);
  for (const r of u.rulesRemoved) lines.push(`  - rule ${r.Name}: ${ruleWhat(r)}`);
  for (const r of u.routesAdded) lines.push(`  + route ${r.Name}`);
  for (const r of u.routesChanged) lines.push(`  ~ route ${r.name}: ${Object.keys(r.fields).join(', ')} changed`);
  for (const r of u.routesRemoved) lines.push(`  - route ${r.Name}`);
  for (const s of u.schedulesAdded) lines.push(`  + schedule ${s.Name}: ${scheduleWhat(s)}`);
  for (const s of u.schedulesChanged) lines.push(`  ~ schedule ${s.name}: ${fieldsText(s.fields)}`);
  for (const s of u.schedulesRemoved) lines.push(`  - schedule ${s.Name}: ${scheduleWhat(s)}`);
  for (const x of u.accessAdded) lines.push(`  + access: ${x}`);
  for (const x of u.accessRemoved) lines.push(`  - access: ${x}`);
  return lines;
}

export function formatPlan(plan: Plan, against: string): string {
  const changed = plan.useCases.filter((u) => u.status !== 'unchanged');
  const lines: string[] = [];
  const platform = Object.entries(plan.platform);
  if (platform.length) {
    lines.push('platform settings:');
    for (const [k, [b, a]] of platform) lines.push(`  ~ ${k}: ${show(b)} → ${show(a)}`);
  }
  const rule = plan.platformRule;
  if (rule) lines.push(`platform rule ${rule.name}: ${rule.change === 'changed' ? fieldsText(rule.fields ?? {}) : rule.change}`);
  for (const m of plan.platformMachines ?? []) lines.push(platformMachineLine(m));
  for (const u of changed) lines.push(...useCaseLines(u));
  const unchanged = plan.useCases.length - changed.length;
  const count = (s: UseCasePlan['status']) => plan.useCases.filter((u) => u.status === s).length;
  lines.push(
    `${lines.length ? '\n' : ''}against ${against}: ${count('changed')} use case(s) changed, ${count('added')} added, ${count('removed')} removed, ${count('quarantined')} quarantined, ${unchanged} unchanged${platform.length ? '; platform settings changed' : ''}${plan.platformMachines?.length ? `; ${plan.platformMachines.length} platform machine(s) changed` : ''}`,
  );
  return lines.join('\n');
}

/** `platform dispatcher acme-lakestep-dispatcher (EXPRESS): replaces acme-lakestep-dispatch (STANDARD)`. */
function platformMachineLine(m: PlatformMachineChange): string {
  const head = `platform ${m.role} ${m.name} (${m.type}): `;
  if (m.change === 'replaced') return `${head}replaces ${m.replaces!.name} (${m.replaces!.type}); CloudFormation creates it and deletes the other at the end of the update (a run of it still going then is stopped)`;
  if (m.change !== 'changed' || !m.states) return `${head}${m.change}`;
  const s = m.states;
  if (s.commentsOnly) return `${head}comments changed`;
  const parts = [s.statesAdded.length && `${s.statesAdded.length} state(s) added`, s.statesRemoved.length && `${s.statesRemoved.length} removed`, s.statesChanged.length && `${s.statesChanged.length} changed`].filter(Boolean);
  return `${head}definition changed${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
