/**
 * Generators of valid spec trees. A tree is use cases → dags; each dag's body
 * comes from `BODIES`, keyed on the kind of workflow it compiles to. Today only
 * custom Spark dags compile; a phase (migration, ingestion, processing,
 * maintenance) joins by adding an entry that returns its dag lines and the
 * phase file it needs.
 */
import fc from 'fast-check';
import type { SourceFile } from '../../src/spec/files.ts';

/** What a dag body adds: lines under the dag (4-space indent) and files of its use case. */
export interface Body {
  lines: string[];
  files: Record<string, string>;
}

const WORDS = ['alpha', 'beta', 'report', 'x', 'dt=', 'out/', 'v1', '42', '-', '--flag', 'a b'];
const TEMPLATES = ['ds', 'ts', 'run_id', 'dag', 'use_case'];
/**
 * Awkward literals: quotes, lone braces (never doubled: `{{`/`}}` delimit templates),
 * `$`, JSON paths and intrinsic calls, which must stay text. No backslash: Step
 * Functions accepts `\\` in intrinsic strings but asl-validator's grammar rejects
 * it. No `${`: spec text must not become a placeholder (test/compile/placeholders.test.ts).
 */
const ODD = ["'", '"', '{ ', ' }', '$', '$.run.ds', '$$.Execution.Name', "States.Format('{}', $.x)", 'States.Array(1)', '.$', '(', ')', ',', ':'];

const piece = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.constantFrom(...ODD),
  fc.tuple(fc.constantFrom(...TEMPLATES), fc.constantFrom('', ' ', '  ')).map(([t, s]) => `{{${s}${t}${s}}}`),
);

export const argument = fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join(''));

export const SCHEDULES = ['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)', 'cron(0 6 * * ? *)', 'cron(15,45 */2 ? * MON-FRI *)', 'cron(0 0 1 * ? 2030)', 'cron(0 3 L * ? *)', 'cron(30 4 ? * 6#3 *)'];

/** Stands for the platform's artifacts bucket in body lines. */
const ARTIFACTS = '@artifacts@';

export const BODIES = {
  spark: (useCase: string, dag: string): fc.Arbitrary<Body> =>
    fc.record({
      args: fc.array(argument, { maxLength: 5 }),
      submit: fc.constantFrom('', '--conf spark.executor.memory=4g'),
      timeout: fc.constantFrom(undefined, '30m', '2h'),
    }).map(({ args, submit, timeout }) => ({
      lines: [
        '    spark:',
        // Under the use case's own prefix of the artifacts bucket, named once the platform prefix is drawn.
        `      entrypoint: s3://${ARTIFACTS}/${useCase}/${dag}.py`,
        ...(args.length ? [`      arguments: ${JSON.stringify(args)}`] : []),
        ...(submit ? [`      spark_submit_parameters: ${submit}`] : []),
        ...(timeout ? [`      timeout: ${timeout}`] : []),
      ],
      files: {},
    })),
} satisfies Record<string, (useCase: string, dag: string) => fc.Arbitrary<Body>>;

export type BodyKind = keyof typeof BODIES;

interface DagShape {
  useCase: string;
  name: string;
  kind: BodyKind;
}

export interface GeneratedTree {
  sources: SourceFile[];
  useCases: string[];
  /** `<use-case>/<dag>` → its upstreams. */
  dependsOn: Map<string, string[]>;
}

/**
 * A valid tree: 1–`maxUseCases` use cases of 1–`maxDags` dags. Dags are ordered
 * across the whole tree and depend only on earlier ones, so there is no cycle.
 */
export function specTree(maxUseCases = 3, maxDags = 3): fc.Arbitrary<GeneratedTree> {
  return fc
    .array(fc.integer({ min: 1, max: maxDags }), { minLength: 1, maxLength: maxUseCases })
    .chain((sizes) => {
      const dags: DagShape[] = sizes.flatMap((n, u) => Array.from({ length: n }, (_, d) => ({ useCase: `uc${u}`, name: `dag-${u}-${d}`, kind: 'spark' as BodyKind })));
      const perDag = dags.map((dag, i) =>
        fc.record({
          body: BODIES[dag.kind](dag.useCase, dag.name),
          schedule: fc.option(fc.constantFrom(...SCHEDULES), { nil: undefined }),
          upstreams: i === 0 ? fc.constant([] as number[]) : fc.uniqueArray(fc.nat(i - 1), { maxLength: 3 }),
          retries: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
          enabled: fc.option(fc.boolean(), { nil: undefined }),
          onSuccess: fc.boolean(),
        }),
      );
      return fc.tuple(fc.tuple(...perDag), fc.option(fc.constantFrom('acme', 'p1', 'data-x'), { nil: undefined })).map(([specs, prefix]) => {
        const files: Record<string, string> = {};
        const dependsOn = new Map<string, string[]>();
        if (prefix) files['platform.yaml'] = `prefix: ${prefix}\n`;
        const useCases = [...new Set(dags.map((d) => d.useCase))];
        for (const uc of useCases) {
          const lines = [`owner: ${uc}@example.com`, 'dags:'];
          dags.forEach((dag, i) => {
            if (dag.useCase !== uc) return;
            const s = specs[i]!;
            const ups = s.upstreams.map((j) => dags[j]!).map((u) => (u.useCase === uc ? u.name : `${u.useCase}/${u.name}`));
            dependsOn.set(`${uc}/${dag.name}`, s.upstreams.map((j) => `${dags[j]!.useCase}/${dags[j]!.name}`));
            lines.push(`  - name: ${dag.name}`, '    type: transformation');
            if (s.schedule) lines.push(`    schedule: ${s.schedule}`);
            if (ups.length) lines.push(`    depends_on: [${ups.join(', ')}]`);
            if (s.retries !== undefined) lines.push(`    retries: ${s.retries}`);
            if (s.enabled !== undefined) lines.push(`    enabled: ${s.enabled}`);
            if (s.onSuccess) lines.push('    notification: {on_success_callback: true}');
            lines.push(...s.body.lines.map((l) => l.replace(ARTIFACTS, `${prefix ?? 'lakestep'}-artifacts`)));
            for (const [p, t] of Object.entries(s.body.files)) files[`${uc}/${p}`] = t;
          });
          files[`${uc}/orchestration.yaml`] = lines.join('\n') + '\n';
        }
        return { sources: Object.entries(files).map(([path, text]) => ({ path, text })), useCases, dependsOn };
      });
    });
}
