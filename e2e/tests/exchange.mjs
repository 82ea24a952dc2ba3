// The department exchange in a phone-sized browser (390×844): customs' desk shows the
// joint alert it shares with the tax bureau about a ring company, asks the central bank
// for that company's transaction reports and reads the answer its responder sealed back
// within seconds, adds a finding and takes the case; Li Wei's "my data" page shows his
// deductions as the bureau verified them from the source departments' answers and the
// access log of every read, and he revokes a consent; Huawei's finance office sees his
// deduction amounts and nothing else. Fails on any 5xx answer or console error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, harness } from '../lib/harness.mjs';
const RING = '91440300MA5D1X2Q9B';

const { page, step, shot, finish } = await harness('exchange-');
const ids = JSON.parse(readFileSync(process.env.FAPIAO_IDENTITIES, 'utf8'));
const token = (name) => ids.find((i) => i.name === name).token;
const api = async (name, path) => (await fetch(BASE + path, { headers: { authorization: 'Bearer ' + token(name) } })).json();

const customs = await page();
await step('customs sees the joint alert with the tax bureau on the ring company', async () => {
  await customs.goto(BASE + '/exchange/desk');
  await customs.locator('[data-identity="Customs desk"]').click();
  const alert = customs.locator('#alerts [data-alert]').first();
  await alert.waitFor({ timeout: 15000 });
  const text = await alert.textContent();
  assert.match(text, /深圳海关/);
  assert.match(text, /税务局/);
  assert.match(text, new RegExp(RING), 'customs opens the subject from its own sealed watch note');
  assert.ok(await customs.locator('#catalogue tr[data-item="centralbank.transaction_reports"]').count() === 1);
  await shot(customs, 'exchange-01-desk');
});

await step('customs asks the central bank and reads the sealed answer its responder sent', async () => {
  const before = (await api('Customs desk', '/v1/exchange/desk')).outbox.length;
  await customs.selectOption('#q-item', 'pbc-shenzhen|centralbank.transaction_reports');
  await customs.fill('#q-subject', RING);
  await customs.fill('#q-purpose', 'SZHG-2026-0178');
  await customs.fill('#q-period_from', '2026-08-01');
  await customs.fill('#q-period_to', '2026-10-31');
  await customs.locator('#q-submit').click();
  await customs.locator('.card.good').waitFor({ timeout: 20000 });
  const desk = await api('Customs desk', '/v1/exchange/desk');
  assert.equal(desk.outbox.length, before + 1);
  const q = desk.outbox[0];
  assert.equal(q.item, 'centralbank.transaction_reports');
  // The chain holds the tag, never the subject: the query as a third department would
  // fetch its record does not name the company.
  const raw = await (await fetch(BASE + '/v1/state/exchange-query/' + q.id, { headers: { authorization: 'Bearer ' + token('Police desk') } })).json();
  assert.equal(raw.code, 'not_found', 'another department cannot even read the query');
  // The responder answers within seconds; the desk shows the rows opened by this node.
  let answered;
  for (let i = 0; i < 40 && !answered; i++) {
    const d = await api('Customs desk', '/v1/exchange/queries/' + q.id);
    if (d.answered) answered = d; else await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(answered, 'answered within 20 s');
  assert.equal(answered.outcome, 'found');
  assert.equal(answered.rows.length, 2, 'the two reports of Aug–Oct');
  await customs.reload();
  const card = customs.locator(`#outbox [data-query="${q.id}"]`);
  await card.locator('table.answer').waitFor({ timeout: 10000 });
  assert.match(await card.textContent(), /ST2026091100042/);
  await shot(customs, 'exchange-02-answer');
});

await step('customs adds a finding and takes the case', async () => {
  const alert = customs.locator('#alerts [data-alert]').first();
  await alert.locator('input[name=finding]').fill('三个月出口 15.3 亿元，同期进项发票仅来自另两户关联公司');
  await alert.locator('button.add-finding').click();
  await customs.locator('.card.good').waitFor({ timeout: 20000 });
  await customs.locator('#alerts [data-alert] .finding').first().waitFor({ timeout: 20000 });
  await customs.locator('#alerts [data-alert] button.assign').first().click();
  await customs.locator('#alerts [data-alert]').first().getByText('Customs desk').waitFor({ timeout: 20000 });
  const a = (await api('Customs desk', '/v1/exchange/desk')).alerts[0];
  assert.ok(a.findings.length >= 1);
  assert.match(a.findings[0].text, /15\.3/);
  assert.equal(a.assignee_name, 'Customs desk');
  // The tax bureau, the other department of the case, opens the same finding.
  const t = (await api('Tax exchange desk', '/v1/exchange/desk')).alerts[0];
  assert.match(t.findings[0].text, /15\.3/);
  await shot(customs, 'exchange-03-case');
});

const liwei = await page();
await step("Li Wei's page shows his verified deductions and who read his data", async () => {
  await liwei.goto(BASE + '/exchange/me');
  await liwei.locator('[data-identity="Li Wei"]').click();
  await liwei.locator('#declarations [data-declaration]').waitFor({ timeout: 15000 });
  const me = await api('Li Wei', '/v1/exchange/me');
  assert.equal(me.declarations[0].total, '57600.00');
  assert.ok(me.declarations[0].items.every((i) => i.status === 'verified'), JSON.stringify(me.declarations[0].items));
  assert.ok(me.access_log.length >= 4, 'every read is in the log');
  assert.equal(await liwei.locator('#access-log [data-query]').count(), me.access_log.length);
  const width = await liwei.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide`);
  await shot(liwei, 'exchange-04-mydata');
});

await step('Li Wei revokes a consent', async () => {
  const live = (await api('Li Wei', '/v1/exchange/me')).consents.filter((c) => c.live).length;
  await liwei.locator('#consents button.revoke').first().click();
  await liwei.locator('.card.good').waitFor({ timeout: 20000 });
  assert.equal((await api('Li Wei', '/v1/exchange/me')).consents.filter((c) => c.live).length, live - 1);
});

const finance = await page();
await step("Huawei's finance office sees the amounts, not the facts", async () => {
  await finance.goto(BASE + '/exchange/withholding?year=2026');
  await finance.locator('[data-identity="Huawei finance office"]').click();
  await finance.locator('#withholding [data-declaration]').waitFor({ timeout: 15000 });
  const text = await finance.evaluate(() => document.body.innerText);
  assert.match(text, /57600\.00/);
  assert.doesNotMatch(text, /\b\d{17}[\dX]\b/, 'no resident ID');
  assert.doesNotMatch(text, /实验学校|招商银行/, 'no school, no lender');
  await shot(finance, 'exchange-05-withholding');
});

await finish();
