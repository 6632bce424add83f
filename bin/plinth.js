#!/usr/bin/env node
import { holdYoungGeneration } from '../dist/cli/young-generation.js';

// before the app's modules load: see src/cli/young-generation.ts
holdYoungGeneration();
const { main } = await import('../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
