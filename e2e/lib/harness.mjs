// What every browser test script shares: Debian's chromium through playwright-core,
// phone-sized pages (390×844, zh-CN) that record 5xx answers, page errors and console
// errors, `step` (a named check that fails on any of those and keeps going, with
// screenshots of every page on failure), `shot`, and `finish` (the summary line and the
// exit code e2e/run.sh reads). Not a test itself: e2e/run.sh runs e2e/tests/*.mjs only.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

export const BASE = process.env.FAPIAO_URL;
export const SHOTS = process.env.SHOTS;

/** The harness of one script; `prefix` names its failure screenshots. */
export async function harness(prefix) {
  const problems = [];
  const pages = [];
  let passed = 0, failed = 0;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

  async function page() {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    const p = await ctx.newPage();
    // A 4xx answer the page shows as an error is expected on the error paths; Chromium
    // logs it as "Failed to load resource", which is the network's, not the script's.
    p.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
      problems.push('console: ' + m.text() + ' @ ' + p.url());
    });
    pages.push(p);
    p.on('pageerror', (e) => problems.push('page error: ' + e.message + ' @ ' + p.url()));
    p.on('response', (r) => { if (r.status() >= 500) problems.push(r.status() + ' ' + r.url()); });
    return p;
  }

  async function step(name, fn) {
    const before = problems.length;
    try {
      await fn();
      assert.deepEqual(problems.slice(before), [], 'no 5xx answers and no console errors');
      passed++; console.log('ok   ' + name);
    } catch (e) {
      failed++; console.log('FAIL ' + name + '\n     ' + String(e.stack || e).split('\n').slice(0, 6).join('\n     '));
      for (const m of problems.slice(before)) console.log('     ' + m);
      for (const [i, p] of pages.entries()) await p.screenshot({ path: `${SHOTS}/${prefix}fail-${failed}-${i}.png`, fullPage: true }).catch(() => {});
    }
  }

  const shot = (p, name) => p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

  async function finish() {
    await browser.close();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }

  return { browser, page, step, shot, finish };
}
