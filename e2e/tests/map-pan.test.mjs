// Panning over many markers: after a pan the pin layer writes what the view shows at once and
// the margin's markers over the next frames (geo::markers::paced). Whatever the drags, the map
// must end up showing each marker once, and the same ones when it is back where it started.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, mapState, postPin } from '../lib/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ args: ['--pins-per-10-min', '2000'] });
  browser = await launchBrowser();
  // Reports every ~80 px at the opening zoom over Arboga tätort and west and south of it, where
  // the drags go: more new markers per relayout than one step writes. Places outside the kommun
  // are refused and left out.
  const categories = ['traffic', 'drugs', 'lighting', 'disorder', 'vandalism', 'other'];
  const posts = [];
  let stored = 0;
  for (let i = 0; i < 32 * 21; i += 1) {
    posts.push(postPin(server, {
      lat: 59.345 + (i % 21) * 0.00434,
      lon: 15.660 + Math.floor(i / 21) * 0.0085,
      category: categories[i % 6],
      time_of_day: 'evening',
    }).then(async (res) => {
      const body = await res.text();
      if (res.status === 201) stored += 1;
      else assert.match(body, /outside_area/, body);
    }));
    if (posts.length === 20) await Promise.all(posts.splice(0));
  }
  await Promise.all(posts);
  assert.ok(stored > 550, `${stored} stored`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The markers the map shows (their `data-key`s, sorted), every button's key, the buttons beyond
 * any margin the layer keeps, and the layer's
 * batches (one per step that wrote buttons) with how many are empty. */
function markers(page) {
  return page.evaluate(() => new Promise((resolve) => {
    // Some frames for the margin's steps to be written.
    let frames = 20;
    const settle = () => {
      if (frames-- > 0) { requestAnimationFrame(settle); return; }
      const s = document.querySelector('.tk-surface').getBoundingClientRect();
      // The layer keeps the markers within a third of the longer side of the view it was laid
      // out for, which is at most a third of the map away from the view.
      const reach = (2 * Math.max(s.width, s.height)) / 3 + 44;
      const all = [...document.querySelectorAll('.tk-pins .tk-marker')].map((m) => {
        const r = m.getBoundingClientRect();
        const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
        return {
          key: m.dataset.key,
          shown: r.right > s.left && r.left < s.right && r.bottom > s.top && r.top < s.bottom,
          near: x > s.left - reach && x < s.right + reach && y > s.top - reach && y < s.bottom + reach,
        };
      });
      const batches = [...document.querySelectorAll('.tk-pin-layer > .tk-batch')];
      resolve({
        batches: batches.length,
        empty: batches.filter((b) => b.children.length === 0).length,
        shown: all.filter((m) => m.shown).map((m) => m.key).sort(),
        keys: all.map((m) => m.key),
        far: all.filter((m) => !m.near).map((m) => m.key),
      });
    };
    settle();
  }));
}

test('after drags the map holds the markers a whole relayout would, and back where it started it shows the same ones', async () => {
  const { page, context, errors } = await openPage(browser, `${server.url}/`, { viewport: { width: 1024, height: 768 } });
  await page.waitForSelector('.tk-cluster');
  const start = await markers(page);
  assert.ok(start.shown.length >= 20, `many markers to pan over: ${start.shown.length}`);
  const box = await page.locator('.tk-surface').boundingBox();
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  const drag = async (dx, dy, pause) => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + dx, cy + dy, { steps: 10 });
    await page.waitForTimeout(pause); // no fling
    await page.mouse.up();
  };
  // Each drag passes the relayout point (a third of the map); the next starts while the
  // margin may still be being written.
  const [dx, dy] = [Math.round(box.width * 0.4), Math.round(box.height * 0.35)];
  await drag(dx, -dy, 120);
  await drag(dx, 0, 120);
  const away = await markers(page);
  assert.ok(away.shown.length > 0, `markers where the drags went: ${JSON.stringify(await mapState(page))}`);
  assert.notDeepEqual(away.shown, start.shown);
  assert.equal(new Set(away.keys).size, away.keys.length, 'no marker twice');
  assert.deepEqual(away.far, [], 'markers beyond the margin are removed');
  // The last relayout's new markers took more than one step, each a batch.
  assert.ok(away.batches > 2, `written in steps: ${away.batches} batches`);
  // Once the steps are done the layer holds exactly what writing everything at once gives:
  // another language writes every marker again in one go.
  await page.getByRole('button', { name: 'In English' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.tk-pins .tk-marker')]
    .every((m) => !/markeringar$/.test(m.getAttribute('aria-label'))));
  const english = await markers(page);
  assert.deepEqual([...english.keys].sort(), [...away.keys].sort(), 'the margin was filled and emptied as a whole relayout would');
  assert.equal(english.batches, 1);
  await drag(-dx, 0, 120);
  await drag(-dx, dy, 120);
  const back = await markers(page);
  assert.deepEqual(back.shown, start.shown, 'back where it started, the same markers');
  assert.equal(new Set(back.keys).size, back.keys.length, 'no marker twice');
  assert.deepEqual(back.far, [], 'markers beyond the margin are removed');
  // Batches that lost their last button go with it, and there are never many (MAX_BATCHES).
  assert.equal(back.empty, 0);
  assert.ok(back.batches <= 24, `${back.batches} batches`);
  assert.deepEqual(errors, []);
  await context.close();
});
