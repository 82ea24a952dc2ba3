// The consumer story and its error paths, in a phone-sized browser (390×844):
// claim from a receipt QR, wallet, submit to Huawei; Huawei accepts; the tax bureau
// sees it; a discount line; an officer's credit request; the express edition (apply
// online, approval on /tax, the applicant issues). Fails on any 5xx answer or console error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { BASE, harness } from '../lib/harness.mjs';
const ids = JSON.parse(readFileSync(process.env.FAPIAO_IDENTITIES, 'utf8'));
const token = (name) => ids.find((i) => i.name === name).token;
const HUAWEI = '914403001922038216';
const RESTAURANT = '91440300555012347H';

async function newOrder() {
  const res = await fetch(BASE + '/v1/orders', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + token('Payments gateway'), 'content-type': 'application/json' },
    body: JSON.stringify({ merchant: RESTAURANT, amount: '88.00', items: [{ sku: 'LUNCH', amount: '88.00' }] }),
  });
  assert.equal(res.status, 200, 'order recorded');
  return res.json();
}

const { page, step, shot, finish } = await harness('');
let number;

const consumer = await page();
await step('start page lists demo identities and answers for every page', async () => {
  await consumer.goto(BASE + '/');
  await consumer.locator('[data-identity="Li Wei"]').waitFor();
  await shot(consumer, '01-start');
  for (const path of ['/wallet', '/merchant', '/enterprise', '/tax', '/verify']) {
    const r = await fetch(BASE + path); assert.equal(r.status, 200, path);
  }
});

await step('start page lists the demo\'s unclaimed orders; one opens its claim page', async () => {
  await consumer.goto(BASE + '/');
  const link = consumer.locator('#demo-orders a').first();
  await link.waitFor();
  const listed = await (await fetch(BASE + '/demo/unclaimed-orders.json')).json();
  assert.ok(listed.length > 0, 'the demo keeps unclaimed orders');
  await link.click();
  await consumer.locator('#merchant').waitFor();
  assert.ok((await consumer.locator('#amount').innerText()).includes(listed[0].amount));
});

let order;
await step('claim page: sign in as Li Wei in one tap, enterprise title, invoice issued', async () => {
  order = await newOrder();
  await consumer.goto(`${BASE}/claim/${order.order_id}?code=${order.claim_code}`);
  await consumer.locator('#merchant').waitFor();
  assert.match(await consumer.locator('#amount').innerText(), /88\.00/);
  await shot(consumer, '02-claim-signed-out');
  await consumer.locator('[data-identity="Li Wei"]').click();
  await consumer.locator('#claim-submit').waitFor();
  await consumer.locator('#kind-enterprise').click();
  await consumer.locator('#buyer-tax-id').fill(HUAWEI);
  await consumer.locator('#tax-id-hint.good').waitFor();
  await consumer.locator('#buyer-name').fill('华为技术有限公司');
  await shot(consumer, '03-claim-form');
  await consumer.locator('#claim-submit').click();
  await consumer.locator('#invoice-number').waitFor({ timeout: 15000 });
  number = (await consumer.locator('#invoice-number').innerText()).trim();
  assert.match(number, /^\d{20}$/);
  await shot(consumer, '04-claim-issued');
});

await step('the same code again: a clear error', async () => {
  await consumer.goto(`${BASE}/claim/${order.order_id}?code=${order.claim_code}`);
  await consumer.locator('#claim-submit').waitFor();
  await consumer.locator('#claim-submit').click();
  const err = consumer.locator('#claim-result .error');
  await err.waitFor();
  const text = await err.innerText();
  assert.match(text, /已被领取|already claimed/);
  assert.match(text, /invoice\.order_already_claimed/);
  await shot(consumer, '05-claim-reused');
});

await step('a bad taxpayer ID: a clear error before and on submission', async () => {
  const o = await newOrder();
  await consumer.goto(`${BASE}/claim/${o.order_id}?code=${o.claim_code}`);
  await consumer.locator('#claim-submit').waitFor();
  await consumer.locator('#kind-enterprise').click();
  await consumer.locator('#buyer-tax-id').fill('914403001922038217');
  await consumer.locator('#tax-id-hint.bad').waitFor();
  await consumer.locator('#buyer-name').fill('华为技术有限公司');
  await consumer.locator('#claim-submit').click();
  const err = consumer.locator('#claim-result .error');
  await err.waitFor();
  assert.match(await err.innerText(), /tax_id/);
  await shot(consumer, '06-claim-bad-tax-id');
});

await step('wallet: the invoice is there; printable view; submit to Huawei', async () => {
  await consumer.goto(BASE + '/wallet');
  const card = consumer.locator(`[data-number="${number}"]`);
  await card.waitFor();
  await card.locator('button.print').click();
  await consumer.frameLocator('#print-frame').locator('body').waitFor();
  await shot(consumer, '07-print');
  await consumer.locator('#close-print').click();
  await card.locator('button.submit').click();
  assert.equal(await card.locator('input.enterprise').inputValue(), HUAWEI);
  await card.locator('button.confirm-submit').click();
  await consumer.locator(`[data-number="${number}"] .badge.submitted`).waitFor({ timeout: 15000 });
  await shot(consumer, '08-wallet');
});

const finance = await page();
await step('enterprise: Huawei finance sees it genuine and accepts it', async () => {
  await finance.goto(BASE + '/enterprise');
  await finance.locator('[data-identity="Huawei finance office"]').click();
  const card = finance.locator(`#submitted [data-number="${number}"]`);
  await card.waitFor({ timeout: 15000 });
  await card.locator('.chain-check .badge.good').waitFor();
  await shot(finance, '09-enterprise');
  await card.locator('button.accept').click();
  await finance.locator('.accepted').waitFor({ timeout: 15000 });
  await shot(finance, '10-enterprise-accepted');
});

await step('wallet shows the reimbursement', async () => {
  await consumer.goto(BASE + '/wallet');
  await consumer.locator(`[data-number="${number}"] .badge.reimbursed`).waitFor();
});

const tax = await page();
await step('tax dashboard: Officer Chen sees the invoice counted', async () => {
  await tax.goto(BASE + '/tax');
  await tax.locator('[data-identity="Officer Chen"]').click();
  await tax.locator('#stat-invoices').waitFor({ timeout: 15000 });
  assert.ok(Number(await tax.locator('#stat-invoices').innerText()) > 0);
  await tax.locator(`#recent >> text=${number}`).waitFor();
  const ring = tax.locator('details.alert[data-rule="circular_ring"]').first();
  await ring.locator('summary').click();
  await ring.locator('svg.ring').waitFor({ timeout: 15000 });
  await shot(tax, '11-tax');
});

const merchant = await page();
await step('merchant console renders with credit and a live preview', async () => {
  await merchant.goto(BASE + '/merchant');
  await merchant.locator('[data-identity="Restaurant POS"]').click();
  await merchant.locator('#credit').waitFor({ timeout: 15000 });
  await merchant.locator('#preview table').waitFor({ timeout: 15000 });
  await shot(merchant, '12-merchant');
});

await step('merchant console: a discount line under its line, netted by the node', async () => {
  await merchant.locator('button.add-discount').first().click();
  await merchant.locator('.line.discount .l-gross').fill('-10.00');
  await merchant.locator('#preview tr.discount').waitFor({ timeout: 15000 });
  await shot(merchant, '14-merchant-discount');
});

await step('tax dashboard: the officer raises a credit request for a taxpayer and approves it', async () => {
  await tax.goto(BASE + '/tax');
  await tax.locator('#raise-submit').waitFor({ timeout: 15000 });
  await tax.locator('#raise-amount').fill('1000.00');
  await tax.locator('#raise-reason').fill('核查后临时调增');
  await tax.locator('#raise-submit').click();
  const row = tax.locator('#credit-requests tr', { hasText: '核查后临时调增' }).first();
  await row.waitFor({ timeout: 15000 });
  await row.locator('button.ok').click();
  await tax.locator('#credit-requests tr', { hasText: '核查后临时调增' }).first().locator('.badge.approved').waitFor({ timeout: 15000 });
  await tax.locator('#amount-per-minute svg').waitFor();
  await shot(tax, '15-tax-credit-request');
});

await step('express edition: apply online, the officer approves on /tax, the applicant issues', async () => {
  const applicant = await page();
  await applicant.goto(BASE + '/apply');
  await applicant.locator('#apply-uscc').fill('91350100M000100Y43');
  await applicant.locator('#apply-name').fill('福州示例商贸有限公司');
  await applicant.locator('#apply-region').fill('350100');
  await applicant.locator('#apply-contact').fill('王经理 13800000000');
  await applicant.locator('#apply-submit').click();
  await applicant.locator('#application-badge.pending').waitFor({ timeout: 15000 });
  await shot(applicant, '16-apply-pending');
  await tax.goto(BASE + '/tax');
  const row = tax.locator('#applications tr', { hasText: '91350100M000100Y43' }).first();
  await row.waitFor({ timeout: 15000 });
  await row.locator('button.approve').click();
  await tax.locator('#applications tr', { hasText: '91350100M000100Y43' }).first().locator('.badge.approved').waitFor({ timeout: 15000 });
  await applicant.locator('#apply-sign-in').click({ timeout: 20000 });
  await applicant.waitForURL('**/merchant');
  await applicant.locator('#credit').waitFor({ timeout: 15000 });
  await applicant.locator('#preview table').waitFor({ timeout: 15000 });
  await shot(applicant, '17-apply-approved-merchant');
});

await step('English switch', async () => {
  await consumer.goto(BASE + '/');
  await consumer.locator('#lang').click();
  await consumer.waitForLoadState('load');
  await consumer.locator('text=Demo identities').waitFor();
  await shot(consumer, '13-start-en');
  await consumer.locator('#lang').click();
});

await finish();
