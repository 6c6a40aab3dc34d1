#!/usr/bin/env node
// Entry point installed as `greenrt`: runs the compiled CLI from dist/.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
