// Draws each category's glyph (the white shapes below, on a 24x24 grid) into a 64x64 grey-and-
// alpha PNG with headless Chromium and writes them into public/style.css as data URLs, replacing
// the ones there (the lines between `glyphs:begin` and `glyphs:end`).
//
// Why bitmaps and not the SVGs themselves: Chromium paints an SVG background image again for
// every element that shows it, on the main thread. 200 pin markers took 80-84 ms of paint with
// the SVG glyph and 28-32 ms with a bitmap of it, 4x throttled (bench/style-probe.mjs,
// docs/PERFORMANCE.md). 64 px is the glyph's 19.8 CSS px at 3.2 device pixels per CSS pixel.
//
//   node scripts/marker-glyphs.mjs          (after editing a shape below)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { ROOT, launchBrowser } from '../e2e/lib/harness.mjs';

const SIZE = 64;
/** Category code → [what the glyph shows, the disc's colour, the glyph's path]. */
export const GLYPHS = {
  traffic: ['warning triangle', '#b3261e', 'M12 3 L22 20 H2 Z M11 9 h2 v6 h-2 z M11 16.5 h2 v2 h-2 z'],
  drugs: ['capsule', '#6a1b9a', 'M8.5 4.5 a4.95 4.95 0 0 1 7 7 l-4 4 a4.95 4.95 0 0 1 -7 -7 z M6.5 10.5 l7 7 l1.4 -1.4 l-7 -7 z'],
  lighting: ['light bulb', '#8a6100', 'M12 2 a7 7 0 0 1 4 12.7 V17 H8 v-2.3 A7 7 0 0 1 12 2 z M9 18.5 h6 V21 H9 z'],
  disorder: ['exclamation mark in a circle', '#c2410c', 'M12 2 a10 10 0 1 1 0 20 a10 10 0 1 1 0 -20 z M11 6 h2 v8 h-2 z M11 16 h2 v2 h-2 z'],
  vandalism: ['broken square', '#1f5f8b', 'M3 3 h8 l-2 5 l4 3 l-3 10 H3 z M14 3 h7 v18 h-8 l3 -9 l-4 -3 z'],
  other: ['dot in a ring', '#37474f', 'M12 4 a8 8 0 1 1 0 16 a8 8 0 1 1 0 -16 z M12 9 a3 3 0 1 0 0 6 a3 3 0 1 0 0 -6 z'],
};

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG of white with the given alpha per pixel (colour type 4: grey and alpha, 8 bits). */
export function whitePng(alpha, size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 4; // grey + alpha
  const raw = Buffer.alloc(size * (1 + 2 * size));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + 2 * size);
    raw[row] = 0; // no filter: the grey is constant and deflate finds the alpha's runs
    for (let x = 0; x < size; x++) {
      raw[row + 1 + 2 * x] = 255;
      raw[row + 2 + 2 * x] = alpha[y * size + x];
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const browser = await launchBrowser();
const urls = {};
try {
  const page = await browser.newPage();
  for (const [code, [, , path]] of Object.entries(GLYPHS)) {
    const alpha = await page.evaluate(async ({ path, size }) => {
      const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'><path fill='#fff' fill-rule='evenodd' d='${path}'/></svg>`;
      const img = new Image();
      img.src = `data:image/svg+xml,${encodeURIComponent(svg)}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = size;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0, size, size);
      const { data } = g.getImageData(0, 0, size, size);
      return Array.from({ length: size * size }, (_, i) => data[4 * i + 3]);
    }, { path, size: SIZE });
    urls[code] = `data:image/png;base64,${whitePng(alpha, SIZE).toString('base64')}`;
  }
} finally {
  await browser.close();
}

const file = join(ROOT, 'public', 'style.css');
const css = readFileSync(file, 'utf8');
const [before, rest] = css.split('/* glyphs:begin */');
const [, after] = rest.split('/* glyphs:end */');
const rules = Object.entries(GLYPHS).map(([code, [what, colour]]) => `/* ${code}: ${what} */
.tk-cat-${code}:is(.tk-pin, .tk-glyph) {
  background-image: url("${urls[code]}"),
    radial-gradient(circle closest-side, ${colour} 61%, #fff 64% 70%, rgba(0, 0, 0, 0.35) 73%, transparent 80%);
}`);
writeFileSync(file, `${before}/* glyphs:begin */\n${rules.join('\n')}\n/* glyphs:end */${after}`);
for (const [code, url] of Object.entries(urls)) console.log(`${code}: ${Math.round((url.length - 22) * 3 / 4)} bytes`);
