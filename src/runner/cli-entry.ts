import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './cli.js';

const here = dirname(fileURLToPath(import.meta.url));
// dist/cli/index.js → repository root is two levels up.
main(process.argv.slice(2), resolve(here, '..', '..')).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`deploy-kit: ${e.message}\n`);
    process.exit(1);
  },
);
