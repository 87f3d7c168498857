import { Inputs } from '../../src/lib/inputs.js';

/** Inputs backed by a plain map, as `core.getInput` would return them (missing → ''). */
export function mapInputs(values: Record<string, string>, secrets: string[] = []): Inputs {
  return new Inputs(
    (name) => values[name] ?? '',
    (s) => secrets.push(s),
  );
}
