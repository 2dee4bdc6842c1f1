// WCAG 2.1 AA checks with axe-core on every view: the map, the report form (map and no-map
// paths), the dialogue list and an opened session, staff login, the organiser's and the
// planner's views. Zero violations, in Swedish and in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, axeViolations, postPin } from '../lib/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ args: ['--pins-per-10-min', '1000'] });
  browser = await launchBrowser();
  const organiser = await server.staff('olle', 'organiser');
  await server.staff('pia', 'planner');
  await fetch(`${server.url}/api/dialogues`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: organiser },
    body: JSON.stringify({
      title: 'Trygghetsvandring i centrum', description: 'Vi går från Stora torget.',
      starts_at: '2027-05-11T18:00:00+02:00', ends_at: '2027-05-11T19:30:00+02:00',
      place_name: 'Stora torget', lat: 59.394, lon: 15.842, kind: 'walk', organiser: 'both',
    }),
  });
  for (let i = 0; i < 4; i += 1) {
    await postPin(server, { lat: 59.3968 + i * 0.0001, lon: 15.841, category: 'drugs', time_of_day: 'night', comment: 'Langning vid stationen' });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the checker itself finds a violation when there is one', async () => {
  const { page, context } = await openPage(browser, `${server.url}/`, { bypassCSP: true });
  await page.waitForSelector('path.tk-kommun');
  // Inside the widget's own tree: an unnamed button and low-contrast text.
  await page.$eval('.tk-root', (root) => {
    root.insertAdjacentHTML('beforeend', '<button class="tk-bad"></button><p style="color:#ccc;background:#fff">grått</p>');
  });
  const violations = await axeViolations(page);
  assert.ok(violations.some((v) => v.startsWith('button-name')), violations.join('\n'));
  assert.ok(violations.some((v) => v.startsWith('color-contrast')), violations.join('\n'));
  await context.close();
});

async function expectClean(page, view) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${view}:\n${violations.join('\n')}`);
}

for (const [name, options] of [
  ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
  ['desktop', { viewport: { width: 1280, height: 900 } }],
]) {
  test(`residents' views have no WCAG 2.1 AA violations (${name})`, async () => {
    const { page, context } = await openPage(browser, `${server.url}/`, { ...options, bypassCSP: true });
    await page.waitForSelector('path.tk-kommun');
    // Upcoming sessions open their list by themselves.
    await page.locator('#tk-dialogues-heading button[aria-expanded="true"]').waitFor();
    await page.locator('.tk-dialogue').first().waitFor();
    await expectClean(page, 'map and dialogue list');

    // The report form, from the map.
    await page.click('.tk-start-report');
    await expectClean(page, 'placing a pin');
    await page.click('.tk-choose-here');
    await page.locator('.tk-sheet').waitFor();
    await expectClean(page, 'report form');
    // Its errors.
    await page.click('.tk-send');
    await page.locator('.tk-field-error').first().waitFor();
    await expectClean(page, 'report form with errors');
    await page.keyboard.press('Escape');

    // The report form without the map.
    await page.click('.tk-report-list');
    await page.locator('#tk-field-place').waitFor();
    await expectClean(page, 'report without the map');
    await page.keyboard.press('Escape');

    // In English.
    await page.getByRole('button', { name: 'In English' }).click();
    await page.getByRole('button', { name: 'På svenska' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await expectClean(page, 'map in English');
    await context.close();
  });
}

test('staff views have no WCAG 2.1 AA violations', async () => {
  const { page, context } = await openPage(browser, `${server.url}/personal`, {
    viewport: { width: 1280, height: 900 }, bypassCSP: true,
  });
  await page.locator('#tk-login-user').waitFor();
  await expectClean(page, 'staff login');
  await page.fill('#tk-login-user', 'olle');
  await page.fill('#tk-login-password', 'a long enough secret');
  await page.click('.tk-login button[type=submit]');
  // Hotspots are in Lägesbild, dialogues in their own section.
  await page.locator('.tk-hotspot-list li').first().waitFor();
  await expectClean(page, 'organiser: lägesbild');
  await page.click('.tk-staff-nav a[data-section="dialoger"]');
  await page.locator('.tk-new-dialogue').waitFor();
  await expectClean(page, 'organiser: dialogues and hotspots');
  await page.click('.tk-new-dialogue');
  await page.locator('.tk-dialogue-editor').waitFor();
  await expectClean(page, 'organiser: dialogue editor');
  await page.click('.tk-logout');

  await page.locator('#tk-login-user').waitFor();
  await page.fill('#tk-login-user', 'pia');
  await page.fill('#tk-login-password', 'a long enough secret');
  await page.click('.tk-login button[type=submit]');
  await page.click('.tk-staff-nav a[data-section="markeringar"]');
  await page.locator('.tk-pin-list .tk-pin-card').first().waitFor();
  await expectClean(page, 'planner: filters, map, hotspots, pins');
  const card = page.locator('.tk-pin-list .tk-pin-card').first();
  await card.locator('.tk-hide').click();
  await card.locator('.tk-history').click();
  await card.locator('.tk-history-list').waitFor();
  await expectClean(page, 'planner: hide form and history');
  await context.close();
});

test('the widget reflows at 320 px with 200 % text, and every control is a 44 × 44 px target', async () => {
  // 320 CSS px is a 1280 px window at 400 % zoom (WCAG 1.4.10); the text is doubled on top.
  const { page, context } = await openPage(browser, `${server.url}/`, {
    viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, bypassCSP: true,
  });
  await page.waitForSelector('path.tk-kommun');
  await page.locator('#tk-dialogues-heading button[aria-expanded="true"]').waitFor();
  await page.locator('.tk-dialogue').first().waitFor();
  await page.addStyleTag({ content: '.tk-root { font-size: 32px !important; }' });
  await page.waitForTimeout(200);
  const layout = await page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('.tk-root button, .tk-root a[href], .tk-root input:not([type=hidden]), .tk-root select, .tk-root textarea')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || el.closest('.tk-honeypot')) continue; // not shown
      // Radio buttons and checkboxes count with their label, which is the target.
      const target = el.closest('label')?.getBoundingClientRect() ?? r;
      if (target.width < 43.5 || target.height < 43.5) small.push(`${el.className || el.tagName} ${Math.round(target.width)}×${Math.round(target.height)}`);
    }
    return { overflow: document.documentElement.scrollWidth - innerWidth, small };
  });
  assert.ok(layout.overflow <= 0, `no horizontal scrolling: ${layout.overflow} px too wide`);
  assert.deepEqual(layout.small, []);
  await context.close();
});
