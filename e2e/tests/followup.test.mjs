// Återkoppling as residents see it: a resident pins a place and asks for e-mail; staff answer it
// ("Vi undersöker"), then link it to an action that is completed; the resident's phone shows
// "Nytt svar" and the answer, the mail arrives, "Vad händer?" lists the action and the map shows
// it; an organiser closes a dialogue with its outcome, which residents see. axe-core and the
// keyboard on the new parts, in Swedish and English. Staff work through /personal: the answer
// form on a pin's card, Åtgärder (pins linked by pasting and by choosing them on the map),
// "Stäng med Vad vi hörde", bulk answers ("Svara alla") and "Skapa åtgärd här" on a hotspot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, startSmtp, launchBrowser, openPage, axeViolations } from '../lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let server;
let smtp;
let browser;
let planner;
let organiser;

const api = (...args) => server.api(...args);
const PASSWORD = 'a long enough secret';

/** A staff member's page, logged in, at `path`. */
async function openStaff(name, path, options = { viewport: { width: 1280, height: 900 } }) {
  const opened = await openPage(browser, `${server.url}${path}`, options);
  await opened.page.fill('#tk-login-user', name);
  await opened.page.fill('#tk-login-password', PASSWORD);
  await opened.page.click('.tk-login button[type=submit]');
  await opened.page.locator('.tk-staff-nav').waitFor();
  // Only the session probe before the login answers 401; nothing after it may fail.
  opened.errors.length = 0;
  return opened;
}

/** Presses Tab until the focused element matches `selector` (keyboard only); fails after `max`. */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

before(async () => {
  smtp = await startSmtp();
  server = await startServer({
    args: ['--smtp-url', smtp.url, '--mail-from', 'Trygghetskartan <noreply@arboga.example>'],
    publicUrl: true,
  });
  browser = await launchBrowser();
  planner = await server.staff('pia', 'planner');
  organiser = await server.staff('olle', 'organiser');
  await server.staff('adam', 'admin');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

test('a resident hears back: state, answer, new-answer badge, e-mail and the action', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, { ...PHONE, bypassCSP: true });
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

  // A planner answers it in /personal: the answer form on the pin's card.
  const staff = await openStaff('pia', '/personal/markeringar');
  const card = staff.page.locator(`.tk-pin-list .tk-pin-card[data-pin="${pin.id}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /Mottagen/);
  assert.match(await card.textContent(), /Inget publikt svar ännu\./);
  await card.locator('.tk-answer-pin').click();
  const form = card.locator('.tk-answer-form');
  assert.match(await form.textContent(), /Skriv inga personuppgifter/, 'the editor says the answer is public');
  // "Ingen åtgärd" needs a reason: the message is Swedish, beside the field, nothing is stored.
  await form.getByLabel('Ingen åtgärd').check();
  await form.locator('.tk-save-answer').click();
  await form.locator('.tk-field-error:has-text("Välj ett skäl.")').waitFor();
  await form.getByLabel('Skäl till att ingen åtgärd görs').selectOption('not_ours');
  await form.locator('.tk-save-answer').click();
  await form.locator('.tk-field-error:has-text("Skriv i svaret vem det har vidarebefordrats till")').waitFor();
  assert.equal((await api('GET', `/api/staff/pins/${pin.id}`, planner)).status, 'received');
  await form.getByLabel('Vi undersöker').check();
  await form.getByLabel('Publikt svar').fill('Vi har bett tekniska förvaltningen titta på belysningen.');
  assert.match(await form.locator('.tk-char-count').textContent(), /^944 tecken kvar$/);
  await form.locator('.tk-save-answer').click();
  await staff.page.waitForSelector('.tk-answer-status:has-text("Svaret är sparat.")');
  const answered = staff.page.locator(`.tk-pin-list .tk-pin-card[data-pin="${pin.id}"]`);
  await answered.locator('.tk-answer-text:has-text("Vi har bett tekniska förvaltningen")').waitFor();
  assert.match(await answered.textContent(), /Status: Vi undersöker/);
  assert.match(await answered.textContent(), /Svar från Arboga kommun/);
  // The history shows the change of state with the answer.
  await answered.locator('.tk-history').click();
  await answered.locator('.tk-history-list:has-text("Mottagen → Vi undersöker")').waitFor();
  assert.match(await answered.locator('.tk-history-list').textContent(), /pia/);
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
  let violations = await axeViolations(page);
  assert.deepEqual(violations, [], `Mina markeringar with "Nytt svar": ${violations.join('\n')}`);
  // The marker says its state in its name, and the pin's card shows the answer.
  const marker = page.getByRole('button', { name: 'Dålig belysning, kväll: vi undersöker', exact: true });
  await marker.tap();
  await page.waitForSelector('.tk-selected .tk-answer:has-text("Vi undersöker")');
  violations = await axeViolations(page);
  assert.deepEqual(violations, [], `the pin card with an answer: ${violations.join('\n')}`);
  // The next visit, the answer is no longer new.
  await page.reload();
  await page.tap('#tk-mine-heading button');
  await page.waitForSelector('.tk-mine-item:has-text("Vi undersöker")');
  assert.equal(await page.locator('.tk-badge--new').count(), 0);
  assert.equal(await page.locator('.tk-new-answers').count(), 0);

  // Linked to an action that is completed, through Åtgärder: the pin is done, "Vad händer?"
  // lists the action.
  await staff.page.locator('.tk-staff-nav a[data-section="atgarder"]').click();
  await staff.page.locator('.tk-new-action').click();
  const editor = staff.page.locator('.tk-action-editor');
  await staff.page.fill('#tk-a-title', 'Ny belysning vid gångtunneln');
  await staff.page.fill('#tk-a-description', 'Sex nya LED-armaturer.');
  // Saving without a place says what is missing.
  await editor.locator('.tk-save-action').click();
  await editor.locator('.tk-field-error:has-text("Välj en punkt på kartan")').waitFor();
  await editor.locator('path.tk-kommun').first().waitFor();
  await editor.locator('.tk-surface').scrollIntoViewIfNeeded();
  const box = await editor.locator('.tk-surface').boundingBox();
  await staff.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 - 20);
  await editor.locator('.tk-action-place-state:has-text("En punkt är vald.")').waitFor();
  // A pasted link to the pin links it.
  await staff.page.fill('#tk-a-paste', 'inte-ett-id');
  await editor.locator('.tk-paste-add').click();
  await editor.locator('.tk-field-error:has-text("Det där är inte id:n för markeringar.")').waitFor();
  await staff.page.fill('#tk-a-paste', `${server.url}/?pin=${pin.id}`);
  await editor.locator('.tk-paste-add').click();
  await editor.locator('.tk-action-pin-count:has-text("1 markering är kopplad.")').waitFor();
  assert.equal(await staff.page.isChecked('#tk-a-update-pins'), true, 'the pins follow by default');
  await editor.locator('.tk-save-action').click();
  await staff.page.waitForSelector('.tk-actions-section > .tk-status:has-text("Åtgärden är sparad.")');
  const [action] = await api('GET', '/api/actions');
  assert.equal(action.title, 'Ny belysning vid gångtunneln');
  assert.deepEqual(action.pins, [pin.id]);
  assert.equal((await api('GET', `/api/staff/pins/${pin.id}`, planner)).status, 'planned');
  const row = staff.page.locator(`.tk-action[data-action="${action.id}"]`);
  assert.match(await row.textContent(), /Planerad/);
  assert.match(await row.textContent(), /1 markering ingår/);
  // Completed, with a progress note.
  await row.locator('.tk-edit-action').click();
  await staff.page.fill('#tk-note-text', 'Armaturerna är på plats.');
  await staff.page.click('.tk-add-note');
  await staff.page.waitForSelector('.tk-note-list:has-text("Armaturerna är på plats.")');
  await staff.page.selectOption('#tk-a-state', 'done');
  await editor.locator('.tk-save-action').click();
  await staff.page.waitForSelector('.tk-actions-section > .tk-status:has-text("Åtgärden är sparad.")');
  await row.locator('.tk-action-latest:has-text("Armaturerna är på plats.")').waitFor();
  assert.match(await row.textContent(), /Genomförd/);
  // The filter by state.
  await staff.page.selectOption('#tk-actions-state', 'planned');
  await staff.page.waitForSelector('.tk-actions-empty');
  await staff.page.selectOption('#tk-actions-state', 'done');
  await row.waitFor();
  assert.deepEqual(staff.errors, []);
  await staff.context.close();
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
  // The pin's card links to the action's entry.
  await page.getByRole('button', { name: 'Dålig belysning, kväll: åtgärdad', exact: true }).tap();
  await page.locator('.tk-selected .tk-answer-action-link').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), `tk-update-${action.id}`);
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
  const staff = await openStaff('olle', '/personal/dialoger');
  const row = staff.page.locator('.tk-dialogue', { hasText: 'Trygghetsvandring vid stationen' });
  await row.locator('.tk-close-dialogue').click();
  const form = row.locator('.tk-close-form');
  await form.getByLabel('Antal deltagare').fill('17');
  await form.locator('.tk-confirm-close').click();
  await form.locator('.tk-field-error:has-text("Fyll i det här fältet.")').waitFor();
  await form.getByLabel('Sammanfattning (publik)').fill('Många kände sig otrygga på gångvägen bakom stationen på kvällen.');
  await form.getByLabel('Dålig belysning').check();
  await form.getByLabel('Narkotika').check();
  await form.getByLabel('Andra teman (fritext)').fill('Buskage');
  await form.getByLabel('Klipp buskarna vid gångvägen (planerad)').check();
  await form.locator('.tk-confirm-close').click();
  await staff.page.waitForSelector('.tk-staff-dialogues > .tk-status:has-text("Dialogen är stängd")');
  // Closed sessions show their outcome in the staff list, and cannot be closed again.
  await row.locator('.tk-outcome:has-text("17 deltagare")').waitFor();
  assert.match(await row.textContent(), /Genomförd/);
  assert.match(await row.locator('.tk-outcome').textContent(), /Beslutade åtgärder: Klipp buskarna vid gångvägen/);
  assert.equal(await row.locator('.tk-close-dialogue').count(), 0);
  assert.deepEqual(staff.errors, []);
  await staff.context.close();
  const { page, context, errors } = await openPage(browser, `${server.url}/?dialog=${d.id}`, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const closed = page.locator(`#tk-dialog-${d.id}`);
  await closed.waitFor();
  const text = await closed.textContent();
  assert.match(text, /Vad vi hörde/);
  assert.match(text, /Många kände sig otrygga/);
  assert.match(text, /17 deltagare/);
  assert.match(text, /Narkotika, Dålig belysning, Buskage/, 'themes in the order of the categories');
  assert.match(text, /Klipp buskarna vid gångvägen \(planerad\)/);
  // The section focuses the session in the animation frame after drawing it: wait for that frame
  // (under load it comes after the reads above), then check.
  await page.waitForFunction((id) => document.activeElement?.id === id, `tk-dialog-${d.id}`, { timeout: 5000 })
    .catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement?.id), `tk-dialog-${d.id}`, 'the calendar link opens it');
  await page.click('#tk-updates-heading button');
  assert.match(await page.textContent('.tk-update-list'), /Trygghetsvandring vid stationen/);
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `Genomförda dialoger: ${violations.join('\n')}`);
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
    // "Genomförda dialoger" with what was heard (closed in the test before).
    const heard = options.locale === 'en-GB' ? 'What we heard' : 'Vad vi hörde';
    await page.waitForSelector(`.tk-dialogue--closed:has-text("${heard}")`);
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

test('one answer for a hotspot and for the ticked pins, and "Skapa åtgärd här"', async () => {
  // Four pins about one dark path: a hotspot.
  const ids = [];
  for (let i = 0; i < 4; i += 1) {
    const id = randomUUID();
    ids.push(id);
    await api('POST', '/api/pins', null, {
      id, lat: 59.3905 + i * 0.0002, lon: 15.8290, category: 'lighting', time_of_day: 'night',
    });
  }
  const staff = await openStaff('pia', '/personal/markeringar');
  const { page } = staff;
  const spot = page.locator('.tk-hotspot', { hasText: '4 markeringar' });
  await spot.locator('.tk-answer-hotspot').click();
  const form = spot.locator('.tk-answer-form');
  assert.match(await form.textContent(), /Ett svar till 4 markeringar/);
  await form.getByLabel('Åtgärd planerad').check();
  await form.getByLabel('Publikt svar').fill('Gångvägen får belysning under hösten.');
  await form.locator('.tk-save-answer').click();
  await page.waitForSelector('.tk-answer-status:has-text("4 markeringar har fått svaret.")');
  for (const id of ids) {
    const p = await api('GET', `/api/staff/pins/${id}`, planner);
    assert.equal(p.status, 'planned');
    assert.equal(p.response.text, 'Gångvägen får belysning under hösten.');
  }
  // Two ticked pins in the list get one answer.
  for (const id of ids.slice(0, 2)) {
    await page.locator(`.tk-pin-list .tk-pin-card[data-pin="${id}"] .tk-pick-box`).check();
  }
  await page.waitForSelector('.tk-bulk-count:has-text("2 markeringar valda")');
  await page.click('.tk-answer-selected');
  const bulk = page.locator('.tk-bulk-bar .tk-answer-form');
  await bulk.getByLabel('Ingen åtgärd').check();
  await bulk.getByLabel('Skäl till att ingen åtgärd görs').selectOption('duplicate');
  await bulk.locator('.tk-save-answer').click();
  await page.waitForSelector('.tk-answer-status:has-text("2 markeringar har fått svaret.")');
  await page.waitForSelector('.tk-bulk-count:has-text("0 markeringar valda")');
  for (const [i, id] of ids.entries()) {
    const p = await api('GET', `/api/staff/pins/${id}`, planner);
    assert.equal(p.status, i < 2 ? 'no_action' : 'planned');
    if (i < 2) assert.equal(p.status_reason, 'duplicate');
  }
  // "Markera alla N i urvalet" ticks the whole selection, across pages.
  const total = (await api('GET', '/api/staff/pins', planner)).length;
  await page.click('.tk-select-all');
  await page.waitForSelector(`.tk-bulk-count:has-text("${total} markeringar valda")`);
  await page.click('.tk-select-none');
  // "Skapa åtgärd här": Åtgärder opens with the hotspot's area, pins and name.
  await spot.locator('.tk-create-action').click();
  await page.waitForURL(/\/personal\/atgarder/);
  await page.waitForSelector('.tk-action-pin-count:has-text("4 markeringar är kopplade.")');
  assert.notEqual(await page.inputValue('#tk-a-title'), '', 'named after the place');
  assert.match(await page.textContent('.tk-action-place-state'), /Området har \d+ hörn\.|En punkt är vald\./);
  await page.click('.tk-save-action');
  await page.waitForSelector('.tk-actions-section > .tk-status:has-text("Åtgärden är sparad.")');
  const made = (await api('GET', '/api/actions')).find((a) => a.pins.length === 4);
  assert.ok(made, 'an action with the hotspot\'s four pins');
  assert.deepEqual([...made.pins].sort(), [...ids].sort());
  assert.deepEqual(staff.errors, []);
  await staff.context.close();
});

test('a planner links a pin by choosing it on the action editor\'s map', async () => {
  // A pin away from the others, inside the editor map's first view (Arboga tätort).
  const id = randomUUID();
  await api('POST', '/api/pins', null, {
    id, lat: 59.4, lon: 15.87, category: 'traffic', time_of_day: 'day',
  });
  // And one at the centre of that view (the tätort's box, halfway in Web Mercator), for Enter.
  const merc = (lat) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const midLat = (360 / Math.PI) * Math.atan(Math.exp((merc(59.3753) + merc(59.4105)) / 2)) - 90;
  await api('POST', '/api/pins', null, {
    id: randomUUID(), lat: midLat, lon: (15.8054 + 15.9048) / 2, category: 'lighting', time_of_day: 'day',
  });
  const { page, errors } = await openStaff('pia', '/personal/markeringar', { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await page.locator('.tk-staff-nav a[data-section="atgarder"]').click();
  await page.locator('.tk-new-action').click();
  const editor = page.locator('.tk-action-editor');
  await page.fill('#tk-a-title', 'Farthinder på Nygatan');
  await editor.locator('path.tk-kommun').first().waitFor();
  const surface = editor.locator('.tk-surface');
  await surface.scrollIntoViewIfNeeded();
  let box = await surface.boundingBox();
  // The place: a point, as before.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 + 40);
  await editor.locator('.tk-action-place-state:has-text("En punkt är vald.")').waitFor();
  // "Välj markeringar på kartan": a toggle; the selection's pins appear on the map.
  const toggle = editor.getByRole('button', { name: 'Välj markeringar på kartan' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  await editor.locator('.tk-pick-pins[aria-pressed="true"]').waitFor();
  assert.match(await editor.textContent(), /Klicka eller tryck nära en markering/);
  const mark = editor.locator(`.tk-pick-pin[data-pin="${id}"]`);
  await mark.waitFor();
  await surface.scrollIntoViewIfNeeded();
  box = await surface.boundingBox();
  const at = async () => {
    const m = await mark.boundingBox();
    const x = m.x + m.width / 2;
    const y = m.y + m.height / 2;
    assert.ok(x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height, 'the pin is on the map');
    return [x, y];
  };
  // A click beside it (within a fingertip) links it, drawn with a ring and a tick.
  let [x, y] = await at();
  await page.mouse.click(x + 6, y - 4);
  await editor.locator('.tk-action-pin-count:has-text("Markering tillagd i åtgärden. 1 markering är kopplad.")').waitFor();
  await editor.locator(`.tk-pick-pin--linked[data-pin="${id}"] path`).waitFor();
  assert.equal(await page.evaluate(() => document.querySelector('.tk-action-place-state').textContent), 'En punkt är vald.', 'the point stays');
  // Far from any pin: nothing changes, and it says so. (A click between two on the pin, so
  // that those are not a double click, which zooms.)
  const away = () => page.mouse.click(box.x + 16, box.y + 16);
  await away();
  await editor.locator('.tk-action-pin-count:has-text("Ingen markering nära där du valde. 1 markering är kopplad.")').waitFor();
  // Again on the pin: unlinked; once more: linked.
  [x, y] = await at();
  await page.mouse.click(x, y);
  await editor.locator('.tk-action-pin-count:has-text("Markering borttagen ur åtgärden. 0 markeringar är kopplade.")').waitFor();
  assert.equal(await editor.locator(`.tk-pick-pin--linked[data-pin="${id}"]`).count(), 0);
  await away();
  await editor.locator('.tk-action-pin-count:has-text("Ingen markering nära där du valde. 0 markeringar är kopplade.")').waitFor();
  [x, y] = await at();
  await page.mouse.click(x, y);
  await editor.locator('.tk-action-pin-count:has-text("Markering tillagd i åtgärden. 1 markering är kopplad.")').waitFor();
  await editor.locator(`.tk-pick-pin--linked[data-pin="${id}"]`).waitFor();
  // By keyboard: Enter on the focused map links the pin nearest its centre, and again unlinks it.
  await surface.focus();
  await page.keyboard.press('Enter');
  await editor.locator('.tk-action-pin-count:has-text("Markering tillagd i åtgärden. 2 markeringar är kopplade.")').waitFor();
  await page.keyboard.press('Enter');
  await editor.locator('.tk-action-pin-count:has-text("Markering borttagen ur åtgärden. 1 markering är kopplad.")').waitFor();
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `choosing pins on the map: ${violations.join('\n')}`);
  await editor.locator('.tk-save-action').click();
  await page.waitForSelector('.tk-actions-section > .tk-status:has-text("Åtgärden är sparad.")');
  const saved = (await api('GET', '/api/actions')).find((a) => a.title === 'Farthinder på Nygatan');
  assert.ok(saved, 'the action is saved');
  assert.deepEqual(saved.pins, [id]);
  const row = page.locator(`.tk-action[data-action="${saved.id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /1 markering ingår/);
  assert.equal((await api('GET', `/api/staff/pins/${id}`, planner)).status, 'planned');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the new staff forms work by keyboard alone', async () => {
  const { page, context, errors } = await openStaff('pia', '/personal/markeringar');
  // The answer form: open, change the state with the arrows, write, save.
  const card = page.locator('.tk-pin-list .tk-pin-card').first();
  await card.locator('.tk-answer-pin').focus();
  await page.keyboard.press('Enter');
  await tabTo(page, '.tk-answer-form input[type=radio]:checked');
  const before = await page.evaluate(() => document.activeElement.value);
  await page.keyboard.press('ArrowDown');
  const after = await page.evaluate(() => document.activeElement.value);
  assert.notEqual(after, before, 'the arrows choose another state');
  await tabTo(page, '.tk-answer-form textarea');
  await page.keyboard.type('Vi har tagit emot markeringen.');
  await tabTo(page, '.tk-answer-form .tk-save-answer');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tk-answer-status:has-text("Svaret är sparat.")');
  // The action editor: a new action, its place chosen with Enter on the map.
  await page.locator('.tk-staff-nav a[data-section="atgarder"]').focus();
  await page.keyboard.press('Enter');
  await tabTo(page, '.tk-new-action');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'tk-a-title');
  await page.keyboard.type('Tangentbordsåtgärd');
  await page.locator('.tk-action-editor path.tk-kommun').first().waitFor();
  await tabTo(page, '.tk-action-editor .tk-surface');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tk-action-place-state:has-text("En punkt är vald.")');
  await tabTo(page, '.tk-save-action');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tk-actions-section > .tk-status:has-text("Åtgärden är sparad.")');
  assert.ok((await api('GET', '/api/actions')).some((a) => a.title === 'Tangentbordsåtgärd'));
  assert.deepEqual(errors, []);
  await context.close();

  // "Stäng med Vad vi hörde": an organiser closes an ended session.
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const d = await api('POST', '/api/dialogues', organiser, {
    title: 'Kvällsmöte i Götlunda', description: 'Ett möte.',
    starts_at: iso(now - 3 * 3600e3), ends_at: iso(now - 2 * 3600e3),
    place_name: 'Götlunda bygdegård', lat: 59.3939, lon: 15.8372, kind: 'meeting', organiser: 'kommun',
  });
  const org = await openStaff('olle', '/personal/dialoger');
  const row = org.page.locator('.tk-dialogue', { hasText: 'Kvällsmöte i Götlunda' });
  await row.locator('.tk-close-dialogue').focus();
  await org.page.keyboard.press('Enter');
  await tabTo(org.page, '.tk-close-form textarea');
  await org.page.keyboard.type('Trafiken på byvägen oroar.');
  await org.page.keyboard.press('Tab');
  await org.page.keyboard.type('8');
  await tabTo(org.page, `#tk-close-${d.id}-traffic`);
  await org.page.keyboard.press('Space');
  await tabTo(org.page, '.tk-close-form .tk-confirm-close');
  await org.page.keyboard.press('Enter');
  await row.locator('.tk-outcome:has-text("8 deltagare")').waitFor();
  const closed = (await api('GET', '/api/dialogues/closed')).find((x) => x.id === d.id);
  assert.deepEqual(closed.outcome.themes, ['traffic']);
  assert.deepEqual(org.errors, []);
  await org.context.close();
});

for (const [name, options, check] of [
  ['Swedish', { viewport: { width: 1280, height: 900 }, bypassCSP: true }, 'Svar till invånarna'],
  ['English', { viewport: { width: 1280, height: 900 }, bypassCSP: true, locale: 'en-GB' }, 'Answer to residents'],
]) {
  test(`the new staff views pass axe-core (${name})`, async () => {
    const now = Date.now();
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    await api('POST', '/api/dialogues', organiser, {
      title: `Möte i centrum (${name})`, description: 'Ett möte.',
      starts_at: iso(now - 5 * 3600e3), ends_at: iso(now - 4 * 3600e3),
      place_name: 'Medborgarhuset', lat: 59.3939, lon: 15.8372, kind: 'meeting', organiser: 'kommun',
    });
    const { page, context, errors } = await openStaff('adam', '/personal/markeringar', options);
    await page.locator('.tk-pin-list .tk-pin-card').first().locator('.tk-answer-pin').click();
    await page.locator('.tk-answer-form').first().waitFor();
    assert.match(await page.textContent('.tk-answer-form'), new RegExp(check));
    let violations = await axeViolations(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.locator('.tk-staff-nav a[data-section="atgarder"]').click();
    await page.click('.tk-new-action');
    await page.locator('.tk-action-editor path.tk-kommun').first().waitFor();
    violations = await axeViolations(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.locator('.tk-edit-action').first().click();
    await page.locator('.tk-action-notes').waitFor();
    violations = await axeViolations(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.locator('.tk-staff-nav a[data-section="dialoger"]').click();
    await page.locator('.tk-close-dialogue').first().click();
    await page.locator('.tk-close-form').waitFor();
    await page.locator('.tk-outcome').first().waitFor();
    violations = await axeViolations(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    assert.deepEqual(errors, []);
    await context.close();
  });
}
