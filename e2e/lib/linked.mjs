// What the cross-chain browser scripts (e2e/tests/crosschain/*.mjs) share: the three
// chains' URLs as e2e/run.sh passes them, each chain's demo identities as
// `fapiao demo --cross-chain` writes them (DIR/<chain>/identities.json, which each node
// also serves at /demo/identities.json for its pages' sign-in), a JSON call with a demo
// token, waiting for a header to reach the finance chain's light client, and whether a
// page fits the phone. Not a test itself: e2e/run.sh runs e2e/tests/crosschain/*.mjs
// only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const URLS = {
  tax: process.env.FAPIAO_TAX_URL,
  finance: process.env.FAPIAO_FINANCE_URL,
  industry: process.env.FAPIAO_INDUSTRY_URL,
};
export const HUAWEI = '914403001922038216';
/** The demo grant's purpose (fapiao_demo::linked::story::PURPOSE). */
export const PURPOSE = '流动资金贷款 working-capital loan (fapiao demo)';

const identities = (chain) =>
  JSON.parse(readFileSync(`${process.env.FAPIAO_LINKED_DIR}/${chain}/identities.json`, 'utf8'));

/** The token of demo identity `name` on `chain`. */
export function token(chain, name) {
  const id = identities(chain).find((i) => i.name === name);
  assert.ok(id, `no identity ${name} on the ${chain} chain`);
  return id.token;
}

/** `method path` on `chain` as `name` (a demo identity) with a JSON body: [status, body]. */
export async function call(chain, name, method, path, body) {
  const headers = { authorization: 'Bearer ' + token(chain, name) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(URLS[chain] + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return [r.status, text ? JSON.parse(text) : null];
}

/** Like `call`, asserting a 2xx answer; its body. */
export async function ok(chain, name, method, path, body) {
  const [status, answer] = await call(chain, name, method, path, body);
  assert.ok(status >= 200 && status < 300, `${method} ${path}: ${status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Waits until the finance chain's light client keeps `chainId`'s header `height`. */
export async function relayed(chainId, height, within = 60000) {
  const deadline = Date.now() + within;
  for (;;) {
    const w = await (await fetch(`${URLS.finance}/v1/crosschain/chains/${chainId}`)).json();
    if (w.window.some((e) => e.height === height)) return;
    assert.ok(Date.now() < deadline, `${chainId} header ${height} relayed to the finance chain`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** `GET path` on `chain` as `name`, waiting out 503 (the latest change awaits its certificate). */
export async function final(chain, name, path) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const [status, body] = await call(chain, name, 'GET', path);
    if (status === 200) return body;
    assert.ok(status === 503 && Date.now() < deadline, `GET ${path}: ${status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The last `n` ended months, `yyyy-mm`, oldest first (China time). */
export function endedMonths(n) {
  const china = new Date(Date.now() + 8 * 3600e3);
  let y = china.getUTCFullYear(), m = china.getUTCMonth() + 1;
  const out = [];
  for (let i = 0; i < n; i++) {
    m -= 1; if (m === 0) { m = 12; y -= 1; }
    out.unshift(y + '-' + String(m).padStart(2, '0'));
  }
  return out;
}

/** Whether page `p` is no wider than its viewport (phone-sized: nothing scrolls sideways). */
export async function fitsPhone(p) {
  return p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
