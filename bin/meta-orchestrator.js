#!/usr/bin/env node
// The installed `meta-orchestrator` command: the CLI in src/cli, run through tsx (the project ships TypeScript, not a build).
require('tsx/cjs/api').register();
require('../src/cli/main.ts');
