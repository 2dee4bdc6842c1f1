// Keyboard only, no pointer: tab to the map, pan and zoom with keys, place a pin at the crosshair
// with Enter, fill in and send the form, then open a dialogue session from its map marker and
// take its calendar file. Focus is always visible and never trapped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, openPage, mapState } from '../lib/harness.mjs';

let server;
let browser;
let dialogue;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const cookie = await server.staff('olle', 'organiser');
  const res = await fetch(`${server.url}/api/dialogues`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      title: 'Medborgardialog om trafiken', description: 'Om hastigheten på Västermovägen.',
      starts_at: '2027-05-18T18:00:00+02:00', ends_at: '2027-05-18T19:30:00+02:00',
      place_name: 'Arboga station', lat: 59.3968, lon: 15.841, kind: 'meeting', organiser: 'kommun',
    }),
  });
  dialogue = await res.json();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Presses Tab until the focused element matches `selector` (at most 80 times). */
async function tabTo(page, selector, { shift = false } = {}) {
  for (let i = 0; i < 80; i += 1) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focusVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return el !== document.body && (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
      || s.boxShadow !== 'none');
  });
}

test('a resident reports a place and takes a session into the calendar without a pointer', async () => {
  const { page, errors } = await openPage(browser, `${server.url}/`, {
    viewport: { width: 1024, height: 800 }, acceptDownloads: true,
  });
  await page.waitForSelector('path.tk-kommun');

  // The map: pan with arrows, zoom with + and −.
  await tabTo(page, '.tk-surface');
  assert.ok(await focusVisible(page), 'the map shows it has focus');
  const start = await mapState(page);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction((c) => {
    const now = document.querySelector('.tk-map').dataset.center.split(',').map(Number);
    return now[0] > c[0] && now[1] > c[1];
  }, start.center);
  await page.keyboard.press('+');
  await page.waitForFunction((z) => Number(document.querySelector('.tk-map').dataset.zoom) > z, start.zoom);
  await page.keyboard.press('-');
  await page.keyboard.press('+');

  // Enter starts placing, and Enter again picks the crosshair: the form opens with focus in it.
  await page.keyboard.press('Enter');
  await page.locator('.tk-crosshair').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tk-sheet').waitFor();
  await page.waitForFunction(() => document.querySelector('.tk-sheet').contains(document.activeElement));

  // Fill in the form with Tab, arrows and typing.
  await tabTo(page, 'input[name=tk-category]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.$eval('input[name=tk-category]:checked', (e) => e.value), 'lighting');
  await tabTo(page, 'input[name=tk-time]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.$eval('input[name=tk-time]:checked', (e) => e.value), 'evening');
  await tabTo(page, 'textarea');
  await page.keyboard.type('Gatlyktan är trasig.');
  await tabTo(page, '.tk-send');
  assert.ok(await focusVisible(page));
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tk-status:has-text("Tack!")');
  const pins = await (await fetch(`${server.url}/api/pins`)).json();
  assert.equal(pins.length, 1);
  assert.equal(pins[0].category, 'lighting');
  // Focus went back to where the report started, not lost to the page.
  await page.waitForFunction(() => document.activeElement?.classList.contains('tk-start-report'));

  // A session's marker on the map opens the session in the list.
  await tabTo(page, `.tk-dialogue-marker`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.activeElement?.id === `tk-dialog-${id}`, dialogue.id);
  await tabTo(page, `#tk-dialog-${dialogue.id} .tk-ics`);
  assert.ok(await focusVisible(page));
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const ics = readFileSync(await download.path(), 'utf8');
  assert.match(ics, /SUMMARY:Medborgardialog om trafiken/);

  // No trap: Tab keeps moving to the end of the page and back.
  await tabTo(page, '.tk-lang', { shift: true });
  assert.deepEqual(errors, []);
});
