#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (built by `npm run build`, which `npm install`
// runs through the `prepare` script).
import '../dist/src/cli.js';
