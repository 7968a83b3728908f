/**
 * Counts of one fuzz run per boundary: inputs generated, how many the schema accepts, and what the
 * other side answered (HTTP status, WS frame type or close code, IPC result code). Printed at the
 * end of each fuzz file so the figures can be quoted.
 */
export class FuzzStats {
  inputs = 0;
  valid = 0;
  invalid = 0;
  private readonly outcomes = new Map<string, number>();
  private readonly started = Date.now();

  constructor(
    readonly boundary: string,
    readonly seed: number,
  ) {}

  record(valid: boolean, outcome: string | number): void {
    this.inputs += 1;
    if (valid) this.valid += 1;
    else this.invalid += 1;
    this.count(String(outcome));
  }

  /** An outcome not tied to one generated input (e.g. a close after a burst). */
  count(outcome: string, n = 1): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + n);
  }

  histogram(): Record<string, number> {
    return Object.fromEntries([...this.outcomes.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  summary(): string {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const outcomes = Object.entries(this.histogram())
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    return `[fuzz ${this.boundary}] seed ${this.seed}: ${this.inputs} inputs (${this.valid} schema-valid, ${this.invalid} invalid) in ${seconds} s; outcomes { ${outcomes} }`;
  }

  print(): void {
    // The figures are the point of the run: printed even when the run passes.
    console.log(this.summary());
  }
}
