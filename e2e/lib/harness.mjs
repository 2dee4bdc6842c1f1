// Shared harness: start the real server on a free port with a temporary database, and a
// headless Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function serverBinary() {
  for (const profile of [process.env.SERVER_PROFILE, 'debug', 'release'].filter(Boolean)) {
    const bin = join(ROOT, 'target', profile, 'trygghetskarta-server');
    if (existsSync(bin)) return bin;
  }
  throw new Error('build the server first: cargo build -p trygghetskarta-server');
}

/** A port nothing listens on right now. */
async function freePort() {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

/**
 * Starts the server; resolves with { url, dir, pid, stop() } once it prints its URL. `publicUrl`:
 * bind a known port and pass it as --public-url (mail needs absolute links). `database`: an
 * existing database file to use (the benchmarks' seeded pins) instead of a fresh one.
 */
export async function startServer({ env = {}, args = [], publicUrl = false, database = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tk-e2e-'));
  const bind = publicUrl ? `127.0.0.1:${await freePort()}` : '127.0.0.1:0';
  const extra = publicUrl ? ['--public-url', `http://${bind}`] : [];
  const dbFile = database || join(dir, 'e2e.db');
  const child = spawn(
    serverBinary(),
    ['--bind', bind, ...extra, '--database-url', `sqlite://${dbFile}`,
      '--static-dir', join(ROOT, 'dist'), '--tile-cache-dir', join(dir, 'tiles'), ...args],
    { env: { ...process.env, RUST_LOG: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolveUrl(m[1].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const db = `sqlite://${dbFile}`;
  return {
    url,
    dir,
    pid: child.pid,
    /** A JSON request to the API (with a session cookie, if given) that must succeed; its answer. */
    async api(method, path, cookie, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    /** Creates a staff account with the real CLI and returns a logged-in session cookie. */
    async staff(name, role, password = 'a long enough secret') {
      const add = spawn(serverBinary(), ['--database-url', db, 'user', 'add', name, '--role', role],
        { stdio: ['pipe', 'ignore', 'pipe'] });
      add.stdin.end(`${password}\n`);
      const code = await new Promise((r) => add.on('exit', r));
      if (code !== 0) throw new Error(`user add failed: ${code}`);
      const res = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: name, password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      return res.headers.get('set-cookie').split(';')[0];
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  // playwright-core gives every launch a fresh, empty user-data-dir of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that fails the test on any uncaught error or console error. Its browser is in Arboga:
 * Swedish, and on Stockholm's clock, which the server counts days by; a test in the machine's
 * zone (UTC) would see a different "today" from the server's for an hour or two every night. */
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm', ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // Chromium refuses requests when a page has far too many in flight, and its console message
  // does not say which: name them, so a flood of requests shows where it came from.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText === 'net::ERR_INSUFFICIENT_RESOURCES') errors.push(`request flood: ${r.method()} ${r.url()}`);
  });
  await page.goto(url);
  return { page, context, errors };
}

/** A resident's pin (`body` without its `id`, which is made up here) posted to `server` as the
 * widget posts it; the response. */
export function postPin(server, body) {
  return fetch(`${server.url}/api/pins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: randomUUID(), ...body }),
  });
}

export async function mapState(page) {
  return page.$eval('.tk-map', (el) => ({
    zoom: Number(el.dataset.zoom),
    center: el.dataset.center.split(',').map(Number),
  }));
}

/**
 * A stand-in for the kommun's web server: serves e2e/fixtures/ with `{{WIDGET}}` replaced by the
 * widget server's URL (set `host.widget` once that server runs). Another origin than the widget.
 */
export async function startHost() {
  const { createServer } = await import('node:http');
  const { readFileSync: read } = await import('node:fs');
  const state = { widget: '' };
  const server = createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.replace(/^\//, '') || 'kommun-script.html';
    if (name === 'favicon.ico') { res.writeHead(204).end(); return; }
    if (!/^[\w-]+\.(html|css)$/.test(name)) { res.writeHead(404).end(); return; }
    try {
      const body = read(join(ROOT, 'e2e', 'fixtures', name), 'utf8').replaceAll('{{WIDGET}}', state.widget);
      res.writeHead(200, { 'content-type': name.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8' });
      res.end(body);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    set widget(url) { state.widget = url; },
    stop: () => new Promise((r) => server.close(r)),
  };
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page, through shadow roots, and returns the
 * violations as readable lines. The page's context needs `bypassCSP: true` (axe is injected as an
 * inline script, which our CSP rightly forbids).
 */
export async function axeViolations(page) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * A real SMTP server (Python's aiosmtpd, installed by scripts/setup.sh --test) on a free port,
 * keeping every message in a Maildir; resolves with { url, messages(), stop() }.
 */
export async function startSmtp() {
  const { readdirSync, readFileSync: read } = await import('node:fs');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tk-smtp-'));
  const child = spawn('python3', ['-m', 'aiosmtpd', '-n', '-u', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'mail')], { stdio: 'ignore' });
  const { connect } = await import('node:net');
  for (let i = 0; ; i += 1) {
    const up = await new Promise((r) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); r(true); });
      s.on('error', () => r(false));
    });
    if (up) break;
    if (i > 150) throw new Error('aiosmtpd did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages() {
      const out = [];
      for (const sub of ['new', 'cur']) {
        try {
          for (const f of readdirSync(join(dir, 'mail', sub))) out.push(read(join(dir, 'mail', sub, f), 'utf8'));
        } catch { /* no mail yet */ }
      }
      return out;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
