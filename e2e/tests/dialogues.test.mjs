// Dialogue sessions: an organiser announces one; residents see it in the list (Swedish date) and
// on the map, and take it into their calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from '../lib/harness.mjs';

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
      title: 'Trygghetsvandring i centrum',
      description: 'Vi går från Stora torget.',
      starts_at: '2027-05-11T18:00:00+02:00',
      ends_at: '2027-05-11T19:30:00+02:00',
      place_name: 'Stora torget',
      lat: 59.3940,
      lon: 15.8420,
      kind: 'walk',
      organiser: 'both',
    }),
  });
  assert.equal(res.status, 201);
  dialogue = await res.json();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a resident sees the session in the list and on the map and downloads its calendar file', async () => {
  const { page, context, errors } = await openPage(browser, 'about:blank', {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  // This phone has marked a place by the station, about 300 m from the session.
  await page.goto(`${server.url}/api/health`);
  await page.evaluate(() => localStorage.setItem('trygghetskarta.mine.v1', JSON.stringify({ pins: [{
    id: '6f1c4a52-3c1e-4d59-9a57-0a3c5b7d2e11', lat: 59.3968, lon: 15.841, category: 'lighting',
    time_of_day: 'evening', date: '2026-11-20', delete_token: 'x' }] })));
  await page.goto(`${server.url}/`);
  const item = page.locator(`#tk-dialog-${dialogue.id}`);
  await item.waitFor();
  assert.match(await item.textContent(), /Nära dig/);
  assert.match(await item.textContent(), /Trygghetsvandring i centrum/);
  assert.match(await item.textContent(), /tisdag 11 maj, kl\. 18\.00–19\.30/);
  assert.match(await item.textContent(), /Trygghetsvandring · Stora torget · Arboga kommun och polisen/);

  const marker = page.getByRole('button', { name: /^Dialog: Trygghetsvandring i centrum/ });
  await marker.waitFor();
  await marker.tap();
  await page.waitForFunction((id) => document.activeElement?.id === `tk-dialog-${id}`, dialogue.id);

  const href = await item.locator('a.tk-ics').getAttribute('href');
  const ics = await fetch(new URL(href, server.url));
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  const text = await ics.text();
  assert.match(text, /SUMMARY:Trygghetsvandring i centrum/);
  assert.match(text, /DTSTART:20270511T160000Z/);
  const feed = await fetch(new URL(await page.getAttribute('a.tk-subscribe', 'href'), server.url));
  assert.match(await feed.text(), new RegExp(`UID:${dialogue.id}@trygghetskartan`));
  assert.deepEqual(errors, []);
  await context.close();
});

test('an organiser logs in, announces a session placed on the map, cancels another, and logs out', async () => {
  // Dialogues have their own section in the staff view.
  const { page, context, errors } = await openPage(browser, `${server.url}/personal/dialoger`, { viewport: { width: 1024, height: 900 } });
  await server.staff('stina', 'organiser', 'stinas långa lösenord');
  await page.fill('#tk-login-user', 'stina');
  await page.fill('#tk-login-password', 'fel lösenord här');
  await page.click('.tk-login button[type=submit]');
  await page.waitForSelector('.tk-login [role=alert]:has-text("Fel användarnamn eller lösenord.")');
  await page.fill('#tk-login-password', 'stinas långa lösenord');
  await page.click('.tk-login button[type=submit]');
  await page.waitForSelector('.tk-staff-user:has-text("stina")');

  await page.click('.tk-new-dialogue');
  await page.fill('#tk-d-title', 'Dialog om trafiken på Västermovägen');
  await page.fill('#tk-d-description', 'Polisen och kommunen lyssnar.\nFika finns.');
  await page.fill('#tk-d-starts_at', '2027-06-08');
  await page.fill('#tk-d-start', '18:00');
  await page.fill('#tk-d-ends_at', '19:00');
  await page.fill('#tk-d-place_name', 'Medborgarhuset');
  // Saving without a place on the map says what is missing.
  await page.click('.tk-save');
  await page.waitForSelector('.tk-field-error:has-text("Välj platsen på kartan.")');
  const map = page.locator('.tk-dialogue-editor .tk-surface');
  await map.waitFor();
  await page.waitForSelector('.tk-dialogue-editor path.tk-kommun');
  const box = await map.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#tk-d-place:has-text("Platsen är vald på kartan.")');
  await page.selectOption('#tk-d-kind', 'meeting');
  await page.selectOption('#tk-d-organiser', 'polis');
  await page.click('.tk-save');
  await page.waitForSelector('.tk-status:has-text("Dialogen är sparad.")');

  // The earlier session is cancelled with a reason.
  const earlier = page.locator('.tk-dialogue', { hasText: 'Trygghetsvandring i centrum' });
  await earlier.locator('.tk-cancel-dialogue').click();
  await page.fill('#tk-cancel-reason', 'Flyttas till hösten');
  await page.click('.tk-confirm-cancel');
  await page.waitForSelector('.tk-status:has-text("Dialogen är inställd.")');

  await page.click('.tk-logout');
  await page.waitForSelector('#tk-login-user');
  assert.equal((await fetch(`${server.url}/api/session`)).status, 401);

  // A resident sees both: the new one, and the cancelled one marked.
  await page.goto(`${server.url}/`);
  const created = page.locator('.tk-dialogue', { hasText: 'Dialog om trafiken på Västermovägen' });
  await created.waitFor();
  assert.match(await created.textContent(), /tisdag 8 juni, kl\. 18\.00–19\.00/);
  assert.match(await created.textContent(), /Möte · Medborgarhuset · Polisen/);
  const cancelled = page.locator('.tk-dialogue', { hasText: 'Trygghetsvandring i centrum' });
  assert.match(await cancelled.textContent(), /Inställd/);
  assert.match(await cancelled.textContent(), /Orsak: Flyttas till hösten/);
  await page.getByRole('button', { name: /^Dialog: Dialog om trafiken/ }).waitFor();
  const list = await (await fetch(`${server.url}/api/dialogues`)).json();
  const mine = list.find((d) => d.title.startsWith('Dialog om trafiken'));
  assert.equal(mine.starts_at, '2027-06-08T18:00:00+02:00');
  assert.equal(mine.organiser, 'polis');
  assert.equal(mine.description, 'Polisen och kommunen lyssnar.\nFika finns.');
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});
