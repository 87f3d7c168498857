// Lets Node run the demo's TypeScript (and the test fixtures it shares with the test suite) as they are:
// Node 24 strips the types itself; this hook maps the `./x.js` specifiers the sources use (the project's
// ESM convention, resolved by vitest and tsc) to the `./x.ts` file beside them when no .js exists.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (/^\.\.?\//.test(specifier) && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
      const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      const js = new URL(specifier, context.parentURL);
      if (!existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(ts))) return nextResolve(ts.href, context);
    }
    return nextResolve(specifier, context);
  },
});
