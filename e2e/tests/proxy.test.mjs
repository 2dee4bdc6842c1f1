// Behind a real nginx with TLS, configured by exactly deploy/nginx/trygghetskartan.conf: residents
// from distinct addresses each get their own rate limit, a client talking to the server directly
// cannot pick its address with a forged X-Forwarded-For, and staff log in over https with a Secure
// cookie while an attacker's address is being throttled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { ROOT, startServer, launchBrowser, openPage } from '../lib/harness.mjs';

let server;
let nginx;
let dir;
let httpsUrl;
let redirectPort;
let browser;

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** One request from the loopback address `from`; resolves { status, headers, body }. */
function request(url, { method = 'GET', from = '127.0.0.1', headers = {}, body } = {}) {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = lib.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method,
      localAddress: from, rejectUnauthorized: false, agent: false,
      headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function pin() {
  return { id: randomUUID(), lat: 59.3948, lon: 15.8437, category: 'lighting', time_of_day: 'night' };
}

/** The deploy file with this test's ports and certificate; every swap must find its target. */
function siteConfig(upstreamPort, tlsPort, plainPort) {
  let site = readFileSync(join(ROOT, 'deploy', 'nginx', 'trygghetskartan.conf'), 'utf8');
  const swaps = [
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`],
    ['listen 80;', `listen 127.0.0.1:${plainPort};`],
    ['listen [::]:80;', ''],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`],
    ['listen [::]:443 ssl http2;', ''],
    ['/etc/letsencrypt/live/trygghetskartan.arboga.se/fullchain.pem', join(dir, 'cert.pem')],
    ['/etc/letsencrypt/live/trygghetskartan.arboga.se/privkey.pem', join(dir, 'key.pem')],
  ];
  for (const [from, to] of swaps) {
    assert.ok(site.includes(from), `deploy/nginx/trygghetskartan.conf no longer has ${from}`);
    site = site.replaceAll(from, to);
  }
  return site;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tk-nginx-'));
  chmodSync(dir, 0o755);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  // The server as deploy/trygghetskartan.env has it: nginx on this host is the trusted proxy.
  server = await startServer({ args: ['--trusted-proxies', '127.0.0.1,::1'] });
  const upstreamPort = new URL(server.url).port;
  const tlsPort = await freePort();
  redirectPort = await freePort();
  writeFileSync(join(dir, 'site.conf'), siteConfig(upstreamPort, tlsPort, redirectPort));
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  writeFileSync(join(dir, 'nginx.conf'), `${user}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`);
  nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  nginx.stderr.on('data', (d) => { stderr += d; });
  httpsUrl = `https://127.0.0.1:${tlsPort}`;
  for (let i = 0; ; i += 1) {
    try {
      if ((await request(`${httpsUrl}/api/health`)).status === 200) break;
    } catch (e) {
      if (i > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${stderr} ${e}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT');
    await new Promise((r) => nginx.on('exit', r));
  }
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('plain http is sent to https', async () => {
  const res = await request(`http://127.0.0.1:${redirectPort}/personal`);
  assert.equal(res.status, 301);
  assert.match(res.headers.location, /^https:\/\/127\.0\.0\.1\/personal$/);
});

test('40 residents from 40 addresses each pin a place through the proxy', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => request(`${httpsUrl}/api/pins`, {
    method: 'POST', from: `127.0.1.${10 + i}`, body: pin(),
  })));
  assert.deepEqual(answers.map((a) => a.status), Array(40).fill(201));
  // One resident's own limit (30 per 10 minutes) still holds, for them alone.
  const one = '127.0.1.10';
  const more = [];
  for (let i = 0; i < 30; i += 1) {
    more.push((await request(`${httpsUrl}/api/pins`, { method: 'POST', from: one, body: pin() })).status);
  }
  assert.deepEqual(more, [...Array(29).fill(201), 429]);
  const neighbour = await request(`${httpsUrl}/api/pins`, { method: 'POST', from: '127.0.1.11', body: pin() });
  assert.equal(neighbour.status, 201);
  // A resident who sends their own X-Forwarded-For through nginx is still themselves.
  const spoof = await request(`${httpsUrl}/api/pins`, {
    method: 'POST', from: one, headers: { 'x-forwarded-for': '203.0.113.99' }, body: pin(),
  });
  assert.equal(spoof.status, 429);
});

test('a direct client forging X-Forwarded-For is still limited', async () => {
  const statuses = [];
  for (let i = 0; i < 31; i += 1) {
    const res = await request(`${server.url}/api/pins`, {
      method: 'POST', from: '127.0.2.20', headers: { 'x-forwarded-for': `198.51.100.${i}` }, body: pin(),
    });
    statuses.push(res.status);
  }
  assert.deepEqual(statuses, [...Array(30).fill(201), 429]);
});

test('staff log in over https with a Secure cookie while an attacker is throttled', async () => {
  await server.staff('stina', 'planner');
  const attacker = '127.0.3.66';
  const login = (from, password) => request(`${httpsUrl}/api/session`, {
    method: 'POST', from, body: { username: 'stina', password },
  });
  for (let i = 0; i < 10; i += 1) assert.equal((await login(attacker, `guess ${i} guess`)).status, 401);
  const blocked = await login(attacker, 'a long enough secret');
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.headers['retry-after']) > 0);

  const ok = await login('127.0.3.20', 'a long enough secret');
  assert.equal(ok.status, 200);
  const cookies = ok.headers['set-cookie'];
  const session = cookies.find((c) => c.startsWith('tk_session='));
  assert.match(session, /; HttpOnly/);
  assert.match(session, /; Secure/);
  assert.equal(ok.headers['strict-transport-security'], 'max-age=31536000');

  // And in a browser: the staff view over https through nginx, logged in through its form.
  const { page, context, errors } = await openPage(browser, `${httpsUrl}/personal`, {
    ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 },
  });
  await page.getByLabel('Användarnamn').fill('stina');
  await page.getByLabel('Lösenord').fill('a long enough secret');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByText('markeringar i urvalet').first().waitFor();
  const browserCookie = (await context.cookies()).find((c) => c.name === 'tk_session');
  assert.equal(browserCookie.secure, true);
  assert.equal(browserCookie.httpOnly, true);
  // (The view asks who is logged in before the form: that 401 is expected.)
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});
