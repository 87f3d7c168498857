#!/usr/bin/env node
// Local runner: runs a bundled action exactly as the GitHub runner does. See src/runner/cli.ts.
import '../dist/cli/index.js';
