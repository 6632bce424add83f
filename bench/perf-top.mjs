// On-CPU breakdown of a server from Linux `perf` samples, in µs per request, and the difference
// between two servers. See bench/README.md ("Profiling").
//
//   perf record -F 1999 -g -p <pid> -o plinth.data      # while the server is under load
//   perf script -i plinth.data > plinth.txt
//   node bench/perf-top.mjs plinth.txt:<µs per request> [bare.txt:<µs per request>] [rows]
//
// The µs per request come from the same run (bench/ab.ts or the benchmark's table): the samples
// only say how that time divides. Only the busiest thread (the event loop) is counted.
import { readFileSync } from 'node:fs';

/** The samples of the busiest thread: each a list of frames, leaf first. */
function readSamples(file) {
  const byThread = new Map();
  let frames = null;
  let tid = '';
  const flush = () => {
    if (!frames) return;
    if (!byThread.has(tid)) byThread.set(tid, []);
    byThread.get(tid).push(frames);
    frames = null;
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') flush();
    else if (!/^\s/.test(line)) {
      flush();
      tid = /^\S+\s+(\d+)/.exec(line)?.[1] ?? '';
      frames = [];
    } else if (frames) {
      const [, symbol = '', dso = ''] = /^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)$/.exec(line) ?? [];
      frames.push({ symbol: symbol.replace(/\+0x[0-9a-f]+$/, ''), dso: dso.replace(/^.*\//, '') });
    }
  }
  flush();
  return [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
}

/** µs per request by leaf DSO, leaf symbol, and (inclusive) by Plinth's own functions. */
function breakdown(file, usPerRequest) {
  const samples = readSamples(file);
  const share = usPerRequest / Math.max(samples.length, 1);
  const dso = new Map();
  const symbol = new Map();
  const own = new Map();
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + share);
  for (const frames of samples) {
    const leaf = frames[0];
    if (!leaf) continue;
    add(dso, leaf.dso.startsWith('perf-') ? '[JIT]' : leaf.dso);
    add(symbol, leaf.symbol.replace(/file:\/\/\S*?\/(dist|node_modules)\//, '$1/'));
    const seen = new Set();
    for (const { symbol: s } of frames) {
      const m = /^JS:\S?(\S*) (?:file:\/\/)?\S*?\/(dist\/\S+?):\d+/.exec(s);
      const key = m ? `${m[2]} ${m[1]}` : null;
      if (key && !seen.has(key)) {
        seen.add(key);
        add(own, key);
      }
    }
  }
  return { samples: samples.length, dso, symbol, own };
}

const [a, b, rowsText] = process.argv.slice(2);
const parse = (arg) => {
  const i = arg?.lastIndexOf(':') ?? -1;
  if (!arg || i < 0) throw new Error('usage: node bench/perf-top.mjs <perf script file>:<µs per request> [<other>:<µs>] [rows]');
  return breakdown(arg.slice(0, i), Number(arg.slice(i + 1)));
};
const first = parse(a);
const second = b && b.includes(':') ? parse(b) : null;
const rows = Number((second ? rowsText : b) ?? 30);
const fmt = (n) => n.toFixed(2).padStart(7);
const table = (title, x, y) => {
  console.log(`\n${title}`);
  const keys = [...new Set([...x.keys(), ...(y?.keys() ?? [])])];
  const diff = (k) => (x.get(k) ?? 0) - (y?.get(k) ?? 0);
  keys.sort((k1, k2) => (y ? diff(k2) - diff(k1) : (x.get(k2) ?? 0) - (x.get(k1) ?? 0)));
  console.log(y ? '   first  second    diff' : '      µs');
  for (const k of keys.slice(0, rows)) {
    console.log(y ? `${fmt(x.get(k) ?? 0)} ${fmt(y.get(k) ?? 0)} ${fmt(diff(k))}  ${k}` : `${fmt(x.get(k) ?? 0)}  ${k}`);
  }
};
console.log(`samples: ${first.samples}${second ? ` / ${second.samples}` : ''} (µs per request)`);
table('by library (leaf frame)', first.dso, second?.dso);
table('by function (leaf frame)', first.symbol, second?.symbol);
if (!second) table("Plinth's functions (inclusive)", first.own);
