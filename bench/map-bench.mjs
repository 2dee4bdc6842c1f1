// Map benchmark: our widget and a Leaflet + markercluster reference page show the same synthetic
// pins in headless Chromium with 4x CPU throttling and a phone network (DevTools protocol: 10 Mbit/s
// down, 40 ms round trip; `BENCH_NETWORK=none` for loopback), beside a floor page that does nothing
// but move one layer (bench/floor.html). For each pin count our server gets a fresh database with
// that many pins (examples/seed_pins) and is warmed with one tile; the widget loads the pin tiles its
// view needs, Leaflet loads the whole public list from our server (up to BENCH_LEAFLET_MAX pins, as a
// real page would). Measures the first paint with pins and the pin data that arrived before it
// (ours: in rounds over all counts, every count's server up at once), and frame times (p50/p95)
// while panning and zooming. Prints Markdown tables and writes bench/results.json.
//
//   make bench            (or: node bench/map-bench.mjs [pin counts...])
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';
import { launchBrowser, ROOT } from '../e2e/lib/harness.mjs';
import { seededServer, serveLeaflet, percentile, panGesture, zoomGesture, openBenchPage, recordFrames, NETWORK } from './lib.mjs';

const COUNTS = process.argv.slice(2).map(Number).filter(Boolean);
const PIN_COUNTS = COUNTS.length ? COUNTS : [1_000, 10_000, 100_000, 1_000_000];
const LEAFLET_MAX = Number(process.env.BENCH_LEAFLET_MAX || 100_000);

async function measure(browser, url, markerSelector, surfaceSelector) {
  const { context, page, firstPins, pinBytes, pinRequests } = await openBenchPage(browser, url, markerSelector);
  await page.waitForTimeout(1000);
  const box = await page.locator(surfaceSelector).boundingBox();
  const pan = await recordFrames(page, () => panGesture(page, box));
  const zoom = await recordFrames(page, () => zoomGesture(page, box));
  await context.close();
  return {
    first_paint_ms: Math.round(firstPins),
    pin_kb: Math.round(pinBytes / 102.4) / 10, pin_requests: pinRequests,
    pan_p50_ms: +percentile(pan, 50).toFixed(1), pan_p95_ms: +percentile(pan, 95).toFixed(1),
    zoom_p50_ms: +percentile(zoom, 50).toFixed(1), zoom_p95_ms: +percentile(zoom, 95).toFixed(1),
    frames: pan.length + zoom.length,
    // The intervals themselves, for the p95 over all runs (`pooled` below).
    intervals: { pan, zoom },
  };
}

function transferSizes() {
  const dist = join(ROOT, 'dist');
  const out = {};
  for (const f of readdirSync(dist)) {
    const ext = extname(f);
    // Every wasm and js file: the first screen's and the parts' (bench/first-load.mjs has the first screen).
    if (['.wasm', '.js', '.css'].includes(ext)) out[ext.slice(1)] = (out[ext.slice(1)] || 0) + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  }
  out.basemap = gzipSync(readFileSync(join(dist, 'basemap', 'arboga.geojson')), { level: 9 }).length;
  out.total = Object.values(out).reduce((a, b) => a + b, 0);
  return out;
}

const pinsJson = { current: '[]' };
const leaflet = await serveLeaflet(pinsJson);
const leafletUrl = `http://127.0.0.1:${leaflet.address().port}/`;
const browser = await launchBrowser();
const results = { date: new Date().toISOString(), cpu_throttling: 4, network: NETWORK, transfer_gzip_bytes: transferSizes(), runs: [] };
// Frame-time percentiles move by ±30 % between runs on a shared machine, so each page is measured
// REPEATS times, interleaved, and the median of each metric is reported.
const REPEATS = Number(process.env.BENCH_REPEATS || 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// A first paint is one page load, cheap next to a run with gestures, and it spreads between
// loads about as much as the 1.2x target allows (745–889 ms at 1 000 pins in one run of three).
// And the machine drifts: measured one count after another, a count measured in a slow minute
// looked slow (the ratio at 1 000 000 pins was 0.87 in one run and 1.25 in the next). So our first
// paint is measured in PAINT_ROUNDS rounds over all counts, with every count's server up at once,
// each round starting at the next count; the figure is the median of a count's loads.
const PAINT_ROUNDS = Number(process.env.BENCH_PAINT_ROUNDS ?? 9);
async function firstPaint(browser, url) {
  const { context, firstPins } = await openBenchPage(browser, url, '.tk-marker');
  await context.close();
  return Math.round(firstPins);
}
const medianOf = (runs) => (runs.length ? Object.fromEntries(Object.keys(runs[0]).filter((k) => k !== 'intervals')
  .map((k) => [k, median(runs.map((r) => r[k]))])) : null);
// A run's p95 is its 5th or 6th slowest frame of about a hundred: the floor page's own p95 spread
// 19.0–26.4 ms over six runs of one session (docs/PERFORMANCE.md, session 10). The p95 of the
// frames of all runs together rests on three times as many frames.
const pooled = (runs) => (runs.length ? {
  pan_p95_ms: +percentile(runs.flatMap((r) => r.intervals.pan), 95).toFixed(1),
  zoom_p95_ms: +percentile(runs.flatMap((r) => r.intervals.zoom), 95).toFixed(1),
} : null);
const servers = new Map();
try {
  for (const n of PIN_COUNTS) {
    const ours = await seededServer(n);
    servers.set(n, ours);
    console.error(`${n} pins: ${ours.seeded}; first tile (cold) ${ours.coldMs} ms; server ${ours.memoryMib.join(' → ')} MiB`);
  }
  const paints = new Map(PIN_COUNTS.map((n) => [n, []]));
  for (let round = 0; round < PAINT_ROUNDS; round += 1) {
    for (let j = 0; j < PIN_COUNTS.length; j += 1) {
      const n = PIN_COUNTS[(round + j) % PIN_COUNTS.length];
      paints.get(n).push(await firstPaint(browser, `${servers.get(n).server.url}/`));
    }
    console.error(`first paints, round ${round + 1}: ${PIN_COUNTS.map((n) => `${n} pins ${paints.get(n).at(-1)} ms`).join(', ')}`);
  }
  for (const n of PIN_COUNTS) {
    const ours = servers.get(n);
    const withLeaflet = n <= LEAFLET_MAX;
    if (withLeaflet) pinsJson.current = await (await fetch(`${ours.server.url}/api/pins`)).text();
    const all = { ours: [], leaflet: [], floor: [] };
    for (let i = 0; i < REPEATS; i += 1) {
      all.ours.push(await measure(browser, `${ours.server.url}/`, '.tk-marker', '.tk-surface'));
      if (withLeaflet) all.leaflet.push(await measure(browser, leafletUrl, '.marker-cluster, .leaflet-marker-icon', '#map'));
      all.floor.push(await measure(browser, `${leafletUrl}floor`, '.marker-cluster', '#map'));
      const brief = (r) => (r ? JSON.stringify({ ...r, intervals: undefined }) : null);
      console.error(`${n} pins, run ${i + 1}: ours ${brief(all.ours[i])} leaflet ${brief(all.leaflet[i])} floor ${brief(all.floor[i])}`);
    }
    const firstPaints = paints.get(n);
    results.runs.push({
      pins: n, repeats: REPEATS, seeded: ours.seeded, cold_tile_ms: ours.coldMs, server_mib: ours.memoryMib,
      ours: { ...medianOf(all.ours), first_paint_ms: median(firstPaints) }, first_paints: firstPaints,
      leaflet: medianOf(all.leaflet), floor: medianOf(all.floor),
      pooled: { ours: pooled(all.ours), leaflet: pooled(all.leaflet), floor: pooled(all.floor) }, each: all,
    });
  }
} finally {
  await browser.close();
  leaflet.close();
  for (const s of servers.values()) await s.stop();
}
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const net = NETWORK ? `${NETWORK.downloadThroughput * 8 / 1e6} Mbit/s down, ${NETWORK.latency} ms round trip` : 'loopback';
console.log(`Medians of ${REPEATS} runs each; 4x CPU throttling; network: ${net}. Floor: bench/floor.html, one layer moved by a CSS transform and nothing else.\n`);
const base = results.runs.find((r) => r.pins === Math.min(...PIN_COUNTS));
const dash = (v) => (v === undefined || v === null ? '–' : v);
console.log(`Our first paint: the median of ${PAINT_ROUNDS} loads, in rounds over all counts (their range in brackets); Leaflet's and the floor's: of ${REPEATS}.\n`);
console.log('| pins | ours: first paint with pins (ms) | ours / fewest pins | ours: pin data before it (KB, requests) | Leaflet: first paint (ms) | Leaflet: pin data (KB) | floor: first paint (ms) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results.runs) {
  const range = `${Math.min(...r.first_paints)}–${Math.max(...r.first_paints)}`;
  console.log(`| ${r.pins} | ${r.ours.first_paint_ms} (${range}) | ${(r.ours.first_paint_ms / base.ours.first_paint_ms).toFixed(2)} | ${r.ours.pin_kb} (${r.ours.pin_requests}) | ${dash(r.leaflet?.first_paint_ms)} | ${dash(r.leaflet?.pin_kb)} | ${r.floor.first_paint_ms} |`);
}
console.log('\n| pins | metric | ours | Leaflet | floor | ours − floor |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const r of results.runs) {
  for (const [k, label] of [['pan_p50_ms', 'pan frame p50 (ms)'], ['pan_p95_ms', 'pan frame p95 (ms)'], ['zoom_p50_ms', 'zoom frame p50 (ms)'], ['zoom_p95_ms', 'zoom frame p95 (ms)']]) {
    console.log(`| ${r.pins} | ${label} | ${r.ours[k]} | ${dash(r.leaflet?.[k])} | ${r.floor[k]} | ${(r.ours[k] - r.floor[k]).toFixed(1)} |`);
    const p = r.pooled;
    if (k.endsWith('p95_ms')) console.log(`| ${r.pins} | ${label.replace('p95', 'p95 of all runs\' frames')} | ${p.ours[k]} | ${dash(p.leaflet?.[k])} | ${p.floor[k]} | ${(p.ours[k] - p.floor[k]).toFixed(1)} |`);
  }
}
console.log('\n| pins | seeding | first tile answer, cold (ms) | server memory before → after it (MiB) |');
console.log('|---:|---|---:|---|');
for (const r of results.runs) console.log(`| ${r.pins} | ${r.seeded} | ${r.cold_tile_ms} | ${r.server_mib.join(' → ')} |`);
const t = results.transfer_gzip_bytes;
console.log(`\nAll widget files (gzip -9; the first screen's bytes are printed by bench/first-load.mjs): wasm ${t.wasm} + js ${t.js} + css ${t.css} + basemap ${t.basemap} = ${t.total} bytes`);
