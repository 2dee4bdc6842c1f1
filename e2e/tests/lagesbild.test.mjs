// The Lägesbild: a planner opens a shared link with a selection and sees the chart (its SVG bars
// add up to the API's figures) and its table, switches to months, compares two periods (the
// figures are the API's), names a place on the map and sees a hotspot take its name, uses
// "Sedan förra mötet" (the date is remembered across a reload), prints the report with Chromium
// (page.pdf(), checked with pdftotext), axe-core in Swedish and English, the section's controls
// by keyboard alone, and an organiser sees the aggregates without comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, axeViolations } from '../lib/harness.mjs';

let server;
let browser;
let planner;
let organiser;
const PASSWORD = 'a long enough secret';
const DAY = 86400;
const api = (...args) => server.api(...args);

/** The date in Europe/Stockholm, YYYY-MM-DD, at Unix seconds `unix`: the server counts its days
 * there, whatever this machine's time zone (in UTC, 23:00–24:00 is already the next day). */
const stockholmDate = (unix) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' })
  .format(new Date(unix * 1000));
const NOW = Math.floor(Date.now() / 1000);
/** The date `days` ago in Stockholm. */
const ago = (days) => stockholmDate(NOW - days * DAY);
/** The server's `local_day` of a time: days from 1970-01-01 to its Stockholm date. */
const localDay = (unix) => Date.parse(`${stockholmDate(unix)}T00:00:00Z`) / 1000 / DAY;
const FROM = ago(200);
const TO = ago(0);
const SELECTION = `from=${FROM}&to=${TO}&category=drugs&category=lighting`;

before(async () => {
  server = await startServer({ args: ['--pins-per-10-min', '1000', '--agrees-per-10-min', '1000'] });
  browser = await launchBrowser();
  planner = await server.staff('pia', 'planner');
  organiser = await server.staff('olle', 'organiser');
  // 72 pins over six months: a cluster of 36 near the station (a hotspot), the rest spread
  // over Arboga; more drug reports lately. Then their times are moved back with SQL, with the
  // local day the server stores beside each time (it groups and selects by that day).
  const updates = [];
  for (let i = 0; i < 72; i += 1) {
    const id = randomUUID();
    const clustered = i % 2 === 0;
    await api('POST', '/api/pins', null, {
      id,
      lat: clustered ? 59.3905 + (i % 6) * 0.00005 : 59.380 + (i % 9) * 0.002,
      lon: clustered ? 15.8385 + (i % 5) * 0.00005 : 15.820 + (i % 7) * 0.003,
      category: i % 3 === 0 ? 'lighting' : (i % 5 === 0 ? 'traffic' : 'drugs'),
      time_of_day: i % 4 === 0 ? 'night' : 'evening',
      comment: `Hemlig kommentar ${i}`,
    });
    const daysAgo = 3 + Math.floor((i * 181) / 72);
    const at = NOW - daysAgo * DAY;
    updates.push(`UPDATE pins SET created_at = ${at}, local_day = ${localDay(at)} WHERE id = '${id}';`);
  }
  execFileSync('sqlite3', [join(server.dir, 'e2e.db'), updates.join('\n')]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function login(page, name) {
  await page.fill('#tk-login-user', name);
  await page.fill('#tk-login-password', PASSWORD);
  await page.click('.tk-login button[type=submit]');
  await page.locator('.tk-staff-nav').waitFor();
}

/** The bars of the time chart: how many, and the sum of their values. */
const bars = (page) => page.$$eval('.tk-time-chart rect.tk-bar', (rs) => ({
  count: rs.length,
  sum: rs.reduce((a, r) => a + Number(r.dataset.value), 0),
}));
const nonZero = (stats) => stats.buckets
  .reduce((n, b) => n + b.by_category.filter((c) => c.count > 0).length, 0);

test('a planner reads the chart from a shared link, compares periods, names a place and prints', async (t) => {
  const { page, context, errors } = await openPage(browser, `${server.url}/personal/lagesbild?${SELECTION}`, {
    viewport: { width: 1280, height: 900 },
  });
  await login(page, 'pia');
  const week = await api('GET', `/api/staff/stats?${SELECTION}&bucket=week`, planner);
  assert.ok(week.total > 30, `seeded pins in the selection: ${week.total}`);
  await page.locator('.tk-time-chart rect.tk-bar').first().waitFor();
  assert.equal(await page.locator('#tk-time-heading').textContent(), 'Markeringar per vecka');
  assert.deepEqual(await bars(page), { count: nonZero(week), sum: week.total });
  assert.match(await page.locator('.tk-time-chart .tk-chart-summary').textContent(),
    new RegExp(`^${week.total} markeringar ${FROM}–${TO}\\.`));
  // The table behind the disclosure: a row per week.
  await page.locator('.tk-time-chart summary').click();
  assert.equal(await page.locator('.tk-time-chart tbody tr').count(), week.buckets.length);
  // Months, and the categories side by side.
  await page.getByLabel('Månad').check();
  await page.locator('#tk-time-heading', { hasText: 'Markeringar per månad' }).waitFor();
  const month = await api('GET', `/api/staff/stats?${SELECTION}&bucket=month`, planner);
  await page.waitForFunction((n) => document.querySelectorAll('.tk-time-chart rect.tk-bar').length === n, nonZero(month));
  assert.equal((await bars(page)).sum, month.total);
  await page.getByLabel('Bredvid varandra').check();
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('.tk-time-chart rect.tk-bar')];
    return r.length > 1 && new Set(r.map((x) => x.getAttribute('x'))).size === r.length;
  });
  // The distributions are the API's.
  const evening = month.by_time_of_day.find((t) => t.key === 'evening').count;
  assert.equal(await page.locator('#tk-dist-time tbody tr', { hasText: 'Kväll' }).locator('td').textContent(), String(evening));

  // Two periods: the three months before and after a date 90 days ago.
  const [a0, a1, b0, b1] = [ago(181), ago(91), ago(90), ago(0)];
  await page.fill('#tk-c-a-from', a0);
  await page.fill('#tk-c-a-to', a1);
  await page.fill('#tk-c-b-from', b0);
  await page.fill('#tk-c-b-to', b1);
  await page.click('.tk-compare-submit');
  const cmp = (await api('GET', `/api/staff/stats?from=${a0}&to=${a1}&category=drugs&category=lighting`
    + `&bucket=month&compare_from=${b0}&compare_to=${b1}`, planner)).comparison;
  const totalRow = page.locator('.tk-compare-table').first().locator('tbody tr').first();
  await totalRow.waitFor();
  const cells = await totalRow.locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 2), [String(cmp.total.a), String(cmp.total.b)]);
  const drugs = cmp.by_category.find((c) => c.key === 'drugs');
  const drugCells = await page.locator('.tk-compare-table').first().locator('tr', { hasText: 'Narkotika' }).locator('td').allTextContents();
  assert.deepEqual(drugCells.slice(0, 2), [String(drugs.a), String(drugs.b)]);
  const rounded = drugs.percent === undefined ? null : Math.round(Math.abs(drugs.percent));
  const percent = rounded === null ? '–'
    : rounded === 0 ? '±0 %' : `${drugs.percent > 0 ? '+' : '\u2212'}${rounded} %`;
  assert.equal(drugCells[3], percent);
  const traffic = cmp.by_category.find((c) => c.key === 'traffic');
  assert.equal(traffic.percent, undefined, 'small numbers get no per cent');
  assert.match(await page.locator('.tk-compare-summary').textContent(), /(ökade|minskade|oförändrat)/);

  // Name a place: a circle round the map's centre (Enter on the map), 2 km wide.
  const spotsBefore = await api('GET', `/api/staff/hotspots?${SELECTION}`, planner);
  assert.ok(spotsBefore.hotspots.length > 0, 'the cluster is a hotspot');
  await page.fill('#tk-place-name', 'Stationsområdet');
  await page.fill('#tk-place-radius', '2000');
  await page.locator('.tk-places path.tk-kommun').first().waitFor();
  await page.locator('.tk-places .tk-surface').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tk-place-state:has-text("En punkt är vald.")');
  await page.click('.tk-place-save');
  await page.locator('.tk-place-list li', { hasText: 'Stationsområdet' }).waitFor();
  // The area filter offers the new place at once, without a reload.
  await page.locator('#tk-f-area option', { hasText: 'Stationsområdet' }).waitFor({ state: 'attached' });
  await page.locator('.tk-hotspot-list li', { hasText: 'Stationsområdet' }).first().waitFor();
  const spotsAfter = await api('GET', `/api/staff/hotspots?${SELECTION}`, planner);
  assert.equal(spotsAfter.hotspots[0].place_name, 'Stationsområdet');
  // A place with no name is refused before sending.
  await page.click('.tk-place-save');
  await page.getByText('Ge platsen ett namn (högst 80 tecken).').waitFor();

  // The printed report: A4 pages with the API's figures.
  await page.click('.tk-print-open');
  await page.locator('.tk-report .tk-time-chart rect.tk-bar').first().waitFor();
  await page.locator('.tk-report').getByRole('heading', { name: 'Åtgärder', exact: true }).waitFor();
  const stats = await api('GET', `/api/staff/stats?${SELECTION}&bucket=month`, planner);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const file = join(server.dir, 'lagesbild.pdf');
  writeFileSync(file, pdf);
  // LB_KEEP_PDF=path keeps a copy to look at.
  if (process.env.LB_KEEP_PDF) writeFileSync(process.env.LB_KEEP_PDF, pdf);
  const pages = Number(execFileSync('pdfinfo', [file]).toString().match(/Pages:\s+(\d+)/)[1]);
  assert.ok(pages >= 1 && pages <= 8, `pages: ${pages}`);
  t.diagnostic(`the report: ${pages} A4 pages, ${pdf.length} bytes`);
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  assert.match(text, /Lägesbild – Arboga kommun/);
  assert.match(text, new RegExp(`${stats.total} markeringar i urvalet`));
  assert.match(text, new RegExp(`Period: ${FROM} – ${TO}`));
  assert.match(text, /Urval: Narkotika, Dålig belysning/);
  assert.match(text, /Stationsområdet/);
  assert.match(text, new RegExp(`Instämmanden totalt: ${stats.agree_total}`));
  const cat = stats.by_category.find((c) => c.key === 'drugs').count;
  assert.match(text, new RegExp(`Narkotika\\s+${cat}`));
  assert.match(text, /Jämför två perioder/);
  assert.match(text, new RegExp(`Period 1 \\(före\\): ${a0} – ${a1} \\(${cmp.total.a}\\)`));
  assert.doesNotMatch(text, /Hemlig kommentar/, 'no comments in the report');
  assert.doesNotMatch(text, /Markeringar\s+Åtgärder\s+Dialoger/, 'no navigation in print');
  await page.click('.tk-print-back');
  await page.locator('.tk-time-chart').waitFor();
  // The Excel link takes the same selection.
  const href = await page.locator('.tk-excel').getAttribute('href');
  assert.match(href, /^\/api\/export\/stats\.xlsx\?from=.*category=drugs.*bucket=month$/);
  const xlsx = await fetch(`${server.url}${href}`, { headers: { cookie: planner } });
  assert.equal(xlsx.status, 200);
  assert.equal((await xlsx.arrayBuffer()).byteLength > 1000, true);
  // Renamed, the hotspot follows; deleted, the name is gone.
  const row = page.locator('.tk-place-list li', { hasText: 'Stationsområdet' });
  await row.locator('input[type=text]').fill('Stationen');
  await row.locator('.tk-place-rename').click();
  await page.locator('.tk-hotspot-list li', { hasText: 'Stationen' }).first().waitFor();
  await page.locator('.tk-place-list li', { hasText: 'Stationen' }).locator('.tk-place-delete').click();
  await page.locator('.tk-places', { hasText: 'Inga namngivna platser än.' }).waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll('.tk-hotspot-list li')]
    .some((li) => li.textContent.includes('Stationen')));
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});

test('"Sedan förra mötet" selects the pins since a date and remembers it', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/personal/lagesbild`, {
    viewport: { width: 1024, height: 900 },
  });
  await login(page, 'pia');
  const since = ago(30);
  await page.fill('#tk-since-date', since);
  await page.click('.tk-since-button');
  await page.locator('.tk-since-new').waitFor();
  const now = await api('GET', `/api/staff/stats?from=${since}&to=${TO}&bucket=week`, planner);
  assert.equal(await page.locator('.tk-since-new').textContent(), `${now.total} nya markeringar sedan ${since}.`);
  const received = now.by_status.filter((s) => s.key === 'received').reduce((a, s) => a + s.count, 0);
  assert.equal(await page.locator('.tk-since-unanswered').textContent(), `Obesvarade (Mottagen): ${received}`);
  // The selection is the period since: in the address and the filters.
  assert.match(page.url(), new RegExp(`from=${since}&to=${TO}`));
  for (let i = 0; i < 50 && (await api('GET', '/api/staff/me/since', planner)).date !== since; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(await api('GET', '/api/staff/me/since', planner), { date: since });
  await page.reload();
  await page.locator('.tk-staff-nav').waitFor();
  await page.waitForFunction((d) => document.querySelector('#tk-since-date')?.value === d, since);
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});

test('no WCAG violations in Swedish and English, and the controls work by keyboard', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/personal/lagesbild?${SELECTION}`, {
    viewport: { width: 360, height: 780 },
    bypassCSP: true,
  });
  await login(page, 'pia');
  await page.locator('.tk-time-chart rect.tk-bar').first().waitFor();
  await page.locator('.tk-time-chart summary').click();
  let violations = await axeViolations(page);
  assert.deepEqual(violations, [], `sv:\n${violations.join('\n')}`);
  // Readable at 360 px: the page itself does not scroll sideways (the chart scrolls in its box).
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  // Keyboard: reach the month toggle, choose it with the arrow keys, compare with a preset.
  await page.locator('#tk-bucket-week').focus();
  await page.keyboard.press('ArrowRight');
  await page.locator('#tk-time-heading', { hasText: 'Markeringar per månad' }).waitFor();
  await page.locator('.tk-preset-quarter').focus();
  await page.keyboard.press('Enter');
  await page.locator('.tk-compare-summary').waitFor();
  await page.locator('.tk-print-open').focus();
  await page.keyboard.press('Enter');
  await page.locator('.tk-report').waitFor();
  await page.locator('.tk-print-back').focus();
  await page.keyboard.press('Enter');
  await page.locator('.tk-time-chart').waitFor();
  await page.getByRole('button', { name: 'In English' }).click();
  await page.locator('#tk-time-heading', { hasText: 'Pins per month' }).waitFor();
  violations = await axeViolations(page);
  assert.deepEqual(violations, [], `en:\n${violations.join('\n')}`);
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});

test('an organiser sees the aggregates, no comments, and cannot name places', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/personal/lagesbild?${SELECTION}`, {
    viewport: { width: 1024, height: 900 },
  });
  await login(page, 'olle');
  await page.locator('.tk-time-chart rect.tk-bar').first().waitFor();
  const stats = await api('GET', `/api/staff/stats?${SELECTION}&bucket=week`, organiser);
  assert.equal((await bars(page)).sum, stats.total);
  await page.locator('.tk-places').waitFor();
  assert.equal(await page.locator('.tk-place-form').count(), 0);
  assert.equal(await page.locator('.tk-place-rename').count(), 0);
  assert.doesNotMatch(await page.locator('.tk-lagesbild').textContent(), /Hemlig kommentar/);
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});
