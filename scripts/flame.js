#!/usr/bin/env node
// `npm run flame -- <file.cpuprofile | folder> [...] [--out=bench/flames] [--name=<base>] [--md=<file>]
//                   [--title=<text>] [--top=20] [--from=<s>] [--to=<s>] [--result=<bench json> --scenario=<name>]`
// Turns V8 CPU profiles (`BENCH_CPU_PROF=gateway,events npm run bench …` writes them beside the app logs) into
// an SVG flame graph each (<out>/<name>.svg) and a Markdown summary: time by package, then the top functions
// by self and by inclusive time. The summary goes to stdout, or to --md for all the profiles given.
//
// Written here rather than taken from npm: the well-kept packages either profile a process themselves and
// write an HTML page (0x, clinic flame) or are interactive viewers (speedscope); none turns an existing
// .cpuprofile into a static SVG that can be committed and opened from a pull request.
const fs = require('node:fs');
const path = require('node:path');
const { loadProfile, summarise } = require('./lib/cpuprofile');

const WIDTH = 1200;
const ROW = 17;
const PAD = 10;
const HEADER = 40;
/** Frames narrower than this share of the busy time are left out (they would be invisible, and the SVG big). */
const MIN_SHARE = 0.0005;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ms = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const pct = (x, total) => (total > 0 ? `${((x / total) * 100).toFixed(1)} %` : '-');

/** A stable colour per package, by the kind of code: ours blue, dependencies warm, node green, V8 grey, GC red. */
function colour(info) {
  let h = 0;
  for (const c of info.group) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const v = h % 20;
  switch (info.kind) {
    case 'ours':
      return `hsl(${205 + v}, 65%, ${62 + (v % 8)}%)`;
    case 'dep':
      return `hsl(${15 + v * 2}, 85%, ${58 + (v % 10)}%)`;
    case 'node':
      return `hsl(${95 + v}, 45%, ${58 + (v % 8)}%)`;
    case 'gc':
      return 'hsl(0, 70%, 60%)';
    default:
      return `hsl(0, 0%, ${70 + (v % 10)}%)`;
  }
}

/** Classic flame graph: callers below callees, width = inclusive time, children sorted by name. */
function renderSvg(loaded, title) {
  const { root } = loaded;
  const total = root.total || 1;
  const scale = (WIDTH - 2 * PAD) / total;
  const rects = [];
  let maxDepth = 0;
  const place = (node, x, depth) => {
    maxDepth = Math.max(maxDepth, depth);
    rects.push({ node, x, depth });
    let cx = x;
    for (const c of [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      if (c.total / total >= MIN_SHARE) place(c, cx, depth + 1);
      cx += c.total;
    }
  };
  place(root, 0, 0);
  const height = HEADER + (maxDepth + 1) * ROW + PAD;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Verdana, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdf7"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    `<text x="${WIDTH / 2}" y="33" text-anchor="middle" fill="#555">busy ${ms(loaded.busyMs)} ms of ${ms(loaded.windowMs)} ms profiled (idle left out); width = inclusive CPU time; hover for details; blue our code, orange dependencies, green node, grey V8, red GC</text>`,
  ];
  for (const { node, x, depth } of rects) {
    const w = node.total * scale;
    const px = PAD + x * scale;
    const py = height - PAD - (depth + 1) * ROW;
    const label = node === root ? `all (${ms(node.total)} ms)` : node.name;
    const tip =
      node === root
        ? `all: ${ms(node.total)} ms`
        : `${node.name} ${node.where ? `(${node.where})` : ''} [${node.info.group}]\nself ${ms(node.self)} ms, total ${ms(node.total)} ms (${pct(node.total, total)})`;
    const fill = node === root ? '#ddd' : colour(node.info);
    const chars = Math.floor((w - 6) / 6.5);
    const text = chars >= 3 ? (label.length > chars ? `${label.slice(0, chars - 1)}…` : label) : '';
    out.push(
      `<g><title>${esc(tip)}</title><rect x="${px.toFixed(1)}" y="${py}" width="${Math.max(0.5, w - 0.5).toFixed(1)}" height="${ROW - 1}" fill="${fill}" rx="2"/>` +
        (text ? `<text x="${(px + 3).toFixed(1)}" y="${py + 12}">${esc(text)}</text>` : '') +
        '</g>',
    );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A Markdown table; the last `numeric` columns are right-aligned. */
function table(headers, rows, numeric) {
  const align = headers.map((_, i) => (i >= headers.length - numeric ? '---:' : '---'));
  return [`| ${headers.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The Markdown summary of one profile. */
function renderSummary(loaded, { title, top, svg, source }) {
  const { functions, groups } = summarise(loaded.root);
  const busy = loaded.busyMs;
  const cell = (s) => String(s).replace(/\|/g, '\\|');
  const lines = [`### ${title}`, ''];
  lines.push(
    `${source}: ${ms(loaded.windowMs / 1000)} s profiled, ${loaded.samples.toLocaleString('en-US')} samples; ` +
      `busy ${ms(busy)} ms (${pct(busy, loaded.windowMs)}), idle ${ms(loaded.idleMs)} ms left out.${svg ? ` Flame graph: [${path.basename(svg)}](${path.basename(svg)}).` : ''}`,
  );
  lines.push('', '**By package** (self: in its own code; inclusive: on the stack, counted once per stack)', '');
  lines.push(
    table(
      ['package', 'self ms', 'self %', 'inclusive ms', 'inclusive %'],
      groups
        .sort((a, b) => b.self - a.self)
        .slice(0, top)
        .map((g) => [cell(g.group), ms(g.self), pct(g.self, busy), ms(g.total), pct(g.total, busy)]),
      4,
    ),
  );
  const fnRows = (list, field) =>
    list
      .sort((a, b) => b[field] - a[field])
      .slice(0, top)
      .map((f, i) => [String(i + 1), `\`${cell(f.name)}\``, cell(f.where || '-'), cell(f.group), ms(f[field]), pct(f[field], busy)]);
  lines.push('', `**Top ${top} functions by self time**`, '');
  lines.push(table(['#', 'function', 'where', 'package', 'self ms', 'self %'], fnRows(functions, 'self'), 2));
  lines.push('', `**Top ${top} functions by inclusive time**`, '');
  lines.push(table(['#', 'function', 'where', 'package', 'total ms', 'total %'], fnRows(functions, 'total'), 2));
  return lines.join('\n') + '\n';
}

function parseArgs(argv) {
  const opts = { out: path.join('bench', 'flames'), top: 20, inputs: [] };
  for (const a of argv) {
    const m = /^--([a-z]+)=(.*)$/.exec(a);
    if (!m) {
      if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
      opts.inputs.push(a);
    } else if (['out', 'name', 'md', 'title', 'result', 'scenario'].includes(m[1])) opts[m[1]] = m[2];
    else if (['top', 'from', 'to'].includes(m[1]) && Number(m[2]) >= 0) opts[m[1]] = Number(m[2]);
    else throw new Error(`bad option ${a}`);
  }
  if (opts.scenario && !opts.result) throw new Error('--scenario needs --result');
  if (!opts.inputs.length && !opts.result) throw new Error('no .cpuprofile given');
  return opts;
}

/** Files given, and the .cpuprofile files in the folders given (the bench writes one folder per app). */
function profilesOf(inputs) {
  return inputs.flatMap((p) =>
    fs.statSync(p).isDirectory()
      ? fs
          .readdirSync(p)
          .filter((f) => f.endsWith('.cpuprofile'))
          .sort()
          .map((f) => path.join(p, f))
      : [p],
  );
}

/**
 * A bench result lists its profiles (app, folder, when the app was spawned) and when each scenario ran:
 * the window of one scenario in a profile, in seconds from its start (V8 starts profiling a few ms after
 * the spawn, so the window starts that much late).
 */
function fromResult(opts) {
  const result = JSON.parse(fs.readFileSync(opts.result, 'utf8'));
  const profiles = result.profiles || [];
  if (!profiles.length) throw new Error(`${opts.result} lists no profiles (run the bench with BENCH_CPU_PROF=<apps>)`);
  const scenario = opts.scenario && result.scenarios.find((s) => s.name === opts.scenario);
  if (opts.scenario && !scenario?.startedAt) throw new Error(`${opts.result} has no scenario ${opts.scenario} with its start time`);
  const windowOf = (file) => {
    const app = path.basename(path.dirname(file)).replace(/^cpu-prof-/, '');
    const p = profiles.find((x) => x.app === app);
    if (!scenario || !p) return {};
    const fromS = (Date.parse(scenario.startedAt) - Date.parse(p.spawnedAt)) / 1000;
    return { from: fromS, to: fromS + scenario.wallMs / 1000 };
  };
  return { inputs: opts.inputs.length ? opts.inputs : profiles.map((p) => p.dir), windowOf };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const fromRun = opts.result ? fromResult(opts) : { inputs: opts.inputs, windowOf: () => ({}) };
  const files = profilesOf(fromRun.inputs);
  fs.mkdirSync(opts.out, { recursive: true });
  const summaries = [];
  files.forEach((file, i) => {
    // The bench's folders are cpu-prof-<app>: several profiles under one --name become <name>-<app>.
    const app = path.basename(path.dirname(file)).replace(/^cpu-prof-/, '') || `profile-${i + 1}`;
    const base = opts.name ? (files.length > 1 ? `${opts.name}-${app}` : opts.name) : app;
    const w = { from: opts.from, to: opts.to, ...fromRun.windowOf(file) };
    const loaded = loadProfile(JSON.parse(fs.readFileSync(file, 'utf8')), { fromS: w.from, toS: w.to });
    const title = opts.title ? `${opts.title}${files.length > 1 ? `: ${app}` : ''}` : base;
    const svg = path.join(opts.out, `${base}.svg`);
    fs.writeFileSync(svg, renderSvg(loaded, title));
    const size = fs.statSync(svg).size;
    console.error(`[flame] ${file} → ${svg} (${(size / 1024).toFixed(0)} KiB${size > 1024 * 1024 ? ', over 1 MB: do not commit it' : ''})`);
    const windowText = w.from !== undefined || w.to !== undefined ? `seconds ${(w.from ?? 0).toFixed(1)}–${w.to === undefined ? 'end' : w.to.toFixed(1)}` : '';
    const scenarioText = opts.scenario ? `the ${opts.scenario} scenario, ${windowText} of the app's profile` : windowText;
    summaries.push(renderSummary(loaded, { title, top: opts.top, svg, source: `\`${path.basename(file)}\`${scenarioText ? `, ${scenarioText}` : ''}` }));
  });
  const text = summaries.join('\n');
  if (opts.md) {
    fs.writeFileSync(opts.md, text);
    console.error(`[flame] summary → ${opts.md}`);
  } else process.stdout.write(text);
}

try {
  main();
} catch (e) {
  console.error(
    `[flame] ${e.message}\nusage: npm run flame -- <file.cpuprofile | folder> [...] [--out=bench/flames] [--name=<base>] [--md=<file>] [--title=<text>] [--top=20] [--from=<s>] [--to=<s>] [--result=<bench json> --scenario=<name>]`,
  );
  process.exit(1);
}
