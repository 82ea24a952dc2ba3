// Wallet: the invoices the signed-in account holds (GET /v1/wallet), the printable
// view, submission to an employer and the reimbursement outcome.
'use strict';

(async function walletPage() {
  const s = await requireSession(L('我的发票', 'My invoices'), ['consumer']);
  if (!s) return;
  mount(h('h1', L('我的发票', 'My invoices')), h('p.muted', L('加载中…', 'Loading…')));
  let list;
  try { list = await api('GET', '/v1/wallet'); } catch (e) { mount(h('h1', L('我的发票', 'My invoices')), errorBox(e)); return; }
  list = list.slice().reverse();
  const count = h('p.muted', L('共 ', '') + list.length + L(' 张', ' invoices'));
  mount(h('h1', L('我的发票', 'My invoices')), count,
    list.length ? h('div.list', { id: 'wallet' }, list.map(card)) : h('div.card.muted', L('还没有发票。扫描小票二维码即可领取。', 'No invoices yet. Scan a receipt\'s QR code to claim one.')));
})();

function card(inv) {
  const c = inv.circulation || {};
  const out = h('div');
  const el = h('div.card', { 'data-number': inv.number },
    h('div.row.between', h('b', inv.seller.name), badge(inv.status)),
    h('div.row.between', h('span.amount', yuan(inv.total_with_tax)), h('span.small.muted', inv.date)),
    h('div.small.muted', L('抬头：', 'Title: ') + inv.buyer.name + (inv.buyer.tax_id ? ' · ' + inv.buyer.tax_id : '')),
    h('div.small.mono.muted', inv.number),
    c.enterprise ? h('div.small', L('报销单位：', 'Submitted to: ') + c.enterprise +
      (c.reimbursed_at ? L('（已报销，区块 ', ' (reimbursed at block ') + c.reimbursed_at + L('）', ')') : '')) : null,
    c.last_rejection && inv.status === 'issued' ? h('div.small', { style: 'color:#8a0c20' }, L('被退回：', 'Rejected: ') + c.last_rejection) : null,
    h('div.row', { style: 'margin-top:8px' },
      h('button', { type: 'button', className: 'print', onclick: () => openPrint(inv.number) }, L('查看票面', 'View')),
      h('a.btn', { href: verifyLink(inv) }, L('查验', 'Verify')),
      inv.status === 'issued' && !inv.red_of ? h('button.primary', { type: 'button', className: 'primary submit', onclick: () => submitForm(inv, out) }, L('提交报销', 'Submit for reimbursement')) : null),
    out);
  return el;
}

function submitForm(inv, out) {
  const ent = h('input', { className: 'enterprise', placeholder: L('单位纳税人识别号', 'Employer\'s taxpayer ID'), value: inv.buyer.tax_id || '', maxLength: 18 });
  const res = h('div');
  const btn = h('button.primary', { type: 'submit', className: 'primary confirm-submit' }, L('确认提交', 'Submit'));
  out.replaceChildren(h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault(); res.replaceChildren(); busy(btn, true);
      try {
        const r = await api('POST', '/v1/invoices/' + inv.number + '/submit', { enterprise: ent.value.trim().toUpperCase() });
        const fresh = card(r.invoice || { ...inv, status: 'submitted' });
        out.closest('.card').replaceWith(fresh);
      } catch (e) { busy(btn, false); res.replaceChildren(errorBox(e)); }
    } }, h('label', L('提交给单位（统一社会信用代码）', 'Submit to (employer USCC)')), h('div.row', h('div.grow', ent), btn), res));
}
