// Diagnostic (not a benchmark): what 200 markers of each variant cost the browser to style, lay
// out, paint and raster in our real page (4x CPU throttling), summed from a Chromium trace over
// the three frames after they are added; the mean of five rounds after a first one. Variants:
// `pin` as style.css draws it (the glyph a bitmap), `pin-svg` with the SVG glyph it had before,
// `pin-noglyph` only the disc, `cluster` with its count, `flat` one background colour.
//   SERVER_PROFILE=release node bench/style-probe.mjs      (after scripts/bench.sh has built)
import { launchBrowser } from '../e2e/lib/harness.mjs';
import { seededServer } from './lib.mjs';

const ours = await seededServer(1000);
const browser = await launchBrowser();
const NAMES = ['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Raster'];
try {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'sv-SE', bypassCSP: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(`${ours.server.url}/`);
  await page.waitForSelector('.tk-marker');
  await page.waitForTimeout(1500);
  await page.addStyleTag({ content: (process.env.PROBE_CSS || '') + `
    .v-noglyph .tk-pin { background-image: radial-gradient(circle closest-side, #b3261e 61%, #fff 64% 70%, rgba(0, 0, 0, 0.35) 73%, transparent 80%); background-size: 100% 100%; }
    .v-flat .tk-marker { background: #b3261e; }
    .v-svg .tk-cat-traffic.tk-pin { background-image: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath fill='%23fff' fill-rule='evenodd' d='M12 3 L22 20 H2 Z M11 9 h2 v6 h-2 z M11 16.5 h2 v2 h-2 z'/%3E%3C/svg%3E"), radial-gradient(circle closest-side, #b3261e 61%, #fff 64% 70%, rgba(0, 0, 0, 0.35) 73%, transparent 80%); }
  ` });
  const pos = (i) => `transform: translate(${(i % 20) * 48}px, ${Math.floor(i / 20) * 48 + 60}px)`;
  const variants = {
    pin: (i) => ({ cls: 'tk-marker tk-cat-traffic tk-pin', style: pos(i) }),
    'pin-noglyph': (i) => ({ box: 'v-noglyph', cls: 'tk-marker tk-cat-traffic tk-pin', style: pos(i) }),
    'pin-svg': (i) => ({ box: 'v-svg', cls: 'tk-marker tk-cat-traffic tk-pin', style: pos(i) }),
    cluster: (i) => ({ cls: 'tk-marker tk-cat-traffic tk-cluster', style: pos(i), text: String(i) }),
    flat: (i) => ({ box: 'v-flat', cls: 'tk-marker tk-cat-traffic', style: pos(i) }),
  };
  const totals = {};
  for (let round = 0; round < 6; round++) {
    for (const [name, f] of Object.entries(variants)) {
      const specs = Array.from({ length: 200 }, (_, i) => f(i));
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc'] });
      await page.evaluate((specs) => new Promise((resolve) => {
        const layer = document.querySelector('.tk-pins');
        const box = document.createElement('div');
        box.id = 'probe';
        if (specs[0].box) box.className = specs[0].box;
        for (const s of specs) {
          const el = document.createElement('button');
          el.className = s.cls;
          el.setAttribute('style', s.style);
          el.setAttribute('aria-label', 'Trafik, kväll');
          if (s.text) el.textContent = s.text;
          box.appendChild(el);
        }
        layer.appendChild(box);
        requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      }), specs);
      const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
      await page.evaluate(() => document.getElementById('probe').remove());
      await page.waitForTimeout(300);
      const threads = new Map();
      for (const e of trace) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
      const sums = Object.fromEntries(NAMES.map((n) => [n, 0]));
      for (const e of trace) {
        if (e.ph !== 'X') continue;
        if (threads.get(`${e.pid}:${e.tid}`) !== 'CrRendererMain') {
          if (/^(RasterTask|ImageDecodeTask)$/.test(e.name)) sums.Raster += e.dur / 1000;
          continue;
        }
        for (const n of NAMES) if (e.name === n) sums[n] += e.dur / 1000;
      }
      if (round > 0) for (const n of NAMES) { totals[name] ??= {}; totals[name][n] = (totals[name][n] || 0) + sums[n] / 5; }
      console.log(`${name.padEnd(12)} ${NAMES.map((n) => `${n} ${sums[n].toFixed(1)}`).join('  ')}`);
    }
  }
  console.log('\nmean of rounds 2-6 (ms, 4x throttled, 200 markers):');
  for (const [name, s] of Object.entries(totals)) console.log(`${name.padEnd(12)} ${NAMES.map((n) => `${n} ${s[n].toFixed(1)}`).join('  ')}`);
  await context.close();
} finally {
  await browser.close();
  await ours.stop();
}
