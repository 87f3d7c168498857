// Redaction speed on output without spaces (the shape that made URL-credential redaction quadratic):
// Redactor.redact over N MB against the anchor, a plain copy of the same string (UTF-8 encode and
// decode), measured in the same run. A linear redactor keeps the ratio flat as N grows.
// Run: node bench/redact.bench.mjs [sizesMB=1,4,16]
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

// The sources import each other as `./x.js` (for the bundler); Node runs the `.ts` beside it (type stripping).
registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(ts))) return next(ts.href, context);
    }
    return next(specifier, context);
  },
});
const { Redactor } = await import('../src/lib/redact.ts');

const sizes = (process.argv[2] ?? '1,4,16').split(',').map(Number);

function best(fn, runs = 3) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

const r = new Redactor();
r.add('hunter2-secret');
r.add('another-token-value');
console.log('size_mb shape            redact_ms copy_ms ratio');
for (const mb of sizes) {
  const n = mb * 1024 * 1024;
  const shapes = {
    letters: 'a'.repeat(n),
    'url-ish': 'x://y:'.repeat(Math.floor(n / 6)),
    mixed: 'ab+c://user:pw@h/'.repeat(Math.floor(n / 17)),
  };
  for (const [name, text] of Object.entries(shapes)) {
    let out = '';
    const redactMs = best(() => (out = r.redact(text)));
    const copyMs = best(() => (out = Buffer.from(text, 'utf8').toString('utf8')));
    if (out.length === 0) throw new Error('empty');
    console.log(
      `${String(mb).padEnd(7)} ${name.padEnd(16)} ${redactMs.toFixed(1).padStart(9)} ${copyMs.toFixed(1).padStart(7)} ${(redactMs / Math.max(copyMs, 0.01)).toFixed(1).padStart(5)}`,
    );
  }
}
