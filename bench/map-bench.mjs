// Map benchmark: our widget and a Leaflet + markercluster reference page load the same synthetic
// pins in headless Chromium with 4x CPU throttling (DevTools protocol). Measures time to first
// paint with pins, and frame times (p50/p95) while panning and zooming. Prints a Markdown table
// and writes bench/results.json.
//
//   make bench            (or: node bench/map-bench.mjs [pin counts...])
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';
import { startServer, launchBrowser, ROOT } from '../e2e/lib/harness.mjs';

const COUNTS = process.argv.slice(2).map(Number).filter(Boolean);
const PIN_COUNTS = COUNTS.length ? COUNTS : [10_000, 100_000];
const CATEGORIES = ['traffic', 'drugs', 'lighting', 'disorder', 'vandalism', 'other'];
const TIMES = ['day', 'evening', 'night', 'all_day'];

/** Deterministic pins: 70 % in Arboga tätort, 30 % over the whole kommun. */
function syntheticPins(n) {
  let s = 0x2545f491;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  const pins = [];
  for (let i = 0; i < n; i += 1) {
    const town = rnd() < 0.7;
    const lon = town ? 15.8054 + rnd() * 0.0994 : 15.60 + rnd() * 0.40;
    const lat = town ? 59.3753 + rnd() * 0.0352 : 59.20 + rnd() * 0.34;
    pins.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      category: CATEGORIES[i % 6], time_of_day: TIMES[i % 4], created_date: '2026-11-01',
      agree_count: i % 5, lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6,
    });
  }
  return JSON.stringify(pins);
}

function serveLeaflet(pinsJson) {
  const files = {
    '/': join(ROOT, 'bench', 'leaflet.html'),
    '/basemap/arboga.geojson': join(ROOT, 'public', 'basemap', 'arboga.geojson'),
  };
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.geojson': 'application/json', '.png': 'image/png' };
  const server = createServer((req, res) => {
    const url = req.url.split('?')[0];
    if (url === '/api/pins') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(pinsJson.current);
    }
    let file = files[url];
    if (!file && url.startsWith('/leaflet/')) file = join(ROOT, 'bench', 'node_modules', 'leaflet', 'dist', url.slice(9));
    if (!file && url.startsWith('/markercluster/')) file = join(ROOT, 'bench', 'node_modules', 'leaflet.markercluster', 'dist', url.slice(15));
    if (!file || !existsSync(file)) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

// Installed before any page script: notes when markers first appear, and records frame times.
const PROBE = (markerSelector) => {
  window.__bench = { firstPins: null, frames: [], recording: false };
  const check = () => {
    if (window.__bench.firstPins === null && document.querySelector(markerSelector)) {
      window.__bench.firstPins = performance.now();
    }
    if (window.__bench.recording) {
      const now = performance.now();
      if (window.__bench.last) window.__bench.frames.push(now - window.__bench.last);
      window.__bench.last = now;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};

async function measure(browser, url, markerSelector, surfaceSelector, route) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'sv-SE' });
  const page = await context.newPage();
  if (route) await page.route('**/api/pins', route);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(PROBE, markerSelector);
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.firstPins !== null, null, { timeout: 180_000 });
  const firstPins = await page.evaluate(() => window.__bench.firstPins);
  await page.waitForTimeout(1000);

  const box = await page.locator(surfaceSelector).boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const record = async (fn) => {
    await page.evaluate(() => { window.__bench.frames = []; window.__bench.last = null; window.__bench.recording = true; });
    await fn();
    await page.waitForTimeout(300);
    return page.evaluate(() => { window.__bench.recording = false; return window.__bench.frames; });
  };
  const pan = await record(async () => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 60; i += 1) {
      await page.mouse.move(cx - i * 6, cy - i * 3);
    }
    await page.mouse.up();
  });
  const zoom = await record(async () => {
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 6; i += 1) { await page.mouse.wheel(0, -120); await page.waitForTimeout(120); }
    for (let i = 0; i < 6; i += 1) { await page.mouse.wheel(0, 120); await page.waitForTimeout(120); }
  });
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
    if (['.wasm', '.js', '.css'].includes(ext)) out[ext.slice(1)] = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
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
try {
  for (const n of PIN_COUNTS) {
    pinsJson.current = syntheticPins(n);
    const route = (r) => r.fulfill({ status: 200, contentType: 'application/json', body: pinsJson.current });
    const ours = await measure(browser, `${server.url}/`, '.tk-marker', '.tk-surface', route);
    const ref = await measure(browser, leafletUrl, '.marker-cluster, .leaflet-marker-icon', '#map', null);
    results.runs.push({ pins: n, ours, leaflet: ref });
    console.error(`${n} pins: ours ${JSON.stringify(ours)} leaflet ${JSON.stringify(ref)}`);
  }
} finally {
  await browser.close();
  await server.stop();
  leaflet.close();
}
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
console.log('| pins | metric | ours | Leaflet | ours/Leaflet |');
console.log('|---:|---|---:|---:|---:|');
for (const r of results.runs) {
  for (const [k, label] of [['first_paint_ms', 'first paint with pins (ms)'], ['pan_p50_ms', 'pan frame p50 (ms)'], ['pan_p95_ms', 'pan frame p95 (ms)'], ['zoom_p50_ms', 'zoom frame p50 (ms)'], ['zoom_p95_ms', 'zoom frame p95 (ms)']]) {
    console.log(`| ${r.pins} | ${label} | ${r.ours[k]} | ${r.leaflet[k]} | ${ratio(r.ours[k], r.leaflet[k])} |`);
  }
}
const t = results.transfer_gzip_bytes;
console.log(`\nFirst-load transfer (gzip -9): wasm ${t.wasm} + js ${t.js} + css ${t.css} + basemap ${t.basemap} = ${t.total} bytes`);
