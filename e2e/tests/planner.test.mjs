// Planners: log in, filter, hide a pin (it leaves the public map), see hotspots, download a
// GeoJSON export of the selection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, openPage, postPin } from '../lib/harness.mjs';

let server;
let browser;
const STATION = [59.3968, 15.841];
let secretPin;

async function pin(body) {
  const res = await postPin(server, body);
  assert.equal(res.status, 201);
  return (await res.json()).pin.id;
}

before(async () => {
  server = await startServer({ args: ['--pins-per-10-min', '1000'] });
  browser = await launchBrowser();
  await server.staff('pia', 'planner');
  // Five drug reports around the station (a hotspot), one of them naming a person.
  for (let i = 0; i < 4; i += 1) {
    await pin({ lat: STATION[0] + i * 0.0001, lon: STATION[1], category: 'drugs', time_of_day: 'night' });
  }
  secretPin = await pin({
    lat: STATION[0] - 0.0001, lon: STATION[1], category: 'drugs', time_of_day: 'evening',
    comment: 'Kalle Karlsson på Stationsgatan 4 langar',
  });
  // Elsewhere: poor lighting at Stora torget, speeding in Medåker.
  await pin({ lat: 59.3948, lon: 15.8437, category: 'lighting', time_of_day: 'evening', comment: 'Mörkt' });
  await pin({ lat: 59.4533, lon: 15.7491, category: 'traffic', time_of_day: 'day' });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a planner filters, hides a pin that names a person, and exports the selection', async () => {
  // The pins are in their own section (the staff view's shell).
  const { page, errors } = await openPage(browser, `${server.url}/personal/markeringar`, {
    viewport: { width: 1280, height: 900 }, acceptDownloads: true,
  });
  await page.getByLabel('Användarnamn').fill('pia');
  await page.getByLabel('Lösenord').fill('a long enough secret');
  await page.getByRole('button', { name: 'Logga in' }).click();
  const status = page.getByRole('status').first();
  await page.getByText('7 markeringar i urvalet').waitFor();

  // Hotspots: the station cluster ranks first.
  const hotspots = page.locator('.tk-hotspot-list li');
  await hotspots.first().waitFor();
  assert.match(await hotspots.first().textContent(), /Arboga station.*5 markeringar/);
  assert.match(await hotspots.first().textContent(), /Narkotika 5/);

  // Filter: drugs only.
  await page.getByRole('checkbox', { name: 'Narkotika' }).check();
  await page.getByText('5 markeringar i urvalet').waitFor();
  const cards = page.locator('.tk-pin-list .tk-pin-card');
  assert.equal(await cards.count(), 5);

  // Hide the report that names a person; a reason is required.
  const card = page.locator(`.tk-pin-list [data-pin="${secretPin}"]`);
  assert.match(await card.textContent(), /Kalle Karlsson/);
  await card.getByRole('button', { name: 'Dölj' }).click();
  await card.getByLabel('Skäl (sparas i historiken)').fill('Namnger en enskild person');
  await card.getByRole('button', { name: 'Dölj markeringen' }).click();
  await page.getByText('4 markeringar i urvalet').waitFor();
  assert.equal(await page.locator(`.tk-pin-list [data-pin="${secretPin}"]`).count(), 0);

  // Gone from the public map's data.
  const pub = await (await fetch(`${server.url}/api/pins`)).json();
  assert.equal(pub.length, 6);
  assert.ok(!pub.some((p) => p.id === secretPin));

  // Shown again with "Visa dolda", with its reason and history.
  await page.getByRole('checkbox', { name: 'Visa dolda markeringar' }).check();
  const hidden = page.locator(`.tk-pin-list [data-pin="${secretPin}"]`);
  await hidden.waitFor();
  assert.match(await hidden.textContent(), /Dold: Namnger en enskild person/);
  await hidden.getByRole('button', { name: 'Historik' }).click();
  await hidden.locator('.tk-history-list').waitFor();
  assert.match(await hidden.locator('.tk-history-list').textContent(), /Dold · .* · pia/);
  await page.getByRole('checkbox', { name: 'Visa dolda markeringar' }).uncheck();
  await page.getByText('4 markeringar i urvalet').waitFor();

  // Export the selection as GeoJSON.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'GeoJSON (QGIS)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^trygghetskartan-\d{4}-\d{2}-\d{2}\.geojson$/);
  const geojson = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(geojson.type, 'FeatureCollection');
  assert.equal(geojson.features.length, 4);
  assert.ok(geojson.features.every((f) => f.properties.category === 'drugs' && !f.properties.hidden));
  // Exact positions, [lon, lat] order.
  assert.ok(geojson.features.some((f) => f.geometry.coordinates.join() === `${STATION[1]},${STATION[0]}`));

  assert.match(await status.textContent(), /markeringar i urvalet/);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/planner.png`, fullPage: true });
  // The only expected failure: "who is logged in?" before the login (401).
  assert.deepEqual(errors.filter((e) => !e.includes("401")), []);
});

test('an organiser sees the hotspots and plans a dialogue at one', async () => {
  await server.staff('olle', 'organiser');
  const { page, errors } = await openPage(browser, `${server.url}/personal`, {
    viewport: { width: 1024, height: 900 },
  });
  await page.getByLabel('Användarnamn').fill('olle');
  await page.getByLabel('Lösenord').fill('a long enough secret');
  await page.getByRole('button', { name: 'Logga in' }).click();
  const first = page.locator('.tk-hotspot-list li').first();
  await first.waitFor();
  // Organisers see where pins concentrate, not the pins or their comments.
  assert.equal(await page.locator('.tk-pin-list').count(), 0);
  assert.equal(await page.getByText('Kalle Karlsson').count(), 0);
  await first.getByRole('button', { name: 'Planera dialog här' }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'tk-d-title');
  // Named as the hotspot is: the server's place_name (tätort, then the landmark it is at).
  assert.equal(await page.getByLabel('Platsens namn').inputValue(), 'Arboga, vid Arboga station');
  assert.equal(new URL(page.url()).pathname, '/personal/dialoger');
  assert.match(await page.locator('#tk-d-place').textContent(), /Platsen är vald på kartan/);
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
});
