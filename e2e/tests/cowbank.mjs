// The village cow bank in a phone-sized browser (390×844): the public village page,
// opened without signing in, shows the herd, the funds, every sale with its split, what
// each household received and the countersigned report with its charts, and no resident
// ID; the manager's console records a sale after its live settlement preview. Fails on
// any 5xx answer or console error.
import assert from 'node:assert/strict';
import { BASE, harness } from '../lib/harness.mjs';
const VILLAGE = 'wutong-village';

const { page, step, shot, finish } = await harness('cowbank-');
const book = async () => (await fetch(`${BASE}/v1/cowbank/villages/${VILLAGE}`)).json();

const villager = await page();
await step('the start page links the village page, which opens without signing in', async () => {
  await villager.goto(BASE + '/');
  await villager.locator('#village-link').click();
  await villager.waitForURL('**/village');
  await villager.locator('#sales .sale').first().waitFor({ timeout: 15000 });
  const b = await book();
  assert.equal(await villager.locator('#sales .sale').count(), b.sales.length);
  assert.ok(b.sales.length >= 5, 'the demo settled five sales');
  assert.equal(await villager.locator('#households tbody tr').count(), 8);
  assert.equal((await villager.locator('#herd').textContent()).trim(), String(b.herd));
  assert.equal((await villager.locator('#paid').textContent()).trim(), '¥' + b.paid_to_households);
  // Every sale shows its split and what the household was paid.
  const first = villager.locator('#sales .sale').first();
  assert.match(await first.locator('.split').textContent(), /30%.*70%/);
  // The countersigned report with its three charts.
  const report = villager.locator('#reports .report[data-year="2026"]');
  await report.locator('.badge.good').waitFor();
  assert.equal(await report.locator('svg.chart').count(), 3);
  const pdf = await fetch(BASE + await report.locator('a.pdf').getAttribute('href'));
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  // Phone-sized: nothing wider than the screen; no resident ID or commitment shown.
  const width = await villager.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide`);
  const text = await villager.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, /\b\d{17}[\dX]\b/, 'no resident ID');
  assert.doesNotMatch(text, /[0-9a-f]{64}/, 'no commitment');
  assert.equal(await villager.evaluate(() => sessionStorage.getItem('fapiao.session')), null, 'not signed in');
  await shot(villager, 'cowbank-01-village');
});

const manager = await page();
await step('the manager records a sale on the console after a live settlement preview', async () => {
  const before = await book();
  const cow = before.animals.find((a) => a.animal.status === 'kept' && a.animal.contract && a.animal.purchase_price !== '0.00');
  assert.ok(cow, 'a contracted cow is in the herd');
  await manager.goto(BASE + '/cowbank');
  await manager.locator('[data-identity="Collective manager"]').click();
  await manager.locator('#sale-form').waitFor({ timeout: 15000 });
  await manager.selectOption('#sale-tag', cow.tag);
  await manager.fill('#sale-price', '16888.88');
  const preview = await (await fetch(`${BASE}/v1/cowbank/preview?tag=${cow.tag}&price=16888.88`)).json();
  await manager.locator('#preview-payment').waitFor({ timeout: 10000 });
  assert.match(await manager.locator('#preview-payment').textContent(), new RegExp('¥' + preview.settlement.household_payment.replace('.', '\\.')));
  await shot(manager, 'cowbank-02-preview');
  await manager.fill('#sale-weight', '590');
  await manager.fill('#sale-buyer', '县肉联厂');
  await manager.locator('#sale-submit').click();
  await manager.locator('#sale-done').waitFor({ timeout: 20000 });
  const after = await book();
  assert.equal(after.sales.length, before.sales.length + 1);
  const sale = after.sales[after.sales.length - 1].sale;
  assert.equal(sale.animal, cow.tag);
  assert.equal(sale.settlement.household_payment, preview.settlement.household_payment, 'settled as previewed');
  await shot(manager, 'cowbank-03-sold');
  // The villager sees it at once.
  await villager.reload();
  await villager.locator(`#sales .sale[data-sale]`).nth(after.sales.length - 1).waitFor({ timeout: 15000 });
});

await step('the console refuses a sale of the animal just sold, with its code', async () => {
  const r = await fetch(`${BASE}/v1/cowbank/preview?tag=${(await book()).sales.at(-1).sale.animal}&price=1`);
  assert.equal(r.status, 409);
  assert.equal((await r.json()).code, 'cowbank.already_sold');
});

await finish();
