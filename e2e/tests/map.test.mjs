// The map as residents use it: clusters that split as you zoom, "Min position", and street
// tiles that come only from our own server (which fetches and caches them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, launchBrowser, openPage, mapState, postPin } from '../lib/harness.mjs';

// A 1x1 PNG (grey).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==',
  'base64',
);

let upstream;
const upstreamPaths = [];
let server;
let browser;

before(async () => {
  upstream = createServer((req, res) => {
    upstreamPaths.push(req.url);
    assert.match(req.headers['user-agent'], /^Trygghetskartan\//);
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(PNG);
  });
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  const port = upstream.address().port;
  server = await startServer({
    args: ['--pins-per-10-min', '1000', '--tile-url', `http://127.0.0.1:${port}/{z}/{x}/{y}.png`, '--tile-attribution', '© Testkartan'],
  });
  browser = await launchBrowser();
  // 40 reports around Arboga station, a few metres apart.
  for (let i = 0; i < 40; i += 1) {
    const res = await postPin(server, {
      lat: 59.3950 + (i % 8) * 0.0008,
      lon: 15.8380 + Math.floor(i / 8) * 0.0015,
      category: ['traffic', 'drugs', 'lighting'][i % 3],
      time_of_day: 'night',
    });
    assert.equal(res.status, 201);
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
  upstream?.close();
});

test('clusters show counts and split when you zoom in', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, { viewport: { width: 800, height: 700 } });
  await page.waitForSelector('.tk-cluster');
  const labels = await page.$$eval('.tk-marker', (els) => els.map((e) => e.getAttribute('aria-label')));
  const total = labels
    .map((l) => Number((l.match(/^(\d+) markeringar$/) || [0, 1])[1]))
    .reduce((a, b) => a + b, 0);
  assert.equal(total, 40, `every pin is counted once: ${labels}`);
  const before = labels.length;
  const zoom = (await mapState(page)).zoom;
  await page.locator('.tk-cluster').first().click();
  await page.waitForFunction((z) => Number(document.querySelector('.tk-map').dataset.zoom) > z, zoom);
  await page.waitForFunction((n) => document.querySelectorAll('.tk-marker').length > n, before);
  // Another language names the markers again (a screen reader reads the label, not the count).
  const english = /^\d+ reports$|, (all day and night|day|evening|night)\b/;
  await page.getByRole('button', { name: 'In English' }).click();
  await page.waitForFunction((re) => {
    const labels = [...document.querySelectorAll('.tk-pins .tk-marker')].map((m) => m.getAttribute('aria-label'));
    return labels.length > 0 && labels.every((l) => new RegExp(re).test(l));
  }, english.source);
  assert.deepEqual(errors, []);
  await context.close();
});

test('pins, labels and the basemap move with the drag, and nothing jumps when the map is laid out again', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, { viewport: { width: 1024, height: 768 } });
  await page.waitForSelector('.tk-cluster');
  await page.waitForSelector('.tk-labels text');
  // Where each marker, each place name and the kommun's outline are on screen.
  const positions = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const at = (el) => { const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
    const out = {};
    for (const m of document.querySelectorAll('.tk-pins .tk-marker')) out[`marker ${m.dataset.key}`] = at(m);
    for (const t of document.querySelectorAll('.tk-labels text')) out[`label ${t.textContent}`] = at(t);
    out.kommun = at(document.querySelector('path.tk-kommun'));
    const s = document.querySelector('.tk-surface').getBoundingClientRect();
    const b = document.querySelector('svg.tk-basemap').getBoundingClientRect();
    out.covered = b.left <= s.left && b.top <= s.top && b.right >= s.right && b.bottom >= s.bottom;
    resolve(out);
  }))));
  const before = await positions();
  assert.ok(before.covered, 'the basemap covers the map');
  // Further than a third of the map's width: the layers are laid out again for the new view.
  const box = await page.locator('.tk-surface').boundingBox();
  const [dx, dy] = [-Math.round(box.width * 0.45), Math.round(box.height * 0.2)];
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + dx, cy + dy, { steps: 12 });
  await page.waitForTimeout(200); // pause: no fling
  await page.mouse.up();
  const after = await positions();
  assert.ok(after.covered, 'the basemap still covers the map');
  const moved = Object.keys(before).filter((k) => k !== 'covered' && after[k]);
  assert.ok(moved.some((k) => k.startsWith('marker')) && moved.some((k) => k.startsWith('label')), moved.join(', '));
  for (const k of moved) {
    const [x0, y0] = before[k];
    const [x1, y1] = after[k];
    assert.ok(Math.abs(x1 - x0 - dx) <= 1.5 && Math.abs(y1 - y0 - dy) <= 1.5,
      `${k} moved by (${(x1 - x0).toFixed(1)}, ${(y1 - y0).toFixed(1)}), the drag by (${dx}, ${dy})`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the map asks for the pin tiles of its view, not the whole list, and a cluster opens into its pins', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, { viewport: { width: 800, height: 700 } });
  await page.waitForSelector('.tk-cluster');
  const asked = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.pathname.startsWith('/api/pins'))
    .map((u) => u.pathname + u.search));
  const first = await asked();
  const tiles = first.filter((u) => /^\/api\/pins\/tiles\/\d+\/\d+\/\d+$/.test(u));
  assert.ok(tiles.length >= 1 && tiles.length <= 12, `a few tiles for one view: ${first}`);
  assert.ok(!first.includes('/api/pins'), 'the whole list is never asked for');

  // Into the clusters until single pins show: each click zooms to where that cluster splits.
  const keys = () => page.$$eval('.tk-marker', (els) => els.map((e) => e.dataset.key).sort().join());
  for (let i = 0; i < 8 && (await page.locator('.tk-pin').count()) === 0; i += 1) {
    const before = await keys();
    await page.locator('.tk-cluster').first().click();
    await page.waitForFunction((b) => [...document.querySelectorAll('.tk-marker')]
      .map((e) => e.dataset.key).sort().join() !== b, before);
  }
  const pin = page.locator('.tk-pin').first();
  assert.match(await pin.getAttribute('aria-label'), /^(Trafik och hastighet|Narkotika|Dålig belysning), natt$/);
  assert.ok((await asked()).some((u) => /^\/api\/pins\/tiles\/1[2-6]\//.test(u)), 'tiles of the closer zoom');
  // Its card comes from the server, asked for by its place; the card's own code (a part) is
  // fetched the first time a pin is chosen.
  const cardPart = () => page.evaluate(() => performance.getEntriesByType('resource')
    .some((e) => /-split_selected_pin\.wasm$/.test(new URL(e.name).pathname)));
  assert.equal(await cardPart(), false, 'no card code before a pin is chosen');
  await pin.click();
  await page.waitForSelector('.tk-selected:has-text("0 känner likadant")');
  assert.equal(await cardPart(), true, 'the card\'s part was fetched');
  assert.ok((await asked()).some((u) => u.startsWith('/api/pins?bbox=')));
  assert.ok(!(await asked()).includes('/api/pins'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('street tiles load from our server only, and the upstream is asked once per tile', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, { viewport: { width: 800, height: 700 } });
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.url)) foreign.push(r.url()); });
  await page.waitForSelector('.tk-tile--loaded');
  assert.match(await page.textContent('.tk-attribution'), /© Testkartan/);
  assert.ok(await page.$eval('.tk-map', (el) => el.classList.contains('tk-map--tiles')));
  assert.ok(upstreamPaths.length >= 1);
  assert.equal(new Set(upstreamPaths).size, upstreamPaths.length, 'each tile is fetched upstream once');
  const hits = upstreamPaths.length;
  await page.reload();
  await page.waitForSelector('.tk-tile--loaded');
  assert.equal(upstreamPaths.length, hits, 'the second visit is served from the cache');
  assert.deepEqual(foreign, [], 'no request leaves our server');
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Min position" centres the map inside the kommun and explains a position outside it', async () => {
  const inside = await openPage(browser, `${server.url}/`, {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    geolocation: { latitude: 59.4554, longitude: 15.7403 }, permissions: ['geolocation'],
  });
  await inside.page.waitForSelector('path.tk-kommun');
  await inside.page.getByRole('button', { name: 'Min position' }).tap();
  await inside.page.waitForSelector('.tk-position');
  const { center, zoom } = await mapState(inside.page);
  assert.ok(Math.abs(center[0] - 15.7403) < 0.001 && Math.abs(center[1] - 59.4554) < 0.001, `${center}`);
  assert.ok(zoom >= 16);
  await inside.context.close();

  const outside = await openPage(browser, `${server.url}/`, {
    geolocation: { latitude: 59.3293, longitude: 18.0686 }, permissions: ['geolocation'],
  });
  await outside.page.waitForSelector('path.tk-kommun');
  await outside.page.getByRole('button', { name: 'Min position' }).click();
  await outside.page.waitForSelector('.tk-map-message:has-text("utanför Arboga kommun")');
  await outside.context.close();
});

test('on a phone, one finger scrolls the page past the map with a hint, two fingers zoom, full screen pans', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, {
    viewport: { width: 390, height: 700 }, isMobile: true, hasTouch: true,
  });
  await page.locator('path.tk-kommun').waitFor();
  // Real touch input through the browser's input pipeline (touch-action and scrolling included),
  // not synthetic DOM events.
  const cdp = await context.newCDPSession(page);
  const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: points.map(([x, y], id) => ({ x, y, id })),
  });
  const drag = async (from, to, steps = 12) => {
    await touch('touchStart', from);
    for (let i = 1; i <= steps; i += 1) {
      await touch('touchMove', from.map(([x, y], k) => [x + ((to[k][0] - x) * i) / steps, y + ((to[k][1] - y) * i) / steps]));
    }
    await touch('touchEnd', []);
  };
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight + 200), 'the page scrolls');
  const box = await page.locator('.tk-surface').boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const before = await mapState(page);

  // One finger up over the map: the page scrolls, the map stays, and says to use two fingers.
  await drag([[cx, cy + 100]], [[cx, cy - 100]]);
  await page.locator('.tk-hint--shown').waitFor({ timeout: 2000 });
  await page.waitForFunction(() => scrollY > 50);
  assert.deepEqual(await mapState(page), before);

  // Two fingers apart: zoom in about their midpoint.
  await page.evaluate(() => scrollTo(0, 0));
  const map = await page.locator('.tk-surface').boundingBox();
  const my = map.y + map.height / 2;
  await drag([[cx - 30, my], [cx + 30, my]], [[cx - 90, my], [cx + 90, my]]);
  await page.waitForFunction((z) => Number(document.querySelector('.tk-map').dataset.zoom) > z + 1, before.zoom);
  const zoomed = await mapState(page);
  assert.ok(Math.abs(zoomed.center[0] - before.center[0]) < 0.002, 'zoomed about the midpoint');

  // Full screen: one finger pans the map and the page does not move.
  await page.getByRole('button', { name: 'Visa kartan i helskärm' }).tap();
  const full = await page.locator('.tk-surface').boundingBox();
  const [fx, fy] = [full.x + full.width / 2, full.y + full.height / 2];
  const scrolled = await page.evaluate(() => scrollY);
  await drag([[fx, fy]], [[fx - 120, fy]]);
  await page.waitForFunction((lon) => Number(document.querySelector('.tk-map').dataset.center.split(',')[0]) > lon, zoomed.center[0]);
  assert.equal(await page.evaluate(() => scrollY), scrolled);
  assert.deepEqual(errors, []);
  await context.close();
});
