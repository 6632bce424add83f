// Prints the top self-time functions (and files) of a V8 .cpuprofile, e.g. one written by
// `node --cpu-prof bin/plinth.js serve …` or `npm run bench -- --cpu-prof`.
//
//   node bench/cpuprofile-top.mjs bench/.profiles/CPU.….cpuprofile [topN]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpuprofile-top.mjs <file.cpuprofile> [topN]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// self time per node from the samples and their time deltas (µs)
const self = new Map();
const { samples = [], timeDeltas = [] } = profile;
for (let i = 0; i < samples.length; i++) {
  const dt = timeDeltas[i + 1] ?? 0;
  self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
}
let total = 0;
for (const v of self.values()) total += v;

const shortUrl = (url) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'npm:').replace(/^.*\/(dist|src)\//, '$1/');
const byFn = new Map();
const byFile = new Map();
for (const [id, us] of self) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const fileKey = url ? shortUrl(url).replace(/^(npm:(@[^/]+\/)?[^/]+).*$/, '$1') : `(${functionName})`;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
}

const print = (title, map, n) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms sampled)`);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  for (const [key, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
};
// inclusive (self + callees) time per function, each sample counted once per function
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
};
const inclusive = new Map();
for (const [id, us] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const node = byId.get(cur);
    if (!node) break;
    const key = keyOf(node);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
print('Top self time by function', byFn, top);
if (process.env.INCLUSIVE) print('Top inclusive time by function', inclusive, top);
print('Self time by file / package', byFile, Math.min(top, 25));
