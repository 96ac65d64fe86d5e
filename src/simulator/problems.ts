/**
 * Defects the simulator found in the compiled artifacts: things that would fail on AWS.
 * By default the simulator reports each one here and works around it so the rest of
 * the platform still runs; with `strict` it fails the call the way AWS would.
 */
export class Problems {
  private readonly seen = new Map<string, string>();

  constructor(readonly strict: boolean) {}

  /** Records a defect (once per text). */
  report(text: string): void {
    if (!this.seen.has(text)) this.seen.set(text, text);
  }

  list(): string[] {
    return [...this.seen.values()].sort();
  }
}

/** `acme-orders-orders-migration` from an execution ARN (`…:execution:<machine>:<name>`). */
export function machineOf(executionArn: string): string {
  const m = /:execution:([^:]+):/.exec(executionArn);
  return m ? (m[1] as string) : executionArn;
}
