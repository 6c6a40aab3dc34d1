// Entry point of the portable GPU bundle (scripts/gpu-bundle.mjs): the same CLI as bin/greenrt.js.
import { main } from './main.js';

process.exitCode = await main(process.argv);
