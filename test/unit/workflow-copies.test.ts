/**
 * GitHub only calls reusable workflows from .github/workflows/, so each template has a copy there.
 * workflows-templates/ is the source of truth; this test fails when a copy drifts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

const templates = readdirSync(join(ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml'));

describe('reusable workflow copies', () => {
  it('there are templates', () => expect(templates.length).toBeGreaterThan(0));
  it.each(templates)('.github/workflows/%s is identical to workflows-templates/%s', (f) => {
    const copy = join(ROOT, '.github', 'workflows', f);
    expect(existsSync(copy), `copy it: cp workflows-templates/${f} .github/workflows/${f}`).toBe(true);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(join(ROOT, 'workflows-templates', f), 'utf8'));
  });
});
