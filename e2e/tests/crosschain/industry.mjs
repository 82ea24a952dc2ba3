// The industry chain's pages on the cross-chain demo, in a phone-sized browser: the power
// utility's attester records a month's electricity figure for Huawei through
// /industry/attest; Huawei's finance office reads its attested figures with their
// commitments on /industry/operating (the new one among them) and takes the package it
// hands a bank. Fails on any 5xx answer or console error.
import assert from 'node:assert/strict';
import { harness } from '../../lib/harness.mjs';
import { URLS, HUAWEI, ok, endedMonths, fitsPhone } from '../../lib/linked.mjs';

const READER = 'Power utility meter reader';
const { page, step, shot, finish } = await harness('crosschain-industry-');
// The demo attested the last three ended months; the attester adds the fourth.
const MONTH = endedMonths(4)[0];

const attester = await page();
await step('an attester records a figure through /industry/attest', async () => {
  await attester.goto(URLS.industry + '/industry/attest');
  await attester.locator(`[data-identity="${READER}"]`).click();
  await attester.locator('#attest-form').waitFor({ timeout: 15000 });
  await attester.selectOption('#a-action', 'attest');
  await attester.fill('#a-uscc', HUAWEI);
  await attester.fill('#a-month', MONTH);
  await attester.selectOption('#a-metric', 'electricity_kwh');
  await attester.fill('#a-value', '1188000');
  await attester.locator('#a-submit').click();
  await attester.locator('#attest-form .card.good').waitFor({ timeout: 20000 });
  // Its own figures, the new one among them.
  await attester.locator('#attested tr', { hasText: MONTH }).waitFor({ timeout: 15000 });
  assert.match(await attester.locator('#attested tr', { hasText: MONTH }).innerText(), /1188000/);
  const seen = await ok('industry', 'Huawei finance office', 'GET', `/v1/industry/enterprises/${HUAWEI}/operating`);
  const month = seen.months.find((m) => m.month === MONTH);
  assert.ok(month, JSON.stringify(seen.months));
  assert.deepEqual(month.figures.map((f) => [f.metric, f.value, f.attester]), [['electricity_kwh', 1188000, 'power-utility']]);
  assert.ok(await fitsPhone(attester), 'nothing wider than the phone');
  await shot(attester, 'crosschain-05-attested');
});

await step('the same figure again is refused with its code, shown on the page', async () => {
  await attester.locator('#a-submit').click();
  const refused = attester.locator('#attest-form .error');
  await refused.waitFor({ timeout: 20000 });
  assert.match(await refused.innerText(), /industry\.already_attested/);
});

const huawei = await page();
await step('Huawei reads its operating data on /industry/operating and takes its package', async () => {
  await huawei.goto(`${URLS.industry}/industry/operating?uscc=${HUAWEI}`);
  await huawei.locator('[data-identity="Huawei finance office"]').click();
  await huawei.locator('#operating').waitFor({ timeout: 15000 });
  // Three metrics for the story's three months, and the attester's new figure.
  assert.equal(await huawei.locator('#operating tbody tr').count(), 3 * 3 + 1);
  const row = huawei.locator(`#operating tr[data-month="${MONTH}"][data-metric="electricity_kwh"]`);
  assert.match(await row.innerText(), /1188000[\s\S]*power-utility/);
  assert.match(await row.locator('td.mono').innerText(), /^[0-9a-f]{16}…$/);
  for (const m of endedMonths(3)) {
    assert.equal(await huawei.locator(`#operating tr[data-month="${m}"]`).count(), 3, m);
  }
  await huawei.locator('#o-package').click();
  await huawei.locator('#o-download').waitFor({ timeout: 30000 });
  assert.match(await huawei.locator('.card.good').innerText(), /12/);
  assert.ok(await fitsPhone(huawei), 'nothing wider than the phone');
  await shot(huawei, 'crosschain-06-operating');
});

await finish();
