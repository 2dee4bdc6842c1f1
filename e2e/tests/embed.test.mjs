// Embedding on a kommun page with hostile CSS, by script (shadow root) and by iframe (height by
// postMessage); cross-origin API calls work for the configured origin only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startHost, launchBrowser, openPage, postPin } from '../lib/harness.mjs';

let server;
let host;
let stranger;
let browser;

before(async () => {
  host = await startHost();
  stranger = await startHost(); // an origin that is not allowed
  server = await startServer({ args: ['--allowed-origins', host.url] });
  host.widget = server.url;
  stranger.widget = server.url;
  browser = await launchBrowser();
  const res = await postPin(server, { lat: 59.3948, lon: 15.8437, category: 'lighting', time_of_day: 'evening' });
  assert.equal(res.status, 201);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await host?.stop();
  await stranger?.stop();
});

const HOTPINK = 'rgb(255, 105, 180)';

test('the script embed mounts in the host element, untouched by the host CSS and not touching it', async () => {
  const { page, errors } = await openPage(browser, `${host.url}/kommun-script.html`, {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  // The widget is in the host element's shadow root and talks to its server cross-origin.
  await page.locator('.tk-surface').waitFor();
  await page.locator('path.tk-kommun').waitFor();
  await page.getByRole('button', { name: /Dålig belysning/ }).waitFor();
  const inShadow = await page.$eval('[data-trygghetskarta]', (el) => Boolean(el.shadowRoot?.querySelector('.tk-root')));
  assert.ok(inShadow);

  const look = await page.$eval('[data-trygghetskarta]', (el) => {
    const root = el.shadowRoot;
    const css = (sel, prop) => getComputedStyle(root.querySelector(sel))[prop];
    const mapBox = root.querySelector('.tk-map').getBoundingClientRect();
    const hostStyle = getComputedStyle(el);
    return {
      hostContentWidth: el.clientWidth - parseFloat(hostStyle.paddingLeft) - parseFloat(hostStyle.paddingRight),
      mapWidth: mapBox.width,
      mapHeight: mapBox.height,
      basemapShown: css('.tk-basemap', 'display'),
      buttonBackground: css('.tk-zoom-in', 'backgroundColor'),
      buttonHeight: root.querySelector('.tk-zoom-in').getBoundingClientRect().height,
      font: css('.tk-root', 'fontFamily'),
      fontSize: css('.tk-root', 'fontSize'),
      color: css('.tk-title', 'color'),
    };
  });
  // Sized by its container: the map fills the host element's width.
  assert.ok(Math.abs(look.mapWidth - look.hostContentWidth) <= 2 && look.mapHeight > 250, JSON.stringify(look));
  assert.notEqual(look.basemapShown, 'none');
  assert.notEqual(look.buttonBackground, HOTPINK);
  assert.ok(look.buttonHeight >= 44, `touch target ${look.buttonHeight}`);
  assert.doesNotMatch(look.font, /Comic/);
  assert.equal(look.fontSize, '16px');
  assert.notEqual(look.color, 'rgb(170, 0, 170)');

  // The host page keeps its own look.
  const hostLook = await page.evaluate(() => ({
    button: getComputedStyle(document.querySelector('.host-button')).backgroundColor,
    font: getComputedStyle(document.querySelector('.host-text')).fontFamily,
    body: getComputedStyle(document.body).backgroundColor,
  }));
  assert.equal(hostLook.button, HOTPINK);
  assert.match(hostLook.font, /Comic/);
  assert.equal(hostLook.body, 'rgb(255, 251, 230)');
  // Nothing is wider than the phone: the widget does not widen the page.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));

  // A resident can report from the embedded widget (cross-origin POST).
  await page.click('.tk-report-list');
  await page.selectOption('#tk-field-place', { label: 'Arboga station' });
  await page.getByRole('radio', { name: 'Trafik och hastighet' }).check();
  await page.getByRole('radio', { name: 'Natt' }).check();
  await page.click('.tk-send');
  await page.waitForSelector('.tk-status:has-text("Tack!")');
  const pins = await (await fetch(`${server.url}/api/pins`)).json();
  assert.equal(pins.length, 2);
  assert.deepEqual(errors, []);
});

test('data attributes choose the language, the opening view and the sections', async () => {
  const { page, errors } = await openPage(browser, `${host.url}/kommun-options.html`, {
    viewport: { width: 1024, height: 800 },
  });
  await page.locator('path.tk-kommun').waitFor();
  await page.getByRole('heading', { name: 'Upcoming dialogues' }).waitFor();
  const map = await page.$eval('[data-trygghetskarta]', (el) => el.shadowRoot.querySelector('.tk-map').dataset);
  const [lon, lat] = map.center.split(',').map(Number);
  assert.ok(Math.abs(lat - 59.4533) < 0.001 && Math.abs(lon - 15.7491) < 0.001, map.center);
  assert.equal(Number(map.zoom), 15);
  assert.equal(await page.locator('.tk-start-report').count(), 0, 'no reporting');
  assert.equal(await page.locator('.tk-mine').count(), 0, 'no "my pins"');
  assert.equal(await page.$eval('[data-trygghetskarta]', (el) => el.shadowRoot.querySelector('.tk-root').lang), 'en');
  assert.equal(await page.getAttribute('html', 'lang'), 'sv', "the host page's language is its own");
  assert.deepEqual(errors, []);
});

test('the iframe embed sizes itself through postMessage, with no second scrollbar', async () => {
  const { page, errors } = await openPage(browser, `${host.url}/kommun-iframe.html`, {
    viewport: { width: 1024, height: 800 },
  });
  const frame = page.frameLocator('iframe');
  await frame.locator('path.tk-kommun').waitFor();
  // The host snippet applies the height the widget reports.
  await page.waitForFunction(() => parseFloat(document.querySelector('iframe').style.height) > 600);
  await page.waitForTimeout(300); // let the last resize settle
  const sizes = await page.evaluate(() => {
    const f = document.querySelector('iframe');
    return { height: f.getBoundingClientRect().height, style: f.style.height };
  });
  const inner = await page.frames()[1].evaluate(() => ({
    scroll: document.documentElement.scrollHeight,
    client: document.documentElement.clientHeight,
  }));
  assert.ok(inner.scroll <= inner.client + 1, `no inner scrollbar: ${JSON.stringify(inner)}`);
  assert.ok(Math.abs(parseFloat(sizes.style) - inner.scroll) <= 1, JSON.stringify({ sizes, inner }));
  assert.equal(
    await page.getAttribute('iframe', 'title'),
    'Trygghetskartan: karta över platser som känns otrygga i Arboga',
  );
  assert.deepEqual(errors, []);
});

test('another site can neither frame the widget nor read the API', async () => {
  const { page } = await openPage(browser, `${stranger.url}/kommun-iframe.html`);
  await page.waitForTimeout(1500);
  const framed = await page.frames()[1]?.evaluate(() => Boolean(document.querySelector('.tk-root'))).catch(() => false);
  assert.equal(Boolean(framed), false, 'frame-ancestors blocks other sites');
  const read = await page.evaluate(async (api) => {
    try { await fetch(`${api}/api/pins`); return 'read'; } catch { return 'blocked'; }
  }, server.url);
  assert.equal(read, 'blocked');
});
