// The foundation end to end: the release widget served by the real server shows the Arboga
// map and the (empty) dialogue list, and the map responds to a real mouse drag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, mapState, ROOT } from '../lib/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the widget shows the Arboga map and an empty dialogue list, in Swedish', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  await page.waitForSelector('path.tk-kommun');
  assert.equal(await page.textContent('h1'), 'Trygghetskartan');
  assert.match(await page.textContent('.tk-subtitle'), /Arboga kommun/);
  assert.equal(await page.locator('path.tk-kommun').count(), 1);
  assert.ok(await page.locator('path.tk-tatort').count() >= 4);
  assert.ok(await page.locator('path.tk-river').count() >= 1);
  assert.ok(await page.locator('path.tk-rail').count() >= 1);
  assert.match(await page.textContent('.tk-labels'), /Arboga/);
  assert.match(await page.textContent('.tk-attribution'), /Lantmäteriet/);
  assert.equal(await page.textContent('#tk-dialogues-heading'), 'Kommande dialoger');
  // The list is a part of its own, fetched when the section is opened.
  await page.tap('#tk-dialogues-heading button');
  await page.waitForSelector('.tk-dialogues-empty');
  assert.match(await page.textContent('.tk-dialogues-empty'), /Inga dialoger/);
  assert.equal(await page.getAttribute('.tk-root', 'lang'), 'sv');

  // The map fills its box with the Arboga tätort.
  const box = await page.locator('.tk-surface').boundingBox();
  assert.ok(box.width > 300 && box.height >= 320, JSON.stringify(box));
  const { center } = await mapState(page);
  assert.ok(center[0] > 15.80 && center[0] < 15.91 && center[1] > 59.37 && center[1] < 59.42, `${center}`);

  mkdirSync(join(ROOT, 'e2e', 'artifacts'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'e2e', 'artifacts', 'foundation-phone.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a mouse drag pans the map and the wheel zooms it', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, {
    viewport: { width: 1024, height: 768 },
  });
  await page.waitForSelector('path.tk-kommun');
  const before = await mapState(page);
  const box = await page.locator('.tk-surface').boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx - 100, cy, { steps: 5 });
  await page.waitForTimeout(200); // pause: no fling
  await page.mouse.up();
  const after = await mapState(page);
  assert.ok(after.center[0] > before.center[0], 'dragging left shows the east');

  await page.mouse.wheel(0, -300);
  await page.waitForFunction((z) => Number(document.querySelector('.tk-map').dataset.zoom) > z + 0.9, after.zoom);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the server answers the API in JSON and serves the widget for other paths', async () => {
  const health = await fetch(`${server.url}/api/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });

  const missing = await fetch(`${server.url}/api/does-not-exist`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, 'not_found');

  const route = await fetch(`${server.url}/personal`);
  assert.equal(route.status, 200);
  assert.match(await route.text(), /data-trygghetskarta/);

  const basemap = await fetch(`${server.url}/basemap/arboga.geojson`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(basemap.status, 200);
  assert.equal(basemap.headers.get('content-encoding'), 'gzip');
  // What the widget downloads: the compact form of the same file, precompressed as well.
  const compact = await fetch(`${server.url}/basemap/arboga.tkb`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(compact.status, 200);
  assert.equal(compact.headers.get('content-encoding'), 'gzip');
  assert.equal(new TextDecoder().decode((await compact.arrayBuffer()).slice(0, 4)), 'TKB1');
});
