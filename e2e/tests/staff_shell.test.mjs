// The staff view's shell: sections with their own addresses, the selection in the address (a link
// a planner sends opens the same selection), back and forward, the paged and sorted pin list,
// keyboard-only navigation, Konton (an admin creates an organiser who then logs in and sees only
// the organiser's sections), axe-core on every section, and the navigation on a 360 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, launchBrowser, openPage, axeViolations } from '../lib/harness.mjs';

let server;
let browser;
let planner;
const PASSWORD = 'a long enough secret';
/** Night-time drug reports, newest first as the API lists them. */
let nightDrugs;
let mostAgreed;

const api = (...args) => server.api(...args);

before(async () => {
  server = await startServer({ args: ['--pins-per-10-min', '1000', '--agrees-per-10-min', '1000'] });
  browser = await launchBrowser();
  planner = await server.staff('pia', 'planner');
  await server.staff('adam', 'admin');
  // 112 night-time drug reports spread over Arboga (three pages of 50), and 30 others.
  for (let i = 0; i < 142; i += 1) {
    const drugs = i < 112;
    await api('POST', '/api/pins', null, {
      id: randomUUID(),
      lat: 59.390 + (i % 12) * 0.0012,
      lon: 15.830 + Math.floor(i / 12) * 0.0015,
      category: drugs ? 'drugs' : 'lighting',
      time_of_day: drugs ? 'night' : 'evening',
      comment: `Markering nummer ${i}`,
    });
  }
  nightDrugs = await api('GET', '/api/staff/pins?category=drugs&time_of_day=night', planner);
  assert.equal(nightDrugs.length, 112);
  // One of the oldest gets the most agrees: sorting by agrees puts it first.
  mostAgreed = nightDrugs[100];
  for (let i = 0; i < 4; i += 1) {
    await api('POST', `/api/pins/${mostAgreed.id}/agree`, null, { device_id: randomUUID() });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function login(page, name, password = PASSWORD) {
  await page.fill('#tk-login-user', name);
  await page.fill('#tk-login-password', password);
  await page.click('.tk-login button[type=submit]');
  await page.locator('.tk-staff-nav').waitFor();
}

const path = (page) => {
  const u = new URL(page.url());
  return `${u.pathname}${u.search}`;
};
const heading = (page) => page.locator('#tk-section-heading');
const focusedId = (page) => page.evaluate(() => document.activeElement?.id);
const navNames = (page) => page.locator('.tk-staff-nav a').allTextContents();

test('a planner opens a shared link, pages and sorts, moves between sections and comes back', async () => {
  const shared = '/personal/markeringar?category=drugs&time_of_day=night&page=2';
  const { page, context, errors } = await openPage(browser, `${server.url}${shared}`, {
    viewport: { width: 1280, height: 900 },
  });
  await login(page, 'pia');
  // The same selection: the boxes are checked, the count is the API's, page 2 of 3.
  await page.getByText('112 markeringar i urvalet').waitFor();
  assert.equal(await page.getByRole('checkbox', { name: 'Narkotika' }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: 'Natt' }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: 'Dålig belysning' }).isChecked(), false);
  assert.equal(path(page), shared);
  assert.equal(await heading(page).textContent(), 'Markeringar');
  assert.equal(await page.title(), 'Markeringar – Trygghetskartan, personal');
  assert.equal(await page.locator('.tk-staff-nav a[aria-current="page"]').textContent(), 'Markeringar');
  const cards = page.locator('.tk-pin-list .tk-pin-card');
  await page.locator('.tk-page-status:has-text("Sida 2 av 3")').waitFor();
  assert.equal(await cards.count(), 50);
  assert.equal(await cards.first().getAttribute('data-pin'), nightDrugs[50].id);
  // The map and the exports still take the whole selection.
  const geojson = await page.getByRole('link', { name: 'GeoJSON (QGIS)' }).getAttribute('href');
  assert.equal(geojson, '/api/export/pins.geojson?category=drugs&time_of_day=night');

  // No reload from here on: a mark on the window survives every move.
  await page.evaluate(() => { window.tkNoReload = true; });
  const entries = await page.evaluate(() => history.length);

  // Next page: the address follows (replaced, not a new history entry).
  await page.getByRole('button', { name: 'Nästa' }).click();
  await page.locator('.tk-page-status:has-text("Sida 3 av 3")').waitFor();
  assert.equal(await cards.count(), 12);
  assert.equal(await cards.first().getAttribute('data-pin'), nightDrugs[100].id);
  assert.equal(await page.getByRole('button', { name: 'Nästa' }).isDisabled(), true);
  assert.equal(path(page), '/personal/markeringar?category=drugs&time_of_day=night&page=3');
  assert.equal(await focusedId(page), 'tk-list-heading');
  await page.getByRole('button', { name: 'Föregående' }).click();
  await page.locator('.tk-page-status:has-text("Sida 2 av 3")').waitFor();

  // Sort by agrees: back to page 1, the most agreed first.
  await page.selectOption('#tk-sort', 'agreed');
  await page.locator('.tk-page-status:has-text("Sida 1 av 3")').waitFor();
  assert.equal(await cards.first().getAttribute('data-pin'), mostAgreed.id);
  assert.match(await cards.first().textContent(), /4 håller med/);
  assert.equal(path(page), '/personal/markeringar?category=drugs&time_of_day=night&sort=agreed');

  // A filter change replaces the address too (and starts on page 1).
  await page.getByRole('checkbox', { name: 'Dålig belysning' }).check();
  await page.waitForFunction(() => location.search.includes('category=lighting'));
  assert.equal(path(page), '/personal/markeringar?category=drugs&category=lighting&time_of_day=night&sort=agreed');
  await page.getByText('112 markeringar i urvalet').waitFor(); // the lighting pins are evening ones
  await page.getByRole('checkbox', { name: 'Dålig belysning' }).uncheck();
  assert.equal(await page.evaluate(() => history.length), entries);

  // To Lägesbild: a new history entry, the same selection, focus on the heading.
  await page.getByRole('link', { name: 'Lägesbild' }).click();
  await page.waitForFunction(() => document.title.startsWith('Lägesbild'));
  assert.equal(path(page), '/personal/lagesbild?category=drugs&time_of_day=night');
  assert.equal(await heading(page).textContent(), 'Lägesbild');
  assert.equal(await focusedId(page), 'tk-section-heading');
  assert.equal(await page.locator('.tk-staff-nav a[aria-current="page"]').textContent(), 'Lägesbild');
  await page.getByText('112 markeringar i urvalet').waitFor();
  assert.equal(await page.getByRole('checkbox', { name: 'Narkotika' }).isChecked(), true);
  await page.locator('.tk-hotspot-list li').first().waitFor();
  assert.equal(await page.evaluate(() => history.length), entries + 1);

  // The browser's back button: Markeringar as it was left, sorted by agrees.
  await page.goBack();
  await page.waitForFunction(() => document.title.startsWith('Markeringar'));
  assert.equal(path(page), '/personal/markeringar?category=drugs&time_of_day=night&sort=agreed');
  await cards.first().waitFor();
  assert.equal(await page.inputValue('#tk-sort'), 'agreed');
  assert.equal(await cards.first().getAttribute('data-pin'), mostAgreed.id);
  assert.equal(await focusedId(page), 'tk-section-heading');
  // And forward again.
  await page.goForward();
  await page.waitForFunction(() => document.title.startsWith('Lägesbild'));
  assert.equal(await page.evaluate(() => window.tkNoReload), true, 'no page load');

  // A section the role lacks is not linked, and typed in it says so.
  assert.deepEqual(await navNames(page), ['Lägesbild', 'Markeringar', 'Åtgärder']);
  await page.goto(`${server.url}/personal/konton`);
  await page.locator('.tk-staff-section[data-view="not-allowed"]').waitFor();
  assert.match(await page.locator('.tk-staff-section').textContent(), /Din roll har inte tillgång till den här delen/);
  assert.equal(path(page), '/personal/konton');
  await page.goto(`${server.url}/personal/finns-inte`);
  await page.locator('.tk-staff-section[data-view="not-found"]').waitFor();
  assert.equal(await heading(page).textContent(), 'Sidan finns inte');
  // /personal opens the role's first section.
  await page.goto(`${server.url}/personal?category=lighting`);
  await page.waitForFunction(() => location.pathname === '/personal/lagesbild');
  assert.equal(path(page), '/personal/lagesbild?category=lighting');
  await page.getByText('30 markeringar i urvalet').waitFor();
  // The only expected failures: "who is logged in?" before the login (401).
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});

/** Presses Tab (or Shift+Tab) until the focused element matches `selector` (at most 60 times). */
async function tabTo(page, selector, { shift = false } = {}) {
  for (let i = 0; i < 60; i += 1) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('sections are reached by keyboard alone, with focus on each heading', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/personal`, {
    viewport: { width: 1024, height: 800 },
  });
  await page.locator('#tk-login-user').waitFor();
  await tabTo(page, '#tk-login-user');
  await page.keyboard.type('adam');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('.tk-staff-nav').waitFor();
  assert.equal(new URL(page.url()).pathname, '/personal/lagesbild');
  // Forward from the top of the page to the navigation; later, back up to it from the section
  // just below.
  let shift = false;
  for (const [slug, name] of [['dialoger', 'Dialoger'], ['konton', 'Konton'], ['markeringar', 'Markeringar']]) {
    await tabTo(page, `.tk-staff-nav a[data-section="${slug}"]`, { shift });
    shift = true;
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible on the link');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.activeElement?.id === 'tk-section-heading'
      && document.activeElement.textContent === n, name);
    assert.equal(new URL(page.url()).pathname, `/personal/${slug}`);
    // Tab from the heading goes into the section, not back to the top of the page.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.querySelector('.tk-staff-section').contains(document.activeElement)));
  }
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});

test('an admin creates an organiser in Konton, who then logs in and sees only their sections', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/personal/konton`, {
    viewport: { width: 1024, height: 900 },
  });
  await login(page, 'adam');
  const accounts = page.locator('.tk-account-list');
  await accounts.locator('[data-user="pia"]').waitFor();
  // Admins see every account, and are not offered to disable themself.
  const me = accounts.locator('[data-user="adam"]');
  assert.match(await me.textContent(), /adam \(du\) · Administratör/);
  assert.equal(await me.locator('.tk-account-toggle').count(), 0);
  assert.match(await accounts.locator('[data-user="pia"]').textContent(), /Planerare · Aktivt.*Senast inloggad: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

  // The form checks before sending, and says what the server refused.
  await page.fill('#tk-acc-username', 'olga');
  await page.selectOption('#tk-acc-role', 'organiser');
  await page.fill('#tk-acc-new-password', 'kort');
  await page.fill('#tk-acc-new-repeat', 'kort');
  await page.click('.tk-create-account');
  await page.locator('#tk-acc-new-password-error:has-text("Lösenordet behöver minst 10 tecken.")').waitFor();
  assert.equal(await page.getAttribute('#tk-acc-new-password', 'aria-invalid'), 'true');
  await page.fill('#tk-acc-new-password', 'olgas hemliga lösenord');
  await page.fill('#tk-acc-new-repeat', 'olgas hemliga lösenrod');
  await page.click('.tk-create-account');
  await page.locator('#tk-acc-new-repeat-error:has-text("Lösenorden är inte likadana.")').waitFor();
  await page.fill('#tk-acc-username', 'pia');
  await page.fill('#tk-acc-new-repeat', 'olgas hemliga lösenord');
  await page.click('.tk-create-account');
  await page.locator('#tk-acc-username-error:has-text("Det finns redan ett konto med det namnet.")').waitFor();
  await page.fill('#tk-acc-username', 'olga');
  await page.click('.tk-create-account');
  await page.locator('.tk-status:has-text("Kontot olga är skapat.")').waitFor();
  const olga = accounts.locator('[data-user="olga"]');
  await olga.waitFor();
  assert.match(await olga.textContent(), /Arrangör · Aktivt.*Senast inloggad: Aldrig/);
  const listed = await api('GET', '/api/staff/users', await server.staff('root', 'admin'));
  assert.equal(listed.find((u) => u.username === 'olga').role, 'organiser');

  // Disable and enable pia; a new password for olga.
  await accounts.locator('[data-user="pia"] .tk-account-toggle').click();
  await page.locator('.tk-status:has-text("Kontot pia är avstängt")').waitFor();
  await accounts.locator('[data-user="pia"]:has-text("Avstängt")').waitFor();
  assert.equal((await fetch(`${server.url}/api/session`, { headers: { cookie: planner } })).status, 401);
  await accounts.locator('[data-user="pia"] .tk-account-toggle').click();
  await page.locator('.tk-status:has-text("Kontot pia är aktiverat.")').waitFor();
  await olga.getByRole('button', { name: 'Nytt lösenord: olga' }).click();
  await page.fill('#tk-acc-password-olga', 'olgas nya lösenord!');
  await page.fill('#tk-acc-repeat-olga', 'olgas nya lösenord!');
  await olga.locator('.tk-save-password').click();
  await page.locator('.tk-status:has-text("Lösenordet för olga är bytt")').waitFor();
  // Expected: "who is logged in?" before the login (401) and the refused duplicate name (422).
  assert.deepEqual(errors.filter((e) => !e.includes('401') && !e.includes('422')), []);
  await context.close();

  // Olga, in a fresh browser context: only the organiser's sections.
  const fresh = await openPage(browser, `${server.url}/personal`, { viewport: { width: 1024, height: 900 } });
  await login(fresh.page, 'olga', 'olgas nya lösenord!');
  await fresh.page.waitForFunction(() => location.pathname === '/personal/lagesbild');
  assert.deepEqual(await navNames(fresh.page), ['Lägesbild', 'Åtgärder', 'Dialoger']);
  assert.match(await fresh.page.locator('.tk-staff-user').textContent(), /olga \(Arrangör\)/);
  await fresh.page.locator('.tk-hotspot-list li').first().waitFor();
  assert.equal(await fresh.page.locator('.tk-pin-list').count(), 0, 'no pins for organisers');
  assert.equal(await fresh.page.locator('#tk-f-hidden').count(), 0);
  await fresh.page.getByRole('link', { name: 'Dialoger' }).click();
  await fresh.page.locator('.tk-new-dialogue').waitFor();
  await fresh.page.goto(`${server.url}/personal/markeringar`);
  await fresh.page.locator('.tk-staff-section[data-view="not-allowed"]').waitFor();
  assert.deepEqual(fresh.errors.filter((e) => !e.includes('401')), []);
  await fresh.context.close();
});

test('every section has no WCAG 2.1 AA violations, in Swedish and in English', async () => {
  const { page, context } = await openPage(browser, `${server.url}/personal/lagesbild`, {
    viewport: { width: 1280, height: 900 }, bypassCSP: true,
  });
  await login(page, 'adam');
  const ready = {
    lagesbild: '.tk-hotspot-list li',
    markeringar: '.tk-pin-list .tk-pin-card',
    atgarder: '.tk-actions-section',
    dialoger: '.tk-new-dialogue',
    konton: '.tk-account-list li',
  };
  for (const [slug, selector] of Object.entries(ready)) {
    await page.click(`.tk-staff-nav a[data-section="${slug}"]`);
    await page.locator(selector).first().waitFor();
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${slug}:\n${violations.join('\n')}`);
  }
  await page.locator('.tk-account-password').first().click();
  await page.locator('.tk-password-form').waitFor();
  await page.click('.tk-create-account');
  await page.locator('.tk-new-account .tk-field-error').first().waitFor();
  assert.deepEqual(await axeViolations(page), [], 'Konton with open forms and messages');
  // In English: the navigation and a section.
  await page.getByRole('button', { name: 'In English' }).click();
  await page.getByRole('link', { name: 'Pins' }).click();
  await page.locator('.tk-pin-list .tk-pin-card').first().waitFor();
  assert.equal(await page.title(), 'Pins – Trygghetskartan, staff');
  assert.equal(await page.locator('.tk-page-status').textContent(), 'Page 1 of 3');
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `markeringar in English:\n${violations.join('\n')}`);
  await context.close();
});

test('on a 360 px phone the navigation wraps, every link is a 44 px target, and it works by touch', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/personal`, {
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true,
  });
  await login(page, 'adam');
  const layout = await page.evaluate(() => {
    const links = [...document.querySelectorAll('.tk-staff-nav a')].map((a) => {
      const r = a.getBoundingClientRect();
      return { text: a.textContent, left: r.left, right: r.right, width: r.width, height: r.height };
    });
    return { links, overflow: document.documentElement.scrollWidth - innerWidth };
  });
  assert.equal(layout.links.length, 5);
  assert.ok(layout.overflow <= 0, `no horizontal scrolling: ${layout.overflow} px too wide`);
  for (const l of layout.links) {
    assert.ok(l.height >= 44 && l.width >= 44, `${l.text}: ${l.width}×${l.height}`);
    assert.ok(l.left >= 0 && l.right <= 360, `${l.text} is on screen`);
  }
  await page.tap('.tk-staff-nav a[data-section="dialoger"]');
  await page.waitForFunction(() => document.title.startsWith('Dialoger'));
  await page.locator('.tk-new-dialogue').waitFor();
  await page.tap('.tk-staff-nav a[data-section="markeringar"]');
  await page.locator('.tk-pin-list .tk-pin-card').first().waitFor();
  const pager = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(pager <= 0, `the list and the pager fit: ${pager} px too wide`);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/staff-360.png` });
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});
