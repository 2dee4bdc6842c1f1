// Residents report a place on a phone: crosshair, form, send; and offline, where the report is
// kept on the device and arrives exactly once when the network is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from '../lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

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

async function publicPins() {
  const res = await fetch(`${server.url}/api/pins`);
  assert.equal(res.status, 200);
  return res.json();
}

/** Crosshair -> "Välj den här platsen" -> category, evening, a comment. */
async function fillReport(page, comment, category = 'lighting') {
  await page.waitForSelector('path.tk-kommun');
  await page.tap('.tk-start-report');
  await page.waitForSelector('.tk-crosshair');
  await page.tap('.tk-choose-here');
  await page.waitForSelector('form.tk-sheet');
  // Focus moved into the form.
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'tk-sheet-title');
  await page.tap(`label.tk-cat-${category}`);
  await page.getByRole('radio', { name: 'Kväll' }).check();
  await page.fill('#tk-field-comment', comment);
  assert.match(await page.textContent('#tk-comment-count'), new RegExp(`${comment.length} av 1000 tecken`));
}

test('a resident places a pin with the crosshair, sends it, and sees it after a reload', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, PHONE);
  await fillReport(page, 'Mörkt vid <b>stationen</b> <script>alert(1)</script>');
  await page.tap('.tk-send');
  await page.waitForSelector('.tk-status:has-text("Tack! Din markering är skickad.")');
  assert.equal(await page.locator('form.tk-sheet').count(), 0, 'the form closed');

  const pins = await publicPins();
  assert.equal(pins.length, 1);
  assert.equal(pins[0].category, 'lighting');
  assert.equal(pins[0].time_of_day, 'evening');
  assert.equal(pins[0].comment, undefined, 'comments are not public');

  await page.reload();
  const pin = page.getByRole('button', { name: 'Dålig belysning, kväll', exact: true });
  await pin.waitFor();
  await pin.tap();
  await page.waitForSelector('.tk-selected:has-text("0 känner likadant")');
  // "Mina markeringar" remembers it, with its delete secret.
  await page.tap('#tk-mine-heading button');
  assert.match(await page.textContent('.tk-mine-list'), /Dålig belysning, kväll/);
  assert.equal(await page.locator('.tk-badge--pending').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the form explains what is missing and sends nothing', async () => {
  const { page, context } = await openPage(browser, `${server.url}/`, PHONE);
  await page.waitForSelector('path.tk-kommun');
  const before = (await publicPins()).length;
  await page.tap('.tk-start-report');
  await page.tap('.tk-choose-here');
  await page.tap('.tk-send');
  await page.waitForSelector('.tk-field-error');
  const text = await page.textContent('form.tk-sheet');
  assert.match(text, /Välj vad som gör platsen otrygg\./);
  assert.match(text, /Välj när platsen känns otrygg\./);
  // Focus moves to the first field to mend in the frame after the messages are drawn.
  await page.waitForFunction(() => document.activeElement?.id === 'tk-field-category');
  await page.tap('.tk-cancel');
  assert.equal(await page.locator('form.tk-sheet').count(), 0);
  assert.equal((await publicPins()).length, before);
  await context.close();
});

test('offline, the report is saved on the phone and arrives exactly once when back online', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, PHONE);
  const before = (await publicPins()).length;
  await fillReport(page, 'Skickad utan nät', 'drugs');
  await context.setOffline(true);
  await page.tap('.tk-send');
  await page.waitForSelector('.tk-status:has-text("Sparad på telefonen – skickas när du har nät")');
  // "Mina markeringar" opens offline too: its part came with the report's.
  await page.tap('#tk-mine-heading button');
  assert.equal(await page.locator('.tk-badge--pending').count(), 1, 'listed as waiting');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('trygghetskarta.outbox.v1')));
  assert.equal(stored.pending.length, 1);
  assert.equal((await publicPins()).length, before, 'nothing reached the server');

  await context.setOffline(false);
  await page.waitForSelector('.tk-status:has-text("Din sparade markering är nu skickad.")', { timeout: 20000 });
  assert.equal(await page.locator('.tk-badge--pending').count(), 0);
  const after = await publicPins();
  assert.equal(after.length, before + 1, 'exactly one new pin');
  assert.equal(after.filter((p) => p.id === stored.pending[0].pin.id).length, 1);

  // A reload does not send it again.
  await page.reload();
  await page.waitForSelector('path.tk-kommun');
  await page.waitForTimeout(500);
  assert.equal((await publicPins()).length, before + 1);
  // Offline errors are expected in the console; page errors are not.
  assert.deepEqual(errors.filter((e) => e.startsWith('pageerror')), []);
  await context.close();
});

test('a keyboard or screen-reader user can report a named place without the map', async () => {
  const { page, context } = await openPage(browser, `${server.url}/`, { viewport: { width: 1024, height: 800 } });
  await page.waitForSelector('path.tk-kommun');
  const before = (await publicPins()).length;
  await page.click('.tk-report-list');
  await page.selectOption('#tk-field-place', { label: 'Arboga station' });
  await page.getByRole('radio', { name: 'Trafik och hastighet' }).check();
  await page.getByRole('radio', { name: 'Natt' }).check();
  await page.fill('#tk-field-place_description', 'Vid cykelparkeringen');
  await page.click('.tk-send');
  await page.waitForSelector('.tk-status:has-text("Tack!")');
  const pins = await publicPins();
  assert.equal(pins.length, before + 1);
  const mine = pins.find((p) => p.category === 'traffic');
  assert.ok(Math.abs(mine.lat - 59.3968) < 0.001 && Math.abs(mine.lon - 15.841) < 0.001, JSON.stringify(mine));

  // The sender can delete it again from "Mina markeringar".
  await page.click('#tk-mine-heading button');
  await page.click('.tk-mine-item .tk-delete');
  await page.waitForSelector('.tk-status:has-text("Markeringen är borttagen.")');
  assert.equal((await publicPins()).filter((p) => p.id === mine.id).length, 0);
  assert.match(await page.textContent('.tk-mine'), /Du har inte markerat några platser/);
  await context.close();
});

test('when others marked the same kind of place nearby, the resident can agree instead', async () => {
  const { page, context } = await openPage(browser, `${server.url}/`, PHONE);
  const before = await publicPins();
  const lighting = before.filter((p) => p.category === 'lighting');
  assert.equal(lighting.length, 1, 'the pin from the first test is at the crosshair');
  await fillReport(page, '', 'lighting');
  await page.tap('.tk-send');
  await page.waitForSelector('.tk-nearby:has-text("1 andra har markerat en plats i närheten")');
  await page.getByRole('button', { name: 'Jag känner likadant' }).tap();
  await page.waitForSelector('.tk-status:has-text("Tack! Vi har noterat att du känner likadant.")');
  const after = await publicPins();
  assert.equal(after.length, before.length, 'no new pin');
  assert.equal(after.find((p) => p.id === lighting[0].id).agree_count, 1);
  await context.close();
});
