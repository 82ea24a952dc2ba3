// Enterprise reimbursement desk: invoices submitted to this enterprise (accept or
// reject, each checked against the chain), booked invoices, the month's VAT return.
'use strict';

(async function enterprisePage() {
  const s = await requireSession(L('企业报销台', 'Reimbursement desk'), ['enterprise.finance']);
  if (!s) return;
  const title = h('h1', L('企业报销台', 'Reimbursement desk'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let desk;
  try { desk = await api('GET', '/v1/desk'); } catch (e) { mount(title, errorBox(e)); return; }
  const pending = h('div.list', { id: 'submitted' });
  for (const inv of desk.submitted) pending.append(submittedCard(inv));
  const vat = h('div.card', { id: 'vat' }, h('p.muted', L('加载中…', 'Loading…')));
  mount(title, h('p.muted', desk.org + (desk.tax_id ? ' · ' + desk.tax_id : ''),
    desk.tax_id ? [' · ', h('a', { href: '/enterprise/disclose', id: 'disclose-link' }, L('授权银行查看纳税数据', 'Authorise a bank'))] : null),
    h('h2', L('待审核报销', 'Waiting for a decision') + ' (' + desk.submitted.length + ')'),
    desk.submitted.length ? pending : h('div.card.muted', L('没有待审核的发票。', 'Nothing to decide.')),
    h('h2', L('已报销 / 已入账', 'Reimbursed / booked')),
    h('div.card', desk.booked.length ? h('table', { id: 'booked' }, h('thead', h('tr', h('th', L('销售方 / 号码', 'Seller / number')), h('th.num', L('金额', 'Total')), h('th', L('状态', 'Status')))),
      h('tbody', desk.booked.map((i) => h('tr', h('td', i.seller.name, h('div.small.mono.muted', i.number)), h('td.num', i.total_with_tax), h('td', badge(i.status), (i.circulation || {}).booked_at ? ' ' + L('已入账', 'booked') : '')))))
      : h('span.muted', L('暂无。', 'None yet.'))),
    h('h2', L('增值税申报', 'VAT return')), vat);
  if (desk.tax_id) vatReturn(desk.tax_id, vat);
})();

function submittedCard(inv) {
  const check = h('div.small', { className: 'small chain-check' }, L('链上核验中…', 'Checking the chain…'));
  const out = h('div');
  const accept = h('button.ok', { type: 'button', className: 'ok accept' }, L('同意报销', 'Accept'));
  const reject = h('button', { type: 'button', className: 'reject' }, L('退回', 'Reject'));
  const el = h('div.card', { 'data-number': inv.number },
    h('div.row.between', h('b', inv.seller.name), badge(inv.status)),
    h('div.row.between', h('span.amount', yuan(inv.total_with_tax)), h('span.small.muted', inv.date)),
    h('div.small.muted', L('抬头：', 'Title: ') + inv.buyer.name + (inv.buyer.tax_id ? ' · ' + inv.buyer.tax_id : '')),
    h('div.small.mono.muted', inv.number), check,
    h('div.row', { style: 'margin-top:8px' }, accept, reject,
      h('button', { type: 'button', onclick: () => openPrint(inv.number) }, L('票面', 'View'))), out);
  // Genuine (public verification by number, date and total) and not reimbursed
  // anywhere (the chain's circulation record of this very invoice).
  api('GET', verifyLink(inv).replace('/verify', '/v1/verify')).then((v) => {
    const c = inv.circulation || {};
    const ok = v.genuine && !c.reimbursed_at && inv.status === 'submitted' && !v.flagged;
    check.replaceChildren(h('span.badge.' + (ok ? 'good' : 'bad'), ok ? L('链上验真：真票 · 未在任何单位报销', 'On chain: genuine · not reimbursed anywhere')
      : (v.genuine ? L('真票，但状态：', 'Genuine, but status: ') + statusText(v.status) + (v.flagged ? L(' · 被税务标记', ' · flagged') : '') : L('链上查无此票', 'Not found on chain'))),
    h('span.muted', ' ' + L('区块高度 ', 'height ') + v.height));
  }).catch((e) => check.replaceChildren(errorBox(e)));
  accept.onclick = async () => {
    busy(accept, true); out.replaceChildren();
    try {
      await api('POST', '/v1/invoices/' + inv.number + '/reimburse');
      el.replaceChildren(h('div.success', { className: 'success accepted' }, h('b', L('已同意报销', 'Accepted')), inv.seller.name + ' · ' + yuan(inv.total_with_tax) + ' · ' + inv.number));
    } catch (e) { busy(accept, false); out.replaceChildren(errorBox(e)); }
  };
  reject.onclick = () => {
    const reason = h('input', { placeholder: L('退回原因', 'Reason') });
    const go = h('button.primary', { type: 'submit' }, L('确认退回', 'Reject'));
    out.replaceChildren(h('form', {
      onsubmit: async (ev) => {
        ev.preventDefault(); busy(go, true);
        try {
          await api('POST', '/v1/invoices/' + inv.number + '/reject', { reason: reason.value.trim() || L('不符合报销规定', 'not reimbursable') });
          el.replaceChildren(h('div.error', h('b', L('已退回', 'Rejected')), inv.number));
        } catch (e) { busy(go, false); out.append(errorBox(e)); }
      } }, h('div.row', h('div.grow', reason), go)));
  };
  return el;
}

async function vatReturn(uscc, box) {
  const { current, previous } = months();
  const rows = [];
  for (const m of [current, previous]) {
    try { rows.push([m, await api('GET', '/v1/taxpayers/' + uscc + '/vat-returns/' + m)]); } catch (e) { rows.push([m, e]); }
  }
  box.replaceChildren(h('table', h('thead', h('tr', h('th', L('月份', 'Month')), h('th.num', L('销项', 'Output')), h('th.num', L('进项', 'Input')), h('th.num', L('应纳', 'Payable')), h('th', ''))),
    h('tbody', rows.map(([m, r]) => {
      if (r instanceof Error) return h('tr', h('td', m), h('td', { colSpan: 4 }, r.message));
      const cell = h('td');
      if (r.filed_at) cell.append(h('span.badge.good', L('已申报', 'filed')));
      else {
        const b = h('button', { type: 'button', className: 'file-vat' }, L('申报', 'File'));
        b.onclick = async () => {
          busy(b, true);
          try { await api('POST', '/v1/taxpayers/' + uscc + '/vat-returns/' + m); cell.replaceChildren(h('span.badge.good', L('已申报', 'filed'))); }
          catch (e) { busy(b, false); cell.append(errorBox(e)); }
        };
        cell.append(b);
      }
      return h('tr', h('td', m), h('td.num', r.output_tax), h('td.num', r.input_tax), h('td.num', r.payable), cell);
    }))), h('p.small.muted', L('只能申报已结束的月份；数字由链上发票计算。', 'Only a closed month can be filed; the figures are computed on chain from the invoices.')));
}
