#!/usr/bin/env node
// Runs the CLI built into dist/ by `npm run build` (which `npm ci` runs through `prepare`).
import { cli } from '../dist/lakestep.js';
process.exitCode = await cli(process.argv.slice(2));
