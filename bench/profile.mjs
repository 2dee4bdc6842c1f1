// Where a map frame's time goes: loads our widget with N synthetic pins (same pins, window,
// network profile and 4x CPU throttling as map-bench.mjs), records a Chromium trace while panning and while zooming,
// and prints the frame times and, per gesture, the main thread's time by trace event plus the
// longest tasks with what they spent it on. A diagnostic for docs/PERFORMANCE.md, not a benchmark.
//
//   node bench/profile.mjs [pins] [leaflet|floor]     (after scripts/bench.sh has built everything)
//   PROFILE_TRACE=/tmp/t node bench/profile.mjs   (also writes each gesture's trace, /tmp/t-pan.json, for DevTools)
//   PROFILE_CSS='.tk-basemap { display: none }' node bench/profile.mjs   (what-if: extra CSS on our page)
//   PROFILE_CPU=1 node bench/profile.mjs   (also the sampled CPU time per function; build with
//                                           TK_WASM_NAMES=1 scripts/build-widget.sh for wasm names;
//                                           with PROFILE_TRACE, also /tmp/t-pan.cpuprofile)
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '../e2e/lib/harness.mjs';
import { seededServer, panGesture, zoomGesture, percentile, serveLeaflet, openBenchPage, recordFrames } from './lib.mjs';

const N = Number(process.argv[2] || 100_000);
const LEAFLET = process.argv[3] === 'leaflet';
const FLOOR = process.argv[3] === 'floor';
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc', 'gpu',
  // PROFILE_INVALIDATIONS=1: which elements each style recalculation was for (in the saved trace).
  ...(process.env.PROFILE_INVALIDATIONS === '1' ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : []),
  // PROFILE_CATEGORIES=a,b: more trace categories (e.g. disabled-by-default-blink.debug).
  ...(process.env.PROFILE_CATEGORIES ? process.env.PROFILE_CATEGORIES.split(',') : [])];

const isTask = (e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';

/** A trace's events, the thread each ran on, and the renderer main thread's complete events in
 * time order: parsed once for both summaries of a gesture. */
function readTrace(trace) {
  const events = JSON.parse(trace).traceEvents;
  const threads = new Map();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const threadOf = (e) => threads.get(`${e.pid}:${e.tid}`);
  const main = events.filter((e) => threadOf(e) === 'CrRendererMain' && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  return { events, threadOf, main };
}

function summarise({ events, threadOf, main }, label) {
  const tasks = main.filter(isTask);
  const byName = new Map();
  for (const e of main) {
    if (isTask(e)) continue;
    byName.set(e.name, (byName.get(e.name) || 0) + (e.dur || 0));
  }
  const total = tasks.reduce((a, e) => a + (e.dur || 0), 0);
  console.log(`\n## ${label}: main thread busy ${(total / 1000).toFixed(0)} ms in ${tasks.length} tasks`);
  for (const [name, dur] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(`  ${(dur / 1000).toFixed(1).padStart(8)} ms  ${name}`);
  }
  const raster = events.filter((e) => e.ph === 'X' && /Raster|Decode/.test(e.name) && threadOf(e) !== 'CrRendererMain');
  console.log(`  raster/decode off the main thread: ${(raster.reduce((a, e) => a + (e.dur || 0), 0) / 1000).toFixed(0)} ms`);
  const recalcs = main.filter((e) => e.name === 'UpdateLayoutTree').sort((a, b) => b.dur - a.dur).slice(0, 5);
  console.log(`  largest style recalcs: ${recalcs.map((e) => `${(e.dur / 1000).toFixed(1)} ms/${e.args?.elementCount ?? '?'} elements`).join(', ')}`);
  const layouts = main.filter((e) => e.name === 'Layout').sort((a, b) => b.dur - a.dur).slice(0, 5);
  console.log(`  largest layouts: ${layouts.map((e) => `${(e.dur / 1000).toFixed(1)} ms/${e.args?.beginData?.dirtyObjects ?? '?'} of ${e.args?.beginData?.totalObjects ?? '?'} objects`).join(', ')}`);
  console.log('  longest tasks:');
  for (const t of [...tasks].sort((a, b) => b.dur - a.dur).slice(0, 6)) {
    const inside = main.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur || 0) <= t.ts + t.dur && e.name !== 'RunTask');
    const parts = new Map();
    for (const e of inside) parts.set(e.name, (parts.get(e.name) || 0) + (e.dur || 0));
    const top = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, d]) => `${n} ${(d / 1000).toFixed(1)}`).join(', ');
    console.log(`    ${(t.dur / 1000).toFixed(1)} ms: ${top}`);
  }
}

/**
 * Per input event of the gesture (`wheel` or `pointermove`): the main thread's time from the task
 * that dispatches it to the end of the frame after it, by part, averaged over the events. The frame
 * probe times `requestAnimationFrame` callbacks, and an input event is handled in the same frame
 * before them: a wheel frame's interval is 16.7 ms plus the hit test and dispatch before it.
 */
function perInput({ main }, type) {
  const dispatches = main.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === type);
  const parts = {
    'main thread (tasks)': isTask, 'hit test': (e) => e.name === 'LayoutView::HitTest',
    'event dispatch (handlers, their microtasks)': (e) => e.name === 'EventDispatch' && e.args?.data?.type === type,
    'of which microtasks': (e) => e.name === 'RunMicrotasks', 'style': (e) => e.name === 'UpdateLayoutTree',
    'layout': (e) => e.name === 'Layout', 'pre-paint': (e) => e.name === 'PrePaint', 'paint': (e) => e.name === 'Paint',
    'layerize': (e) => e.name === 'Layerize', 'commit': (e) => e.name === 'Commit',
  };
  const sums = Object.fromEntries(Object.keys(parts).map((k) => [k, 0]));
  let n = 0;
  dispatches.forEach((d, i) => {
    const next = dispatches[i + 1]?.ts ?? d.ts + 100_000;
    const frame = main.find((e) => e.name === 'ProxyMain::BeginMainFrame' && e.ts > d.ts && e.ts < next)
      ?? main.find((e) => e.name === 'ProxyMain::BeginMainFrame' && e.ts <= d.ts && d.ts <= e.ts + e.dur);
    if (!frame) return;
    const task = main.find((e) => isTask(e) && e.ts <= d.ts && d.ts <= e.ts + e.dur);
    const [from, to] = [task ? task.ts : d.ts, Math.max(frame.ts + frame.dur, d.ts + d.dur)];
    n += 1;
    for (const e of main) {
      if (e.ts < from || e.ts > to) continue;
      for (const [k, test] of Object.entries(parts)) if (test(e)) sums[k] += e.dur || 0;
    }
  });
  if (!n) return;
  console.log(`  per ${type} (${n}), main thread at 4x: ${Object.entries(sums).map(([k, v]) => `${k} ${(v / n / 1000).toFixed(2)}`).join(', ')} ms`);
}

/** PROFILE_CPU=1: the sampled self time per function (wasm names need a build with
 * TK_WASM_NAMES=1 scripts/build-widget.sh) and per crate, during the gesture. */
function printCpu(profile, label) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'program'})`;
    self.set(name, (self.get(name) || 0) + (dt[i] || 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\n## ${label}: CPU samples, self time (${(total / 1000).toFixed(0)} ms)`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${name.slice(0, 150)}`);
  }
  const crates = new Map();
  for (const [name, us] of self) {
    const m = name.match(/^<?([a-z_][a-z0-9_]*)::/);
    const key = m ? m[1] : name.startsWith('(') ? name : 'other';
    crates.set(key, (crates.get(key) || 0) + us);
  }
  console.log('  by crate:', [...crates].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', '));
}

const ours = await seededServer(N);
const leaflet = LEAFLET || FLOOR
  ? await serveLeaflet({ current: await (await fetch(`${ours.server.url}/api/pins`)).text() })
  : null;
const browser = await launchBrowser();
try {
  const other = `http://127.0.0.1:${leaflet?.address().port}/`;
  const url = FLOOR ? `${other}floor` : LEAFLET ? other : `${ours.server.url}/`;
  const { context, page } = await openBenchPage(browser, url, LEAFLET || FLOOR ? '.marker-cluster, .leaflet-marker-icon' : '.tk-marker');
  if (process.env.PROFILE_CSS) await page.addStyleTag({ content: process.env.PROFILE_CSS });
  await page.waitForTimeout(1000);
  const box = await page.locator(LEAFLET || FLOOR ? '#map' : '.tk-surface').boundingBox();
  for (const [label, gesture] of [['pan', panGesture], ['zoom', zoomGesture]]) {
    const cdp = process.env.PROFILE_CPU === '1' ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const frames = await recordFrames(page, () => gesture(page, box));
    const trace = (await browser.stopTracing()).toString();
    if (process.env.PROFILE_TRACE) writeFileSync(`${process.env.PROFILE_TRACE}-${label}.json`, trace);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      // Same clock as the trace: load both in DevTools, or cut the samples to one task.
      if (process.env.PROFILE_TRACE) writeFileSync(`${process.env.PROFILE_TRACE}-${label}.cpuprofile`, JSON.stringify(profile));
      printCpu(profile, label);
    }
    console.log(`\n# ${N} pins, ${FLOOR ? 'floor' : LEAFLET ? 'Leaflet' : 'ours'}, ${label}: ${frames.length} frames, p50 ${percentile(frames, 50).toFixed(1)} p95 ${percentile(frames, 95).toFixed(1)} ms`);
    console.log(`  frames: ${frames.map((f) => f.toFixed(1)).join(' ')}`);
    const parsed = readTrace(trace);
    summarise(parsed, label);
    perInput(parsed, label === 'pan' ? 'pointermove' : 'wheel');
  }
  await context.close();
} finally {
  await browser.close();
  await ours.stop();
  if (leaflet) leaflet.close();
}
