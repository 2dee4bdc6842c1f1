// What map-bench.mjs and profile.mjs share: the synthetic pins, the Leaflet reference server, the
// frame probe and the two gestures, so both measure exactly the same thing.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { ROOT } from '../e2e/lib/harness.mjs';

const CATEGORIES = ['traffic', 'drugs', 'lighting', 'disorder', 'vandalism', 'other'];
const TIMES = ['day', 'evening', 'night', 'all_day'];

/** Deterministic pins: 70 % in Arboga tätort, 30 % over the whole kommun. */
export function syntheticPins(n) {
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

export function serveLeaflet(pinsJson) {
  const files = {
    '/': join(ROOT, 'bench', 'leaflet.html'),
    '/floor': join(ROOT, 'bench', 'floor.html'),
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

export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

// Installed before any page script: notes when markers first appear, and records frame times.
export const PROBE = (markerSelector) => {
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

/** A 60-step mouse drag from the centre, 360 px left and 180 px up. */
export async function panGesture(page, box) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 60; i += 1) {
    await page.mouse.move(cx - i * 6, cy - i * 3);
  }
  await page.mouse.up();
}

/** Six wheel steps in, six out, 120 ms apart, at the centre. */
export async function zoomGesture(page, box) {
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 6; i += 1) { await page.mouse.wheel(0, -120); await page.waitForTimeout(120); }
  for (let i = 0; i < 6; i += 1) { await page.mouse.wheel(0, 120); await page.waitForTimeout(120); }
}

/**
 * A 1024x800 page with 4x CPU throttling and the frame probe, opened at `url` and waited on until
 * a marker shows. `pins` (JSON) answers `/api/pins` when given. Returns the page, its context and
 * the time of the first paint with pins.
 */
export async function openBenchPage(browser, url, markerSelector, pins) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'sv-SE' });
  const page = await context.newPage();
  if (pins) await page.route('**/api/pins', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: pins }));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(PROBE, markerSelector);
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.firstPins !== null, null, { timeout: 180_000 });
  const firstPins = await page.evaluate(() => window.__bench.firstPins);
  return { context, page, firstPins };
}

/** The frame intervals (ms) while `gesture()` runs and 300 ms after. */
export async function recordFrames(page, gesture) {
  await page.evaluate(() => { window.__bench.frames = []; window.__bench.last = null; window.__bench.recording = true; });
  await gesture();
  await page.waitForTimeout(300);
  return page.evaluate(() => { window.__bench.recording = false; return window.__bench.frames; });
}
