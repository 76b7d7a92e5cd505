#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` writes dist/; `npm pack` and `npm test` build first).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
