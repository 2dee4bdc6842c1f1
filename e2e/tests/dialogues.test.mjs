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
  const { page, context, errors } = await openPage(browser, `${server.url}/`, {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  const item = page.locator(`#tk-dialog-${dialogue.id}`);
  await item.waitFor();
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
