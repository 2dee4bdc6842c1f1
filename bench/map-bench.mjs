// Map benchmark: our widget and a Leaflet + markercluster reference page load the same synthetic
// pins in headless Chromium with 4x CPU throttling (DevTools protocol), beside a floor page that
// does nothing but move one layer (bench/floor.html). Measures time to first paint with pins, and
// frame times (p50/p95) while panning and zooming. Prints a Markdown table and writes
// bench/results.json.
//
//   make bench            (or: node bench/map-bench.mjs [pin counts...])
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';
import { startServer, launchBrowser, ROOT } from '../e2e/lib/harness.mjs';
import { syntheticPins, serveLeaflet, percentile, panGesture, zoomGesture, openBenchPage, recordFrames } from './lib.mjs';

const COUNTS = process.argv.slice(2).map(Number).filter(Boolean);
const PIN_COUNTS = COUNTS.length ? COUNTS : [10_000, 100_000];

async function measure(browser, url, markerSelector, surfaceSelector, pins) {
  const { context, page, firstPins } = await openBenchPage(browser, url, markerSelector, pins);
  await page.waitForTimeout(1000);
  const box = await page.locator(surfaceSelector).boundingBox();
  const pan = await recordFrames(page, () => panGesture(page, box));
  const zoom = await recordFrames(page, () => zoomGesture(page, box));
  await context.close();
  return {
    first_paint_ms: Math.round(firstPins),
    pan_p50_ms: +percentile(pan, 50).toFixed(1), pan_p95_ms: +percentile(pan, 95).toFixed(1),
    zoom_p50_ms: +percentile(zoom, 50).toFixed(1), zoom_p95_ms: +percentile(zoom, 95).toFixed(1),
    frames: pan.length + zoom.length,
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

const server = await startServer({ env: { RUST_LOG: 'error' } });
const pinsJson = { current: '[]' };
const leaflet = await serveLeaflet(pinsJson);
const leafletUrl = `http://127.0.0.1:${leaflet.address().port}/`;
const browser = await launchBrowser();
const results = { date: new Date().toISOString(), cpu_throttling: 4, transfer_gzip_bytes: transferSizes(), runs: [] };
// Frame-time percentiles move by ±30 % between runs on a shared machine, so each page is measured
// REPEATS times, interleaved, and the median of each metric is reported.
const REPEATS = Number(process.env.BENCH_REPEATS || 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianOf = (runs) => Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
try {
  for (const n of PIN_COUNTS) {
    pinsJson.current = syntheticPins(n);
    const all = { ours: [], leaflet: [], floor: [] };
    for (let i = 0; i < REPEATS; i += 1) {
      all.ours.push(await measure(browser, `${server.url}/`, '.tk-marker', '.tk-surface', pinsJson.current));
      all.leaflet.push(await measure(browser, leafletUrl, '.marker-cluster, .leaflet-marker-icon', '#map', null));
      all.floor.push(await measure(browser, `${leafletUrl}floor`, '.marker-cluster', '#map', null));
      console.error(`${n} pins, run ${i + 1}: ours ${JSON.stringify(all.ours[i])} leaflet ${JSON.stringify(all.leaflet[i])} floor ${JSON.stringify(all.floor[i])}`);
    }
    results.runs.push({ pins: n, repeats: REPEATS, ours: medianOf(all.ours), leaflet: medianOf(all.leaflet), floor: medianOf(all.floor), each: all });
  }
} finally {
  await browser.close();
  await server.stop();
  leaflet.close();
}
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
console.log(`Medians of ${REPEATS} runs each. Floor: bench/floor.html, one layer moved by a CSS transform and nothing else.\n`);
console.log('| pins | metric | ours | Leaflet | floor | ours/Leaflet |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const r of results.runs) {
  for (const [k, label] of [['first_paint_ms', 'first paint with pins (ms)'], ['pan_p50_ms', 'pan frame p50 (ms)'], ['pan_p95_ms', 'pan frame p95 (ms)'], ['zoom_p50_ms', 'zoom frame p50 (ms)'], ['zoom_p95_ms', 'zoom frame p95 (ms)']]) {
    const floor = k === 'first_paint_ms' ? '–' : r.floor[k];
    console.log(`| ${r.pins} | ${label} | ${r.ours[k]} | ${r.leaflet[k]} | ${floor} | ${ratio(r.ours[k], r.leaflet[k])} |`);
  }
}
const t = results.transfer_gzip_bytes;
console.log(`\nAll widget files (gzip -9; the first screen's bytes are printed by bench/first-load.mjs): wasm ${t.wasm} + js ${t.js} + css ${t.css} + basemap ${t.basemap} = ${t.total} bytes`);
