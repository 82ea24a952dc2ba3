// The enterprise's "authorise a bank" page on the cross-chain demo's tax chain, in a
// phone-sized browser: Huawei's finance office sees the story's grant to sz-bank in
// force and its committed tax summary, makes a second grant through the form and
// revokes that one; the story's grant stays in force. Fails on any 5xx answer or
// console error.
import assert from 'node:assert/strict';
import { harness } from '../../lib/harness.mjs';
import { URLS, PURPOSE, ok, fitsPhone } from '../../lib/linked.mjs';

const { page, step, shot, finish } = await harness('crosschain-disclose-');
const grants = () => ok('tax', 'Huawei finance office', 'GET', '/v1/disclosures');

const p = await page();
let story;
await step('Huawei signs in on /enterprise/disclose and sees its grant to sz-bank in force', async () => {
  story = (await grants()).find((g) => g.purpose === PURPOSE);
  assert.ok(story && story.in_force, 'the demo granted sz-bank');
  await p.goto(URLS.tax + '/enterprise/disclose');
  await p.locator('[data-identity="Huawei finance office"]').click();
  const card = p.locator(`[data-grant="${story.id}"]`);
  await card.waitFor({ timeout: 15000 });
  assert.match(await card.innerText(), /sz-bank @ fapiao-finance/);
  assert.match(await card.locator('.badge').innerText(), /有效|in force/);
  assert.equal(await card.locator('button.revoke').isDisabled(), false, 'revocable');
  assert.equal(await card.locator('button.download').isDisabled(), false, 'its package downloadable');
  // The summary the grant discloses: twelve ended months, committed on the chain.
  await p.locator('#summary-table').waitFor({ timeout: 15000 });
  assert.equal(await p.locator('#summary-table tbody tr').count(), 12);
  assert.ok(await fitsPhone(p), 'nothing wider than the phone');
  await shot(p, 'crosschain-01-disclose');
});

await step('a second grant made through the form is revoked there; the story\'s grant stays', async () => {
  const before = (await grants()).length;
  await p.fill('#bank', 'sz-bank');
  await p.fill('#purpose', 'e2e: a second grant, to revoke');
  await p.locator('#authorise').click();
  const done = p.locator('form .success .mono');
  await done.waitFor({ timeout: 20000 });
  const id = (await done.innerText()).trim();
  const card = p.locator(`[data-grant="${id}"]`);
  await card.waitFor({ timeout: 15000 });
  assert.match(await card.locator('.badge').innerText(), /有效|in force/);
  assert.equal((await grants()).length, before + 1);
  await card.locator('button.revoke').click();
  await p.locator(`[data-grant="${id}"] .badge.bad`).waitFor({ timeout: 20000 });
  assert.match(await p.locator(`[data-grant="${id}"] .badge`).innerText(), /已撤销|revoked/);
  assert.equal(await p.locator(`[data-grant="${id}"] button.revoke`).isDisabled(), true);
  const after = await grants();
  const second = after.find((g) => g.id === id);
  assert.ok(second.revoked_at > 0 && !second.in_force, JSON.stringify(second));
  assert.ok(after.find((g) => g.id === story.id).in_force, 'the story\'s grant stays in force');
  assert.match(await p.locator(`[data-grant="${story.id}"] .badge`).innerText(), /有效|in force/);
  await shot(p, 'crosschain-02-revoked');
});

await finish();
