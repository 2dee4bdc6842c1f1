// Återkoppling as residents see it: a resident pins a place and asks for e-mail; staff answer it
// ("Vi undersöker"), then link it to an action that is completed; the resident's phone shows
// "Nytt svar" and the answer, the mail arrives, "Vad händer?" lists the action and the map shows
// it; an organiser closes a dialogue with its outcome, which residents see. axe-core and the
// keyboard on the new parts, in Swedish and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startSmtp, launchBrowser, openPage, axeViolations } from '../lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let server;
let smtp;
let browser;
let planner;
let organiser;

const api = (...args) => server.api(...args);

before(async () => {
  smtp = await startSmtp();
  server = await startServer({
    args: ['--smtp-url', smtp.url, '--mail-from', 'Trygghetskartan <noreply@arboga.example>'],
    publicUrl: true,
  });
  browser = await launchBrowser();
  planner = await server.staff('pia', 'planner');
  organiser = await server.staff('olle', 'organiser');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

test('a resident hears back: state, answer, new-answer badge, e-mail and the action', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, PHONE);
  await page.waitForSelector('path.tk-kommun');
  await page.tap('.tk-start-report');
  await page.tap('.tk-choose-here');
  await page.tap('label.tk-cat-lighting');
  await page.getByRole('radio', { name: 'Kväll' }).check();
  // The opt-in, with its promise about the address.
  await page.getByLabel('Vill du få ett mejl när något händer med din markering?').check();
  await page.fill('#tk-field-notify_email', 'anna@');
  await page.tap('.tk-send');
  await page.waitForSelector('#tk-error-notify_email');
  assert.match(await page.textContent('#tk-notify-privacy'), /raderas senast 30 dagar/);
  await page.fill('#tk-field-notify_email', 'anna.andersson@example.se');
  await page.tap('.tk-send');
  await page.waitForSelector('.tk-status:has-text("Tack! Din markering är skickad.")');
  const [pin] = await api('GET', '/api/pins');
  assert.ok(!JSON.stringify(pin).includes('example.se'), 'the address is not public');

  // Staff answer it.
  await api('POST', `/api/staff/pins/${pin.id}/status`, planner,
    { status: 'investigating', response: 'Vi har bett tekniska förvaltningen titta på belysningen.' });
  await page.reload();
  await page.waitForSelector('.tk-new-answers:has-text("Du har 1 nytt svar på dina markeringar")');
  // "Visa mina markeringar" opens the section (a part of its own) at its heading.
  await page.getByRole('button', { name: 'Visa mina markeringar' }).tap();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tk-mine-heading');
  const mine = page.locator('.tk-mine-item');
  await mine.locator('.tk-badge--new:has-text("Nytt svar")').waitFor();
  assert.match(await mine.textContent(), /Vi undersöker/);
  assert.match(await mine.textContent(), /Vi har bett tekniska förvaltningen titta på belysningen\./);
  assert.match(await mine.textContent(), /Svar från Arboga kommun/);
  // The marker says its state in its name, and the pin's card shows the answer.
  const marker = page.getByRole('button', { name: 'Dålig belysning, kväll: vi undersöker', exact: true });
  await marker.tap();
  await page.waitForSelector('.tk-selected .tk-answer:has-text("Vi undersöker")');
  // The next visit, the answer is no longer new.
  await page.reload();
  await page.tap('#tk-mine-heading button');
  await page.waitForSelector('.tk-mine-item:has-text("Vi undersöker")');
  assert.equal(await page.locator('.tk-badge--new').count(), 0);
  assert.equal(await page.locator('.tk-new-answers').count(), 0);

  // Linked to an action that is completed: the pin is done, "Vad händer?" lists the action.
  const where = { lat: pin.lat + 0.001, lon: pin.lon };
  const action = await api('POST', '/api/actions', planner, {
    title: 'Ny belysning vid gångtunneln', description: 'Sex nya LED-armaturer.',
    party: 'kommun', ...where, state: 'planned', pins: [pin.id],
  });
  await api('PUT', `/api/actions/${action.id}`, planner, {
    title: 'Ny belysning vid gångtunneln', description: 'Sex nya LED-armaturer.',
    party: 'kommun', ...where, state: 'done', pins: [pin.id],
  });
  await api('POST', `/api/actions/${action.id}/notes`, planner, { text: 'Armaturerna är på plats.' });
  await page.reload();
  await page.tap('#tk-mine-heading button');
  await page.tap('#tk-updates-heading button');
  await page.waitForSelector('.tk-mine-item:has-text("Åtgärdad")');
  await page.waitForSelector('.tk-badge--new');
  assert.match(await page.textContent('.tk-mine-item'), /Ingår i åtgärden: Ny belysning vid gångtunneln \(genomförd\)/);
  const entry = page.locator(`#tk-update-${action.id}`);
  await entry.waitFor();
  assert.match(await entry.textContent(), /Ny belysning vid gångtunneln/);
  assert.match(await entry.textContent(), /Genomförd/);
  assert.match(await entry.textContent(), /Armaturerna är på plats\./, 'the latest progress note');
  // The action is on the map, and choosing it leads to its entry.
  const flag = page.getByRole('button', { name: 'Åtgärd: Ny belysning vid gångtunneln (genomförd)' });
  // (By keyboard: at this zoom the pin's marker lies over the action's.)
  await flag.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), `tk-update-${action.id}`);
  // "Vad händer?" filters.
  await page.selectOption('#tk-updates-category', 'traffic');
  await page.waitForSelector('.tk-updates-empty');
  await page.selectOption('#tk-updates-category', 'lighting');
  await entry.waitFor();

  // One mail per change arrived, with the answer and an unsubscribe link.
  for (let i = 0; i < 50 && smtp.messages().length < 3; i += 1) await page.waitForTimeout(100);
  const mails = smtp.messages();
  assert.equal(mails.length, 3, 'investigating, planned, done');
  assert.ok(mails.every((m) => m.includes('anna.andersson@example.se')));
  assert.ok(mails.some((m) => m.includes('/avregistrera/')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('an organiser closes a dialogue with what was heard, and residents see it', async () => {
  const now = Date.now();
  const local = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const d = await api('POST', '/api/dialogues', organiser, {
    title: 'Trygghetsvandring vid stationen', description: 'Vi går tillsammans.',
    starts_at: local(now - 26 * 3600e3), ends_at: local(now - 24 * 3600e3),
    place_name: 'Arboga station', lat: 59.3939, lon: 15.8372, kind: 'walk', organiser: 'both',
  });
  const action = await api('POST', '/api/actions', organiser, {
    title: 'Klipp buskarna vid gångvägen', party: 'kommun', lat: 59.394, lon: 15.838, state: 'planned',
  });
  await api('POST', `/api/dialogues/${d.id}/close`, organiser, {
    summary: 'Många kände sig otrygga på gångvägen bakom stationen på kvällen.',
    participants: 17, themes: ['lighting', 'drugs'], other_themes: 'Buskage', actions: [action.id],
  });
  const { page, context, errors } = await openPage(browser, `${server.url}/?dialog=${d.id}`, { viewport: { width: 1280, height: 900 } });
  const closed = page.locator(`#tk-dialog-${d.id}`);
  await closed.waitFor();
  const text = await closed.textContent();
  assert.match(text, /Vad vi hörde/);
  assert.match(text, /Många kände sig otrygga/);
  assert.match(text, /17 deltagare/);
  assert.match(text, /Narkotika, Dålig belysning, Buskage/, 'themes in the order of the categories');
  assert.match(text, /Klipp buskarna vid gångvägen \(planerad\)/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), `tk-dialog-${d.id}`, 'the calendar link opens it');
  await page.click('#tk-updates-heading button');
  assert.match(await page.textContent('.tk-update-list'), /Trygghetsvandring vid stationen/);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [name, options] of [
  ['phone, Swedish', { ...PHONE, bypassCSP: true }],
  ['desktop, English', { viewport: { width: 1280, height: 900 }, bypassCSP: true, locale: 'en-GB' }],
]) {
  test(`the new parts pass axe-core (${name})`, async () => {
    const { page, context } = await openPage(browser, `${server.url}/`, options);
    await page.waitForSelector('path.tk-kommun');
    await page.click('#tk-updates-heading button');
    await page.waitForSelector('.tk-update-list');
    let violations = await axeViolations(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.click('.tk-start-report');
    await page.click('.tk-choose-here');
    await page.click('#tk-field-notify');
    await page.waitForSelector('#tk-field-notify_email');
    violations = await axeViolations(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await context.close();
  });
}

test('the e-mail opt-in works by keyboard alone', async () => {
  const { page, context } = await openPage(browser, `${server.url}/`, { viewport: { width: 1024, height: 800 } });
  await page.waitForSelector('path.tk-kommun');
  await page.click('.tk-report-list');
  await page.selectOption('#tk-field-place', { label: 'Arboga station' });
  await page.getByRole('radio', { name: 'Trafik och hastighet' }).check();
  await page.getByRole('radio', { name: 'Natt' }).check();
  await page.focus('#tk-field-comment');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tk-field-notify');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tk-field-notify_email');
  await page.keyboard.type('bo@example.se');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tk-status:has-text("Tack!")');
  await context.close();
});
