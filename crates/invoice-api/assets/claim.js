// Claim page: what a receipt's QR code opens. Shows the order, signs the consumer in,
// takes a buyer title and claims (POST /v1/orders/{id}/claim).
'use strict';

(async function claimPage() {
  const orderId = decodeURIComponent(location.pathname.split('/')[2] || '');
  const code = new URLSearchParams(location.search).get('code') || '';
  const orderBox = h('section.card', { id: 'order' }, h('p.muted', L('加载订单…', 'Loading the order…')));
  const body = h('div');
  mount(h('h1', L('领取发票', 'Claim your invoice')), orderBox, body);

  let order = null;
  try {
    order = await api('GET', '/v1/orders/' + encodeURIComponent(orderId) + '?code=' + encodeURIComponent(code));
    orderBox.replaceChildren(
      h('div.small.muted', L('商户', 'Merchant')), h('h3', { id: 'merchant' }, order.merchant_name || order.merchant),
      h('div.amount', { id: 'amount' }, yuan(order.amount)),
      h('table', h('tbody', order.items.map((i) => h('tr', h('td', i.name || i.sku), h('td.num.money', yuan(i.amount)))))),
      h('div.row.small.muted', badge(order.status), order.auto_issue
        ? L('领取后即时开票', 'issued at once when claimed')
        : L('领取后由商户开票', 'the merchant issues after your claim')));
  } catch (e) {
    orderBox.replaceChildren(h('p', L('无法读取订单（二维码可能不完整）。仍可尝试领取。', 'The order could not be read (the QR may be incomplete). You may still try to claim.')), errorBox(e));
  }

  const s = Session.get();
  if (!s) {
    const ids = (await demoIdentities()).filter((i) => (i.roles || []).includes('consumer'));
    body.replaceChildren(h('section.card',
      h('h3', L('登录后领取', 'Sign in to claim')),
      ids.length ? h('div.ids', ids.map((i) => identityRow(i, () => location.reload()))) : null),
    tokenForm(() => location.reload()));
    return;
  }
  if (order && order.status !== 'open') {
    body.replaceChildren(h('div.error', { role: 'alert' }, h('b', L('该订单已被领取', 'This order was already claimed')),
      L('一张订单只能开一张发票；领取码已使用。', 'An order yields one invoice; the code is used.')),
    h('a.btn', { href: '/wallet' }, L('查看我的发票', 'Open my wallet')));
    // Still allow trying, so the node's own answer can be seen.
  }

  let kind = 'person';
  const name = h('input', { id: 'buyer-name', placeholder: L('个人姓名', 'Your name'), value: s.name || '' });
  const taxId = h('input', { id: 'buyer-tax-id', placeholder: '91440300…', maxLength: 18, autocapitalize: 'characters', autocomplete: 'off', spellcheck: false });
  const hint = h('div.hint', { id: 'tax-id-hint' });
  const taxBlock = h('div', { hidden: true }, h('label', { htmlFor: 'buyer-tax-id' }, L('纳税人识别号（统一社会信用代码）', 'Taxpayer ID (USCC)')), taxId, hint);
  const segP = h('button', { type: 'button', id: 'kind-person', className: 'on' }, L('个人', 'Person'));
  const segE = h('button', { type: 'button', id: 'kind-enterprise' }, L('单位', 'Enterprise'));
  const setKind = (k) => {
    kind = k; segP.className = k === 'person' ? 'on' : ''; segE.className = k === 'enterprise' ? 'on' : '';
    taxBlock.hidden = k !== 'enterprise';
    if (k === 'enterprise' && name.value === s.name) name.value = '';
    name.placeholder = k === 'person' ? L('个人姓名', 'Your name') : L('单位名称', 'Company name');
  };
  segP.onclick = () => setKind('person'); segE.onclick = () => setKind('enterprise');

  // As they type: a format hint here; the check characters and the registry are the node's.
  let seq = 0;
  taxId.addEventListener('input', async () => {
    taxId.value = taxId.value.toUpperCase().replace(/\s/g, '');
    const v = taxId.value; const mine = ++seq;
    hint.className = 'hint';
    if (!v) { hint.textContent = ''; return; }
    if (!/^[0-9A-HJ-NPQRTUWXY]*$/.test(v)) { hint.className = 'hint bad'; hint.textContent = L('只能包含数字和大写字母（不含 I、O、S、V、Z）', 'Digits and capitals only (no I, O, S, V, Z)'); return; }
    if (v.length < 18) { hint.textContent = L('还需 ', 'Needs ') + (18 - v.length) + L(' 位', ' more characters'); return; }
    hint.textContent = L('正在核验…', 'Checking…');
    const verdict = await checkTaxId(v, order);
    if (mine !== seq) return;
    hint.className = 'hint ' + (verdict.ok ? 'good' : 'bad');
    hint.textContent = verdict.text;
    if (verdict.name && !name.value) name.value = verdict.name;
  });

  const out = h('div', { id: 'claim-result' });
  const btn = h('button.primary.block', { type: 'submit', id: 'claim-submit' }, L('提交并开票', 'Claim the invoice'));
  const form = h('form.card', {
    onsubmit: async (ev) => {
      ev.preventDefault(); out.replaceChildren(); busy(btn, true);
      try {
        const res = await api('POST', '/v1/orders/' + encodeURIComponent(orderId) + '/claim', {
          claim_code: code, kind: 'ordinary',
          buyer: { kind, name: name.value.trim(), tax_id: kind === 'enterprise' ? taxId.value.trim() : '' },
        });
        form.remove();
        out.replaceChildren(res.invoice ? issued(res.invoice) : h('div.success', { id: 'claim-waiting' },
          h('b', L('已领取，等待商户开票', 'Claimed — waiting for the merchant')),
          L('该商户未开通自动开票，发票开具后会出现在“我的发票”。', 'This merchant issues by hand; the invoice will appear in your wallet once issued.')),
        h('a.btn.primary', { href: '/wallet', id: 'to-wallet' }, L('打开我的发票', 'Open my wallet')));
      } catch (e) { busy(btn, false); out.replaceChildren(errorBox(e)); }
    } },
  h('h3', L('发票抬头', 'Invoice title')),
  h('div.seg', segP, segE),
  h('label', { htmlFor: 'buyer-name' }, L('抬头名称', 'Title')), name, taxBlock,
  h('p.small.muted', L('以 ', 'Claiming as ') + s.name + L(' 的身份领取，发票进入其钱包。', '; the invoice goes to this wallet.')),
  btn);
  body.append(form, out);
})();

/** What the node says about a taxpayer ID: check characters (via a preview of this order) and the registry. */
async function checkTaxId(v, order) {
  let registered = null;
  try { registered = await api('GET', '/v1/taxpayers/' + encodeURIComponent(v)); } catch { registered = null; }
  if (order && order.items.length) {
    try {
      await api('POST', '/v1/invoices/preview', {
        seller: order.merchant, kind: 'ordinary', buyer: { kind: 'enterprise', name: 'x', tax_id: v },
        lines: order.items.map((i) => ({ name: i.name, tax_code: i.tax_code, rate: i.rate, gross: i.amount })),
      });
    } catch (e) {
      if ((e.field || '').includes('tax_id') || e.code === 'bad_uscc') return { ok: false, text: e.message };
    }
  }
  if (registered) return { ok: true, name: registered.name, text: L('已登记：', 'Registered: ') + registered.name };
  return { ok: true, text: L('格式与校验位正确（未在链上登记）', 'Format and check characters valid (not registered on chain)') };
}

function issued(inv) {
  return h('section.card', { id: 'issued' },
    h('div.success', h('b', L('发票已开具', 'Your invoice is issued')), L('已存入钱包。', 'It is in your wallet.')),
    h('table', h('tbody',
      h('tr', h('th', L('发票号码', 'Number')), h('td.mono', { id: 'invoice-number' }, inv.number)),
      h('tr', h('th', L('销售方', 'Seller')), h('td', inv.seller.name)),
      h('tr', h('th', L('购买方', 'Buyer')), h('td', inv.buyer.name, inv.buyer.tax_id ? h('div.small.mono', inv.buyer.tax_id) : null)),
      h('tr', h('th', L('价税合计', 'Total')), h('td.money', yuan(inv.total_with_tax), h('div.small.muted', inv.total_with_tax_in_capitals))),
      h('tr', h('th', L('开票日期', 'Date')), h('td', inv.date)))),
    h('div.row', h('button', { type: 'button', onclick: () => openPrint(inv.number) }, L('查看票面', 'View invoice')),
      h('a.btn', { href: verifyLink(inv) }, L('查验', 'Verify'))));
}
