/**
 * Collects the Task states of an ASL definition, including those inside
 * `Map` (ItemProcessor / Iterator) and `Parallel` branches.
 * @see https://states-language.net/spec.html#map-state
 * @see https://states-language.net/spec.html#parallel-state
 */

export interface TaskStateRef {
  /** Path of state names from the top, for messages (`Transfer tables/Start transfer`). */
  path: string;
  resource: string;
  parameters: Record<string, unknown>;
}

interface StatesHolder {
  States?: Record<string, Record<string, unknown>>;
}

export function collectTaskStates(definition: unknown): TaskStateRef[] {
  const out: TaskStateRef[] = [];
  walk(definition as StatesHolder, '', out);
  return out;
}

function walk(machine: StatesHolder | undefined, prefix: string, out: TaskStateRef[]): void {
  for (const [name, state] of Object.entries(machine?.States ?? {})) {
    const path = prefix + name;
    switch (state.Type) {
      case 'Task':
        out.push({
          path,
          resource: String(state.Resource),
          parameters: (state.Parameters ?? state.Arguments ?? {}) as Record<string, unknown>,
        });
        break;
      case 'Map':
        walk((state.ItemProcessor ?? state.Iterator) as StatesHolder, `${path}/`, out);
        break;
      case 'Parallel':
        for (const branch of (state.Branches ?? []) as StatesHolder[]) walk(branch, `${path}/`, out);
        break;
    }
  }
}

/**
 * Whether a definition has a Map state in `DISTRIBUTED` mode (at any depth): its
 * items run as child executions that the state machine's own role starts.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
export function hasDistributedMap(definition: unknown): boolean {
  const visit = (machine: StatesHolder | undefined): boolean =>
    Object.values(machine?.States ?? {}).some((state) => {
      if (state.Type === 'Map') {
        const processor = (state.ItemProcessor ?? state.Iterator) as (StatesHolder & { ProcessorConfig?: { Mode?: string } }) | undefined;
        return processor?.ProcessorConfig?.Mode === 'DISTRIBUTED' || visit(processor);
      }
      if (state.Type === 'Parallel') return ((state.Branches ?? []) as StatesHolder[]).some(visit);
      return false;
    });
  return visit(definition as StatesHolder);
}

/**
 * A parameter's static value: `Name` as written, or undefined when the state
 * computes it at run time (`Name.$`) or leaves it out.
 */
export function staticParameter(parameters: Record<string, unknown>, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' ? value : undefined;
}

/** `arn:aws:` and `arn:${Partition}:` integration ARNs name the same integration. */
export function normalizeResource(resource: string): string {
  return resource.replace(/^arn:(\$\{Partition\}|aws[a-z-]*):states:::/, 'arn:aws:states:::');
}
