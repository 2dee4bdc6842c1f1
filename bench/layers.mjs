// The compositor layers of our page and why each is one: loads the widget with N synthetic pins
// (as bench/profile.mjs does), pans a little, and prints every layer with its size, its element and
// Chromium's compositing reasons (DevTools protocol, LayerTree domain). The markers should share
// one layer with the basemap (.tk-layers); a list of marker rows marked [Overlap] means something
// among the layers became a layer of its own (docs/PERFORMANCE.md, session 6).
//
//   node bench/layers.mjs [pins]                       (after scripts/bench.sh has built everything)
//   PROFILE_CSS='.tk-basemap { will-change: transform }' node bench/layers.mjs   (what-if)
import { launchBrowser } from '../e2e/lib/harness.mjs';
import { seededServer, openBenchPage } from './lib.mjs';

const ours = await seededServer(Number(process.argv[2] || 100_000));
const browser = await launchBrowser();
try {
  const { context, page } = await openBenchPage(browser, `${ours.server.url}/`, '.tk-marker');
  if (process.env.PROFILE_CSS) await page.addStyleTag({ content: process.env.PROFILE_CSS });
  await page.waitForTimeout(1500);
  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.getDocument', { depth: -1 });
  let layers = [];
  cdp.on('LayerTree.layerTreeDidChange', (e) => { if (e.layers) layers = e.layers; });
  await cdp.send('LayerTree.enable');
  // A short drag, so the layers are those of a moving map.
  const box = await page.locator('.tk-surface').boundingBox();
  await page.mouse.move(box.x + 300, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 290, box.y + 295);
  await page.mouse.up();
  await page.waitForTimeout(1000);
  console.log(`${layers.length} compositor layers`);
  for (const l of layers) {
    let element = '';
    if (l.backendNodeId) {
      const { node } = await cdp.send('DOM.describeNode', { backendNodeId: l.backendNodeId }).catch(() => ({ node: null }));
      element = node ? `${node.nodeName} ${(node.attributes || []).join(' ').slice(0, 80)}` : '?';
    }
    const { compositingReasonIds: reasons = [] } = await cdp.send('LayerTree.compositingReasons', { layerId: l.layerId }).catch(() => ({}));
    console.log(`  ${Math.round(l.width)}x${Math.round(l.height)}${l.drawsContent ? '' : ' (draws nothing)'} ${element} [${reasons.join(', ')}]`);
  }
  await context.close();
} finally {
  await browser.close();
  await ours.stop();
}
