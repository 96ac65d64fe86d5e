/**
 * IAM_ROLE_QUOTA: the roles a build's stacks create, against the account's quota (1,000 by default,
 * 5,000 at most). That the count is the synthesized templates' own: test/infra/scale.test.ts and
 * test/infra/example.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { generateSpecs } from '../../bench/generate.ts';
import { checkIamRoleQuota, IAM_ROLES_DEFAULT_QUOTA, IAM_ROLES_MAX_QUOTA, manifestRoles, platformRoles, useCaseRoles, workflowRoles } from '../../src/build/iam-quota.ts';
import { type Diagnostic, Report } from '../../src/diagnostics.ts';
import type { UseCaseFacts } from '../../src/ir/facts.ts';
import { compileTree } from './support.ts';

const quota = (r: { diagnostics: readonly Diagnostic[] }) => r.diagnostics.filter((d) => d.code === 'IAM_ROLE_QUOTA');

describe('IAM_ROLE_QUOTA', () => {
  it('stays quiet while the build creates at most 1,000 roles, and says how many in the summary', () => {
    const r = compileTree(generateSpecs({ useCases: 100 }).sources);
    const roles = manifestRoles(r.manifest);
    expect(roles).toBeGreaterThan(500);
    expect(roles).toBeLessThanOrEqual(IAM_ROLES_DEFAULT_QUOTA);
    expect(quota(r)).toEqual([]);
    expect(r.iamSummary).toBe(`${roles.toLocaleString('en-US')} roles (default quota 1,000 per account, at most 5,000)`);
  });

  it('warns once past the default quota, at the dag whose state machine crosses it', () => {
    const r = compileTree(generateSpecs({ useCases: 180 }).sources);
    const roles = manifestRoles(r.manifest);
    expect(roles).toBeGreaterThan(IAM_ROLES_DEFAULT_QUOTA);
    const warnings = quota(r);
    expect(warnings).toHaveLength(1);
    const w = warnings[0]!;
    expect(w).toMatchObject({ severity: 'warning', file: expect.stringMatching(/\/orchestration\.yaml$/) });
    expect(w.message).toMatch(/more than 1,000 IAM roles .*raise "Roles in an AWS account" in Service Quotas/);
    // The dag named is the one with which the running count, in name order, passes 1,000.
    let count = platformRoles(r.manifest.platform, r.manifest.machines);
    let crossing = '';
    for (const u of r.manifest.useCases) {
      for (const [i, wf] of u.workflows.entries()) {
        const before = count;
        count += workflowRoles(wf) + (i === 0 ? useCaseRoles(u) : 0);
        if (before <= IAM_ROLES_DEFAULT_QUOTA && count > IAM_ROLES_DEFAULT_QUOTA) crossing = `${u.name}/${wf.name}`;
      }
    }
    expect(`${w.useCase}/${/'([^']+)'/.exec(w.message)![1]}`).toBe(crossing);
    expect(r.iamSummary).toMatch(/^1,0\d\d roles /);
  }, 60_000);

  it('warns again past the most an account can hold, with another remedy', () => {
    const origin = (uc: string, wf: string) => ({ file: `${uc}/orchestration.yaml`, line: 3, column: 5, pointer: `/dags/${wf}` });
    const useCases = Array.from({ length: 1_000 }, (_, i) => ({ name: `u${i}`, roles: 1, workflows: Array.from({ length: 5 }, (_, j) => ({ name: `w${j}`, roles: 1 })) }));
    const facts = useCases.map((u) => ({ name: u.name, workflows: u.workflows.map((w) => ({ name: w.name, origin: origin(u.name, w.name) })) })) as unknown as UseCaseFacts[];
    const report = new Report();
    expect(checkIamRoleQuota(6, useCases, facts, report)).toBe(6 + 1_000 * 6);
    const found = report.diagnostics.map((d) => [d.useCase, d.pointer, /more than ([\d,]+)/.exec(d.message)![1]]);
    // 6, then 6 per use case (2 with its first dag): 996 after u164, u165's w3 makes 1,001; 4,998 after u831, u832's w1 makes 5,001.
    expect(found).toEqual([
      ['u165', '/dags/w3', '1,000'],
      ['u832', '/dags/w1', '5,000'],
    ]);
    expect(report.diagnostics[1]!.message).toMatch(/the most an account can hold, .*more than one platform \(each its own `prefix`\), in more than one account/);
    expect(IAM_ROLES_MAX_QUOTA).toBe(5_000);
  });

  it('counts a watch machine, each DataSync transfer infra creates and a table optimizer role', () => {
    const transfer = (placeholder: string) => ({ table: 't', placeholder, location: {} }) as never;
    expect(workflowRoles({ resources: { datasync: [] } } as never)).toBe(1);
    expect(workflowRoles({ watch: {}, resources: { datasync: [transfer('A'), transfer('A'), transfer('B'), { table: 'x', taskArn: 'arn' } as never] } } as never)).toBe(4);
    expect(useCaseRoles({ workflows: [{ managedTables: [] }] } as never)).toBe(1);
    expect(useCaseRoles({ workflows: [{}, { managedTables: ['db.t'] }] } as never)).toBe(2);
  });

  it('with state_machine_roles: per_use_case, counts one role for the machines of a use case, watch machines included', () => {
    const shared = { stateMachineRoles: 'per_use_case' } as const;
    const transfer = (placeholder: string) => ({ table: 't', placeholder, location: {} }) as never;
    expect(workflowRoles({ watch: {}, resources: { datasync: [] } } as never, shared)).toBe(0);
    expect(workflowRoles({ watch: {}, resources: { datasync: [transfer('A'), transfer('B')] } } as never, shared)).toBe(2);
    expect(useCaseRoles({ workflows: [{}, { managedTables: ['db.t'] }] } as never, shared)).toBe(3);
    expect(useCaseRoles({ workflows: [] } as never, shared)).toBe(1);
  });

  it('names the shared roles as the remedy past the quota, and 180 use cases of 5 dags fit the default quota with them', () => {
    const tree = generateSpecs({ useCases: 180 }).sources;
    const own = compileTree(tree);
    expect(quota(own)[0]!.message).toMatch(/or set `state_machine_roles: per_use_case` in platform\.yaml \(one state machine role per use case\)$/);
    const shared = compileTree(tree.map((f) => (f.path === 'platform.yaml' ? { ...f, text: `${f.text}\nstate_machine_roles: per_use_case\n` } : f)));
    expect(quota(shared)).toEqual([]);
    const machines = own.manifest.useCases.reduce((n, u) => n + u.workflows.reduce((m, w) => m + 1 + (w.watch ? 1 : 0), 0), 0);
    expect(manifestRoles(own.manifest) - manifestRoles(shared.manifest)).toBe(machines - 180);
    expect(manifestRoles(shared.manifest)).toBeLessThan(IAM_ROLES_DEFAULT_QUOTA / 2);
    expect(shared.iamSummary).toBe(`${manifestRoles(shared.manifest)} roles (default quota 1,000 per account, at most 5,000)`);
  }, 120_000);

  it('refuses any other state_machine_roles, at its line and column, and deploys no use case on a guess', () => {
    const orchestration = 'owner: a@example.com\ndags:\n  - {name: one, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/a/one.py}}\n';
    for (const value of ['"*"', 'per_dag', 'PER_USE_CASE', '[per_use_case]', '{per_use_case: true}', 'true', '"per_use_case "']) {
      const r = compileTree({ 'platform.yaml': `prefix: acme\nregion: eu-west-1\nstate_machine_roles: ${value}\n`, 'a/orchestration.yaml': orchestration });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`), value).toEqual(['platform.yaml:3:22 SCHEMA_ENUM']);
      expect(r.manifest.useCases, value).toEqual([]);
    }
  });

  it('past the most an account holds with shared roles, says so and offers only more accounts', () => {
    const origin = (uc: string) => ({ file: `${uc}/orchestration.yaml`, line: 3, column: 5, pointer: '/dags/w0' });
    const useCases = Array.from({ length: 2_600 }, (_, i) => ({ name: `u${i}`, roles: 2, workflows: [{ name: 'w0', roles: 0 }] }));
    const facts = useCases.map((u) => ({ name: u.name, workflows: [{ name: 'w0', origin: origin(u.name) }] })) as unknown as UseCaseFacts[];
    const report = new Report();
    expect(checkIamRoleQuota(6, useCases, facts, report, { stateMachineRoles: 'per_use_case' })).toBe(6 + 2_600 * 2);
    expect(report.diagnostics.map((d) => d.useCase)).toEqual(['u497', 'u2497']);
    for (const d of report.diagnostics) {
      expect(d.message).toMatch(/\(the state machines of every use case share a role, and every use case has a Spark job role\)/);
      expect(d.message).not.toMatch(/state_machine_roles/);
    }
  });
});
