// What map-bench.mjs and profile.mjs share: our server on seeded pins, the Leaflet reference
// server, the network profile, the frame probe and the two gestures, so both measure exactly the
// same thing.
import { createServer } from 'node:http';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, extname } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { ROOT, startServer } from '../e2e/lib/harness.mjs';

/** The phone network of the first-paint figures (DevTools network emulation): 10 Mbit/s down,
 * 5 Mbit/s up, 40 ms round trip. `BENCH_NETWORK=none` measures on loopback. */
export const NETWORK = process.env.BENCH_NETWORK === 'none'
  ? null
  : { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 };

/** The XYZ tile holding a position at zoom `z`. */
export function tileOf(lat, lon, z) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  const y = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(y)];
}

/**
 * Our server on a database holding `n` synthetic pins (the Rust benchmarks' `support::synthetic`,
 * stored by `examples/seed_pins`), warmed with one tile request. Returns the server, the seeding
 * time, the cold first tile answer and the server's memory (MiB) before and after it.
 */
export async function seededServer(n) {
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-'));
  const db = join(dir, 'bench.db');
  const seed = join(ROOT, 'target', 'release', 'examples', 'seed_pins');
  const seeded = execFileSync(seed, [`sqlite://${db}`, String(n)], { encoding: 'utf8' }).trim();
  const server = await startServer({ env: { RUST_LOG: 'error' }, database: db });
  const memory = () => {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 102.4) / 10;
  };
  const idle = memory();
  const t0 = performance.now();
  // The tile under Arboga tätort at the opening zoom.
  const [x, y] = tileOf(59.395, 15.838, 11);
  const res = await fetch(`${server.url}/api/pins/tiles/11/${x}/${y}`);
  if (!res.ok) throw new Error(`tile: ${res.status}`);
  await res.arrayBuffer();
  const coldMs = Math.round(performance.now() - t0);
  return {
    server, seeded, coldMs, memoryMib: [idle, memory()],
    async stop() { await server.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
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
      // Compressed as a real server would send it.
      if (pinsJson.gzip?.source !== pinsJson.current) {
        pinsJson.gzip = { source: pinsJson.current, body: gzipSync(pinsJson.current) };
      }
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
      res.writeHead(200, { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      return res.end(gzip ? pinsJson.gzip.body : pinsJson.current);
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

// Installed before any page script: notes when markers first appear (and the pin data that had
// arrived by then: responses from /api/pins*, their compressed bodies), and records frame times.
export const PROBE = (markerSelector) => {
  window.__bench = { firstPins: null, pinBytes: 0, pinRequests: 0, frames: [], recording: false };
  performance.setResourceTimingBufferSize(5000);
  const check = () => {
    if (window.__bench.firstPins === null && document.querySelector(markerSelector)) {
      const now = performance.now();
      window.__bench.firstPins = now;
      for (const e of performance.getEntriesByType('resource')) {
        if (new URL(e.name).pathname.startsWith('/api/pins') && e.responseEnd <= now) {
          window.__bench.pinBytes += e.encodedBodySize;
          window.__bench.pinRequests += 1;
        }
      }
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

/**
 * A 60-step mouse drag from the centre, 360 px left and 180 px up, by Playwright's `mouse.move`.
 * While a button is down Playwright runs its drag-and-drop interception around every move (two
 * script evaluations in the page, a `setTimeout`, four more DevTools round trips), so how many
 * frames a page gets per move depends on its main thread. `BENCH_DRIVER=cdp` sends the same moves
 * as bare DevTools input events instead, each once the page has taken the previous one: a move
 * every frame, as a finger gives them (docs/PERFORMANCE.md, session 10, for what that shows).
 */
export async function panGesture(page, box) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const step = (i) => [cx - i * 6, cy - i * 3];
  if (process.env.BENCH_DRIVER === 'cdp') {
    const cdp = await page.context().newCDPSession(page);
    const send = (type, x, y, down) => cdp.send('Input.dispatchMouseEvent', {
      type, x, y, button: down || type === 'mouseReleased' ? 'left' : 'none', buttons: down ? 1 : 0, clickCount: 1,
    });
    await send('mouseMoved', cx, cy, false);
    await send('mousePressed', cx, cy, true);
    for (let i = 1; i <= 60; i += 1) await send('mouseMoved', ...step(i), true);
    await send('mouseReleased', ...step(60), false);
    await cdp.detach();
    return;
  }
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 60; i += 1) {
    await page.mouse.move(...step(i));
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
 * A 1024x800 page with 4x CPU throttling, the network profile (`NETWORK`) and the frame probe,
 * opened at `url` and waited on until a marker shows. Returns the page, its context, the time of
 * the first paint with pins and the pin data received before it (bytes, requests).
 */
export async function openBenchPage(browser, url, markerSelector) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'sv-SE' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  if (NETWORK) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
  }
  await page.addInitScript(PROBE, markerSelector);
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.firstPins !== null, null, { timeout: 600_000 });
  const { firstPins, pinBytes, pinRequests } = await page.evaluate(() => window.__bench);
  return { context, page, firstPins, pinBytes, pinRequests };
}

/** The frame intervals (ms) while `gesture()` runs and 300 ms after. */
export async function recordFrames(page, gesture) {
  await page.evaluate(() => { window.__bench.frames = []; window.__bench.last = null; window.__bench.recording = true; });
  await gesture();
  await page.waitForTimeout(300);
  return page.evaluate(() => { window.__bench.recording = false; return window.__bench.frames; });
}
