// The tax-certificate pages in a phone-sized browser (390×844), against the demo's
// certificate story: Li Wei exchanges his newest collection (the car he bought this
// year, which the story leaves unexchanged) for a certificate in his wallet and opens
// its check page from the link the QR code carries; a wrong plate finds nothing; the
// insurer's console previews a collection live; the bureau sees the vehicle tax per
// insurer. Fails on any 5xx answer or console error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { BASE, harness } from '../lib/harness.mjs';
const ids = JSON.parse(readFileSync(process.env.FAPIAO_IDENTITIES, 'utf8'));
const identity = (name) => {
  const id = ids.find((i) => i.name === name);
  assert.ok(id, `the demo has ${name}`);
  return id;
};
// Li Wei's car bought this year (crates/demo/src/certificate.rs), left for him to exchange.
const NEW_CAR = '粤BM9R05';

const { page, step, shot, finish } = await harness('cert-');

/** Signs `p` in as the demo identity `name` through the start page's one-tap button. */
async function signIn(p, name) {
  await p.goto(BASE + '/');
  await p.locator(`[data-identity="${name}"]`).click();
  await p.waitForURL((u) => new URL(u).pathname !== '/');
}

let number, checkHref;
const owner = await page();

await step('Li Wei sees his collections and exchanges the new car\'s for a certificate', async () => {
  await signIn(owner, 'Li Wei');
  await owner.goto(BASE + '/wallet/certificates');
  const card = owner.locator(`.card[data-plate="${NEW_CAR}"]`);
  await card.waitFor();
  assert.ok(await owner.locator('.card[data-collection]').count() >= 2, 'his other cars are listed too');
  const account = identity('Li Wei').account;
  const walletQr = await owner.locator('#wallet-qr img').getAttribute('src');
  assert.equal(new URL(walletQr, BASE).searchParams.get('text'), account, 'the wallet QR code is his account');
  await shot(owner, 'cert-01-wallet');
  await card.locator('button.exchange').click();
  const num = owner.locator(`.card[data-plate="${NEW_CAR}"] .number`);
  await num.waitFor();
  number = (await num.textContent()).trim();
  assert.match(number, /^\d{12}$/);
  assert.equal(await owner.locator(`.card[data-plate="${NEW_CAR}"] button.exchange`).count(), 0, 'exchanged once');
  await shot(owner, 'cert-02-exchanged');
});

await step('the QR code carries the check link, and the link opens a genuine certificate', async () => {
  const card = owner.locator(`.card[data-plate="${NEW_CAR}"]`);
  const img = card.locator('img.qr');
  await img.waitFor();
  const src = await img.getAttribute('src');
  checkHref = await card.locator('a.check').getAttribute('href');
  const text = new URL(src, BASE).searchParams.get('text');
  assert.equal(text, new URL(checkHref, BASE).href, 'the QR code encodes the check link');
  assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the QR image loads');
  const svg = await fetch(new URL(src, BASE));
  assert.equal(svg.status, 200);
  // Its proof bundle, once a finalization certificate covers the exchange.
  const proofHref = await card.locator('a.proof').getAttribute('href');
  let bundle;
  for (let i = 0; i < 20 && !bundle; i++) {
    const r = await fetch(new URL(proofHref, BASE));
    if (r.status === 200) bundle = await r.json();
    else { assert.equal(r.status, 503, 'not final yet'); await new Promise((ok) => setTimeout(ok, 500)); }
  }
  assert.equal(bundle && bundle.format, 'fapiao-certificate-proof/2');
  assert.equal(bundle.number, number);
  // The printable certificate, for him (with his token) and nobody anonymous.
  const pdf = await fetch(new URL('/v1/certificates/' + number + '/pdf', BASE), { headers: { authorization: 'Bearer ' + identity('Li Wei').token } });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  assert.equal((await fetch(new URL('/v1/certificates/' + number + '/pdf', BASE))).status, 404);
  assert.equal(await card.locator('button.pdf').count(), 1, 'the wallet offers it');
  await card.locator('a.check').click();
  await owner.waitForURL(/\/certificates\/check/);
  const verdict = owner.locator('[data-genuine="true"]');
  await verdict.waitFor();
  const body = await verdict.textContent();
  assert.ok(body.includes(number), 'shows the number');
  assert.ok(body.includes('有效'), 'valid');
  assert.ok(body.includes('李*'), 'the owner masked');
  assert.ok(!body.includes('李伟'), 'never the owner in full');
  await shot(owner, 'cert-03-check');
});

await step('anyone checks it without signing in; a wrong plate finds nothing', async () => {
  const anon = await page();
  await anon.goto(BASE + checkHref);
  await anon.locator('[data-genuine="true"]').waitFor();
  await anon.goto(BASE + '/certificates/check');
  await anon.fill('#number', number);
  await anon.fill('#plate', '粤B00000');
  await anon.locator('form button[type=submit]').click();
  await anon.locator('[data-genuine="false"]').waitFor();
  await shot(anon, 'cert-04-wrong-plate');
});

await step('the insurer console previews a collection as its fields change', async () => {
  const ins = await page();
  await signIn(ins, 'Vehicle tax collector');
  assert.equal(new URL(ins.url()).pathname, '/insurer', 'a collector lands on the console');
  const total = ins.locator('#preview-total');
  await total.waitFor();
  await ins.waitForFunction(() => document.querySelector('#preview-total')?.textContent === '¥360.00');
  await ins.fill('#size', '2998');
  await ins.waitForFunction(() => document.querySelector('#preview-total')?.textContent === '¥1800.00');
  await ins.selectOption('#energy', 'energy_saving');
  await ins.waitForFunction(() => document.querySelector('#preview-total')?.textContent === '¥900.00');
  await ins.locator('#collections .card[data-collection]').first().waitFor();
  await shot(ins, 'cert-05-insurer');
});

await step('the bureau sees collected, settled and outstanding tax per insurer', async () => {
  const tax = await page();
  await signIn(tax, identity('Officer Chen').name);
  await tax.goto(BASE + '/tax/vehicle-tax');
  await tax.locator('#vehicle-tax tr[data-insurer]').first().waitFor();
  await shot(tax, 'cert-06-vehicle-tax');
});

await step('the insurer records a collection from the console and settles it; the bureau confirms', async () => {
  const ins = await page();
  await signIn(ins, 'Vehicle tax collector');
  await ins.locator('#preview-total').waitFor();
  await ins.fill('#policy_no', 'PDZA202644030099999');
  await ins.fill('#plate', '粤B7E2E7');
  await ins.fill('#vin', '1M8GDM9AXKP042788');
  await ins.fill('#owner', identity('Wang Fang').account);
  await ins.fill('#owner_name', '王芳');
  await ins.fill('#owner_id', '91440300708461136T');
  await ins.locator('#record').click();
  await ins.locator('form .success').waitFor();
  const card = ins.locator('#collections .card[data-collection]', { hasText: '粤B7E2E7' });
  await card.waitFor();
  const batches = await ins.locator('#settlements .card[data-settlement]').count();
  await card.locator('input.pick').check();
  await ins.locator('#settle').click();
  await ins.waitForFunction((n) => document.querySelectorAll('#settlements .card[data-settlement]').length === n + 1, batches);
  await shot(ins, 'cert-07-settled');
  const tax = await page();
  await signIn(tax, 'Officer Chen');
  await tax.goto(BASE + '/tax/vehicle-tax');
  const confirm = tax.locator('button.confirm').first();
  await confirm.waitFor();
  const before = await tax.locator('button.confirm').count();
  await confirm.click();
  await tax.waitForFunction((n) => document.querySelectorAll('button.confirm').length === n - 1, before);
});

await finish();
