// The bank's loan desk on the cross-chain demo's finance chain, in a phone-sized
// browser: the loan officer sees Huawei's approved loan with the tax height its facts
// are proven at, the values its node verified against the relayed commitments and the
// industry chain's operating data, and the financed invoice; then, on an application the
// bank's node records with a fresh grant's package, reviews and approves through the
// page's form. Fails on any 5xx answer or console error.
import assert from 'node:assert/strict';
import { harness } from '../../lib/harness.mjs';
import { URLS, HUAWEI, PURPOSE, ok, final, relayed, endedMonths, fitsPhone } from '../../lib/linked.mjs';

const OFFICER = 'Loan officer';
const { page, step, shot, finish } = await harness('crosschain-bank-');
const loans = () => ok('finance', OFFICER, 'GET', '/v1/finance/loans');

const p = await page();
await step('the loan desk shows the approved loan, its verified facts and the financed invoice', async () => {
  const loan = (await loans()).find((l) => l.purpose === PURPOSE);
  assert.ok(loan && loan.status === 'approved', 'the demo approved Huawei\'s loan');
  const [financing] = await ok('finance', OFFICER, 'GET', '/v1/finance/financings');
  assert.equal(financing.loan, loan.id);
  await p.goto(URLS.finance + '/bank/loans');
  await p.locator(`[data-identity="${OFFICER}"]`).click();
  const card = p.locator(`[data-loan="${loan.id}"]`);
  await card.waitFor({ timeout: 15000 });
  const text = await card.innerText();
  assert.ok(text.includes(HUAWEI));
  assert.match(text, new RegExp(`fapiao-tax (高度|height) ${loan.tax_height}\\b`));
  assert.match(text, /已批准|Approved/);
  assert.ok(text.includes(loan.decision.reasons));
  // Every fact the bank's node verified is marked so; the status opened is "active".
  const facts = card.locator('table').first();
  const verified = loan.facts.filter((f) => f.verified).length;
  assert.ok(verified >= 1, 'the bank holds verified openings');
  assert.equal(await facts.locator('span.good').count(), verified);
  assert.ok(await facts.locator('tr', { hasText: 'active' }).count() >= 1);
  assert.equal(await facts.locator('tbody tr').count(), loan.facts.length);
  // The industry chain's operating data: every figure the bank's node keeps opened.
  assert.equal(loan.operating.length, 3);
  const figures = loan.operating.flatMap((o) => o.figures || []);
  assert.equal(figures.length, 9, 'three figures a month for three months');
  const table = card.locator('table.operating');
  assert.equal(await table.locator('tbody tr').count(), figures.length);
  assert.equal(await table.locator('span.good').count(), figures.length);
  assert.equal(await card.locator('form.decision').count(), 0, 'no form on a decided loan');
  // The financed invoice, and both linked chains' verified heights.
  const row = p.locator(`#financings tr[data-number="${financing.number}"]`);
  assert.match(await row.innerText(), /正常|active/);
  assert.equal(await p.locator('#chains tbody tr').count(), 2);
  assert.ok(await fitsPhone(p), 'nothing wider than the phone');
  await shot(p, 'crosschain-03-loan-desk');
});

await step('an application recorded with a fresh grant is reviewed and approved through the form', async () => {
  // Huawei grants again (one application per grant) and hands over its package; the bank's
  // node records the application once the package's tax header is relayed.
  const months = endedMonths(6);
  const grant = await ok('tax', 'Huawei finance office', 'POST', '/v1/disclosures', {
    uscc: HUAWEI, chain_id: 'fapiao-finance', bank: 'sz-bank', purpose: 'e2e: equipment loan',
    fields: ['sales', 'status'], first_month: months[0], last_month: months[5],
    expires_ms: Date.now() + 7 * 86400e3,
  });
  const pkg = await final('tax', 'Huawei finance office', `/v1/disclosures/${grant.id}/package`);
  await relayed('fapiao-tax', pkg.grant.height);
  const applied = await ok('finance', OFFICER, 'POST', '/v1/finance/loans',
    { package: pkg, amount: 800000000, term_months: 6, purpose: 'e2e: equipment loan' });
  await p.reload();
  const card = p.locator(`[data-loan="${applied.loan}"]`);
  await card.locator('form.decision').waitFor({ timeout: 15000 });
  assert.match(await card.innerText(), /待审查|applied/);
  await card.locator('input[name="notes"]').fill('e2e: facts checked');
  await card.getByRole('button', { name: /开始审查|Review/ }).click();
  await p.locator('div.card.good').waitFor({ timeout: 20000 });
  await p.locator(`[data-loan="${applied.loan}"]`).getByText(/审查中|under review/).waitFor({ timeout: 15000 });
  const again = p.locator(`[data-loan="${applied.loan}"]`);
  await again.locator('input[name="rate_bp"]').fill('420');
  await again.locator('input[name="reasons"]').fill('e2e: approved through the form');
  await again.locator('form.decision button.primary').click();
  await p.locator(`[data-loan="${applied.loan}"]`).getByText('e2e: approved through the form').waitFor({ timeout: 20000 });
  assert.equal(await p.locator(`[data-loan="${applied.loan}"] form.decision`).count(), 0);
  const loan = (await loans()).find((l) => l.id === applied.loan);
  assert.equal(loan.status, 'approved');
  assert.equal(loan.notes, 'e2e: facts checked');
  assert.deepEqual([loan.decision.amount, loan.decision.rate_bp, loan.decision.term_months], [800000000, 420, 6]);
  await shot(p, 'crosschain-04-decided');
});

await finish();
