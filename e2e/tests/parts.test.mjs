// The residents' widget loads in parts: the first screen (map, pins, header) is one wasm module,
// and the report form, "Mina markeringar", "Vad händer?" and the dialogue lists are their own
// modules (scripts/split-widget.py), fetched only when first opened; the requests for the lists
// the map shows besides its pins are a part fetched once the first screen is drawn. Reporting still works
// offline once the form is open, and reports kept on the phone are sent at the next visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from '../lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
// Parts are trygghetskarta-HASH-split_NAME.wasm, code two parts share trygghetskarta-HASH-chunk_N.wasm.
const PART = /-(split|chunk)_[A-Za-z0-9_]+\.wasm$/;

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

/** Every wasm part the page fetches, in order. */
function watchParts(page) {
  const parts = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (PART.test(path)) parts.push(path.replace(/^.*-(split|chunk)_/, '$1_'));
  });
  return parts;
}

async function pins() {
  return (await fetch(`${server.url}/api/pins`)).json();
}

test('the first screen fetches no part; the lists come after it; each section fetches its own when opened', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, PHONE);
  const parts = watchParts(page);
  await page.waitForSelector('path.tk-kommun');
  await page.waitForLoadState('networkidle');
  // The only part at start is the lists' (with code it shares with other parts), asked for once
  // the view's pin tiles have been answered, and the lists' requests come from it. (The page's
  // own resource timings: listeners attached after the page opened could miss the first tiles.)
  const timings = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd })));
  const atStart = timings.filter((e) => PART.test(e.path)).map((e) => e.path.replace(/^.*-(split|chunk)_/, '$1_'));
  assert.deepEqual(atStart.filter((p) => !p.startsWith('chunk_')), ['split_lists.wasm'], 'only the lists part at start');
  const one = (pattern) => timings.find((e) => pattern.test(e.path));
  const tiles = timings.filter((e) => e.path.startsWith('/api/pins/tiles/'));
  const lists = one(/split_lists\.wasm$/);
  const shown = JSON.stringify(timings, null, 1);
  assert.ok(tiles.length > 0 && lists, shown);
  assert.ok(lists.start >= Math.min(...tiles.map((e) => e.end)), `the lists part after the first pin tile:\n${shown}`);
  assert.ok(one(/^\/api\/dialogues$/).start >= lists.start, shown);
  assert.ok(one(/^\/api\/actions$/).start >= lists.start, shown);
  assert.equal(await page.locator('#tk-mine-heading button').getAttribute('aria-expanded'), 'false');

  await page.tap('#tk-mine-heading button');
  await page.waitForSelector('.tk-mine:has-text("Du har inte markerat några platser")');
  assert.ok(parts.includes('split_my_pins.wasm'), parts.join());
  assert.equal(await page.locator('#tk-mine-heading button').getAttribute('aria-expanded'), 'true');

  const before = parts.length;
  await page.tap('#tk-dialogues-heading button');
  await page.waitForSelector('.tk-dialogues-empty');
  assert.ok(parts.slice(before).includes('split_dialogues.wasm'), parts.join());

  await page.tap('#tk-updates-heading button');
  await page.waitForSelector('.tk-updates-empty');
  assert.ok(parts.includes('split_updates.wasm'), parts.join());

  // Closing keeps what was drawn; opening again fetches nothing more.
  const fetched = parts.length;
  await page.tap('#tk-mine-heading button');
  assert.equal(await page.locator('#tk-mine-heading-body').isHidden(), true);
  await page.tap('#tk-mine-heading button');
  await page.waitForSelector('.tk-mine:has-text("Du har inte markerat några platser")');
  assert.equal(parts.length, fetched);

  assert.ok(!parts.includes('split_report_form.wasm'), 'the form is not fetched until a report starts');
  await page.tap('.tk-start-report');
  await page.tap('.tk-choose-here');
  await page.waitForSelector('form.tk-sheet');
  assert.ok(parts.includes('split_report_form.wasm'), parts.join());
  assert.deepEqual(errors, []);
  await context.close();
});

test('offline after the form opened, a report is kept and sent when back online; a waiting report is sent at the next visit', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, PHONE);
  const parts = watchParts(page);
  const count = (await pins()).length;
  await page.waitForSelector('path.tk-kommun');
  await page.tap('.tk-start-report');
  await page.tap('.tk-choose-here');
  await page.waitForSelector('form.tk-sheet');
  await context.setOffline(true);
  await page.tap('label.tk-cat-lighting');
  await page.getByRole('radio', { name: 'Kväll' }).check();
  await page.tap('.tk-send');
  await page.waitForSelector('.tk-status:has-text("Sparad på telefonen")');
  await page.tap('#tk-mine-heading button');
  await page.waitForSelector('.tk-badge--pending');
  await context.setOffline(false);
  await page.waitForSelector('.tk-status:has-text("Din sparade markering är nu skickad.")', { timeout: 20000 });
  assert.equal((await pins()).length, count + 1);

  // A report waiting on the phone from an earlier visit: the outbox's part is fetched at start
  // and sends it, exactly once.
  const waiting = await page.evaluate(() => {
    const id = crypto.randomUUID();
    const pin = { id, lat: 59.3968, lon: 15.841, category: 'traffic', time_of_day: 'night' };
    localStorage.setItem('trygghetskarta.outbox.v1', JSON.stringify({ pending: [{ pin, attempts: 1, next_try: 0 }] }));
    return id;
  });
  parts.length = 0;
  await page.reload();
  await page.waitForSelector('.tk-status:has-text("Din sparade markering är nu skickad.")', { timeout: 20000 });
  assert.ok(parts.length > 0, 'the outbox part was fetched');
  assert.ok(!parts.includes('split_report_form.wasm'), parts.join());
  assert.equal((await pins()).filter((p) => p.id === waiting).length, 1);
  assert.equal((await pins()).length, count + 2);
  assert.deepEqual(errors.filter((e) => e.startsWith('pageerror')), []);
  await context.close();
});

test('a part that cannot be fetched says so, and loads when tried again', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, PHONE);
  await page.waitForSelector('path.tk-kommun');
  await context.setOffline(true);
  await page.tap('#tk-dialogues-heading button');
  await page.waitForSelector('.tk-dialogues .tk-error:has-text("Det gick inte att hämta den här delen")');
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Försök igen' }).tap();
  await page.waitForSelector('.tk-dialogues-empty');
  assert.deepEqual(errors.filter((e) => e.startsWith('pageerror')), []);
  await context.close();
});
