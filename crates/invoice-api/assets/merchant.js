// Merchant console: orders waiting, issuing with live totals and discount lines (the node
// computes them via POST /v1/invoices/preview; the browser never computes tax), red-letter forms, credit
// used this month, automatic issuing on/off. A payment platform records orders here.
'use strict';

(async function merchantPage() {
  const ses = await requireSession(L('商户工作台', 'Merchant console'), ['merchant.issuer', 'platform.payments']);
  if (!ses) return;
  const title = h('h1', L('商户工作台', 'Merchant console'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let desk;
  try { desk = await api('GET', '/v1/desk'); } catch (e) { mount(title, errorBox(e)); return; }
  const parts = [title, h('p.muted', desk.org + (desk.tax_id ? ' · ' + desk.tax_id : ''))];
  if (desk.roles.includes('platform.payments')) parts.push(recordOrder());
  if (desk.credit) {
    const c = desk.credit, cap = Number(c.monthly_ceiling) + Number(c.extra);
    const pct = cap > 0 ? Math.min(100, (100 * Number(c.used)) / cap) : 0;
    parts.push(h('div.card', { id: 'credit' }, h('div.row.between', h('h3', L('本月授信', 'Credit this month') + ' ' + c.month), h('span.money', c.used + ' / ' + cap.toFixed(2))),
      h('div.meter', h('span', { style: 'width:' + pct.toFixed(1) + '%' }))));
  }
  if (desk.roles.includes('merchant.issuer')) {
    parts.push(autoIssue(desk));
    parts.push(h('h2', L('待开票订单', 'Claims waiting') + ' (' + desk.orders_waiting.length + ')'),
      desk.orders_waiting.length ? h('div.list', desk.orders_waiting.map(orderCard)) : h('div.card.muted', L('没有等待开票的订单。', 'No claims waiting.')));
    parts.push(h('h2', L('开具发票', 'Issue an invoice')), issueForm(desk));
    parts.push(h('h2', L('红字确认单', 'Red-letter forms')), redForms(desk));
    parts.push(h('h2', L('最近开具', 'Recently issued')), issuedList(desk));
  }
  mount(parts);
})();

function autoIssue(desk) {
  const a = desk.auto_issue || { platform_org: 'wechat-pay', enabled: false };
  const sw = h('button', { type: 'button', className: 'switch' + (a.enabled ? ' on' : ''), 'aria-pressed': String(a.enabled), id: 'auto-issue' });
  const out = h('div');
  sw.onclick = async () => {
    sw.disabled = true; out.replaceChildren();
    try {
      await api('POST', '/v1/taxpayers/' + desk.tax_id + '/auto-issue', { platform_org: a.platform_org, enabled: !a.enabled });
      a.enabled = !a.enabled; sw.className = 'switch' + (a.enabled ? ' on' : ''); sw.setAttribute('aria-pressed', String(a.enabled));
    } catch (e) { out.replaceChildren(errorBox(e)); }
    sw.disabled = false;
  };
  return h('div.card', h('div.row.between', h('div', h('h3', L('交易即开票（自动开票）', 'Issue on claim (automatic)')),
    h('div.small.muted', L('授权平台 ', 'Platform ') + a.platform_org + L(' 在消费者领取时代为开票', ' issues when a consumer claims'))), sw), out);
}

function orderCard(o) {
  const out = h('div');
  const btn = h('button.primary', { type: 'button' }, L('开票', 'Issue'));
  btn.onclick = async () => {
    busy(btn, true);
    try { const r = await api('POST', '/v1/orders/' + o.order_id + '/issue'); out.replaceChildren(h('div.success', L('已开具 ', 'Issued ') + (r.invoice ? r.invoice.number : ''))); btn.remove(); }
    catch (e) { busy(btn, false); out.replaceChildren(errorBox(e)); }
  };
  return h('div.card', h('div.row.between', h('span.money', yuan(o.amount)), btn),
    h('div.small.muted', o.items.map((i) => (i.name || i.sku) + ' ' + i.amount).join('；')), h('div.small.mono.muted', o.order_id), out);
}

/** A line of the issue form. A discount line (折扣行, `init.discount`) follows the line
 * it discounts with the same name, code and rate (copied, read-only) and a negative
 * amount incl. tax; the node refuses one that does not follow its line or exceeds it. */
function lineRow(onchange, init) {
  const f = (ph, v, cls) => h('input', { placeholder: ph, value: v || '', className: cls, oninput: onchange, readOnly: !!init.discount && cls !== 'l-gross' });
  const remove = h('button.link', { type: 'button', onclick: () => {
    const next = row.nextElementSibling;
    if (!init.discount && next && next.dataset.discount) next.remove();
    row.remove(); onchange();
  } }, L('删除此行', 'Remove'));
  const discountBtn = init.discount ? null : h('button.link.add-discount', { type: 'button', onclick: () => {
    const next = row.nextElementSibling;
    if (next && next.dataset.discount) { next.querySelector('.l-gross').focus(); return; }
    const d = lineRow(onchange, { discount: true, name: row.querySelector('.l-name').value, tax_code: row.querySelector('.l-code').value,
      rate: row.querySelector('.l-rate').value, gross: '' });
    row.after(d); d.querySelector('.l-gross').focus();
  } }, L('+ 折扣', '+ Discount'));
  const row = h('div.line' + (init.discount ? '.discount' : ''),
    init.discount ? h('div.small.muted', L('折扣行（负数，含税）', 'Discount line (negative, incl. tax)')) : null,
    f(L('*类别*名称', '*category*name'), init.name, 'l-name'),
    h('div.grid2', f(L('税收分类编码（19位）', 'Tax code (19 digits)'), init.tax_code, 'l-code'), f(L('税率', 'Rate'), init.rate, 'l-rate')),
    h('div.grid2', f(init.discount ? L('折扣金额（含税，负数）', 'Discount incl. tax (negative)') : L('含税金额', 'Amount incl. tax'), init.gross, 'l-gross'),
      h('div.row', discountBtn, remove)));
  if (init.discount) row.dataset.discount = '1';
  return row;
}

function issueForm(desk) {
  const lines = h('div.lines');
  const totals = h('div.totals', { id: 'preview' }, h('span.muted.small', L('填写后由节点计算税额与合计', 'The node computes tax and totals as you type')));
  const bName = h('input', { placeholder: L('购买方名称', 'Buyer name'), value: L('个人', 'Individual') });
  const bTax = h('input', { placeholder: L('购买方纳税人识别号（个人可空）', 'Buyer taxpayer ID (empty for a person)'), maxLength: 18 });
  const kind = h('select', h('option', { value: 'ordinary' }, L('普通发票', 'Ordinary')), h('option', { value: 'special' }, L('专用发票', 'Special')));
  const out = h('div');
  let timer;
  const body = () => ({
    seller: desk.tax_id, kind: kind.value,
    buyer: { name: bName.value.trim(), tax_id: bTax.value.trim().toUpperCase(), kind: bTax.value.trim() ? 'enterprise' : 'person' },
    lines: [...lines.querySelectorAll('.line')].map((r) => ({ name: r.querySelector('.l-name').value.trim(), tax_code: r.querySelector('.l-code').value.trim(),
      rate: r.querySelector('.l-rate').value.trim(), gross: r.querySelector('.l-gross').value.trim() || undefined, discount: !!r.dataset.discount })),
  });
  const preview = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const p = await api('POST', '/v1/invoices/preview', body());
        totals.replaceChildren(h('table', h('tbody', p.lines.map((l) => h('tr', { className: l.discount ? 'discount' : '' }, h('td', l.name, l.discount ? h('span.small.muted', L('（折扣）', ' (discount)')) : null), h('td.num', l.amount), h('td.num', l.rate), h('td.num', l.tax))),
          h('tr', h('th', L('合计', 'Total')), h('td.num', p.total_amount), h('td'), h('td.num', p.total_tax)))),
        h('div.row.between', h('b', L('价税合计', 'Total with tax')), h('b.money', yuan(p.total_with_tax))), h('div.small.muted', p.total_with_tax_in_capitals));
      } catch (e) { totals.replaceChildren(errorBox(e)); }
    }, 350);
  };
  for (const el of [bName, bTax, kind]) el.addEventListener('input', preview);
  lines.append(lineRow(preview, { name: '*餐饮服务*餐费', tax_code: '3070401000000000000', rate: '0.06', gross: '100.00' }));
  const btn = h('button.primary', { type: 'submit' }, L('开具', 'Issue'));
  setTimeout(preview, 0);
  return h('form.card', { onsubmit: async (ev) => {
    ev.preventDefault(); busy(btn, true); out.replaceChildren();
    try { const r = await api('POST', '/v1/invoices', body()); out.replaceChildren(h('div.success', L('已开具 ', 'Issued ') + r.invoice.number)); }
    catch (e) { out.replaceChildren(errorBox(e)); }
    busy(btn, false);
  } }, h('div.grid2', h('div', h('label', L('购买方', 'Buyer')), bName), h('div', h('label', L('种类', 'Kind')), kind)), bTax,
  lines, h('button.link', { type: 'button', onclick: () => { lines.append(lineRow(preview, {})); } }, L('+ 添加一行', '+ Add a line')),
  totals, h('div.row', { style: 'margin-top:8px' }, btn), out);
}

function redForms(desk) {
  if (!desk.red_forms.length) return h('div.card.muted', L('没有待处理的红字确认单。', 'No open forms.'));
  return h('div.list', desk.red_forms.map((f) => {
    const out = h('div');
    // A form the buyer confirmed awaits this seller's red invoice; until it is issued the
    // seller may still withdraw it (作废（确认后撤销）). An issued red invoice stands.
    const acts = f.mine_to_issue ? ['issue', 'withdraw'] : f.mine_to_answer ? ['confirm', 'refuse'] : ['withdraw'];
    return h('div.card', { 'data-form': f.id }, h('div.row.between', h('span.mono', f.blue_number), h('span.badge.submitted', statusText(f.status))),
      h('div.small.muted', L('原因 ', 'reason ') + f.reason + ' · ' + f.raised_at),
      h('div.row', acts.map((a) => {
        const b = h('button', { type: 'button', className: (a === 'confirm' || a === 'issue' ? 'ok ' : '') + 'form-' + a },
          { confirm: L('确认', 'Confirm'), refuse: L('拒绝', 'Refuse'), withdraw: L('撤回', 'Withdraw'), issue: L('开具红字发票', 'Issue the red invoice') }[a]);
        b.onclick = async () => {
          busy(b, true);
          try {
            const r = await api('POST', '/v1/red-letter/' + f.id + '/' + a, a === 'refuse' ? { reason: L('信息不符', 'does not match') } : undefined);
            out.replaceChildren(h('div.success', statusText(r.status) + (r.red_invoice ? ' · ' + L('红字发票 ', 'red invoice ') + r.red_invoice.number : '')));
          }
          catch (e) { busy(b, false); out.replaceChildren(errorBox(e)); }
        };
        return b;
      })), out);
  }));
}

function issuedList(desk) {
  if (!desk.issued.length) return h('div.card.muted', L('暂无。', 'None yet.'));
  return h('div.card', h('table', h('tbody', desk.issued.slice(0, 15).map((i) => {
    const cell = h('td');
    if (i.status === 'issued' && !i.red_of) {
      const b = h('button.link', { type: 'button' }, L('红冲', 'Reverse'));
      b.onclick = async () => {
        if (!confirm(L('全额红冲此发票？', 'Reverse this invoice in full?'))) return;
        busy(b, true);
        try { const r = await api('POST', '/v1/red-letter', { blue_number: i.number, reason: '01', lines: [] }); cell.replaceChildren(h('span.badge', r.status)); }
        catch (e) { busy(b, false); cell.append(errorBox(e)); }
      };
      cell.append(b);
    }
    return h('tr', h('td', i.buyer.name, h('div.small.mono.muted', i.number)), h('td.num', i.total_with_tax), h('td', badge(i.status)), cell);
  }))));
}

function recordOrder() {
  const merchant = h('select', h('option', { value: '91440300555012347H' }, L('老街餐厅', 'Old street restaurant')), h('option', { value: '914403002796543264' }, L('深圳地铁', 'Shenzhen metro')));
  const amount = h('input', { value: '66.00', inputMode: 'decimal' });
  const sku = h('input', { value: 'LUNCH' });
  const out = h('div');
  const btn = h('button.primary', { type: 'submit' }, L('记录订单', 'Record order'));
  return h('form.card', { onsubmit: async (ev) => {
    ev.preventDefault(); busy(btn, true); out.replaceChildren();
    try {
      const r = await api('POST', '/v1/orders', { merchant: merchant.value, amount: amount.value, items: [{ sku: sku.value, amount: amount.value }] });
      const link = '/claim/' + r.order_id + '?code=' + r.claim_code;
      const url = location.origin + link;
      out.replaceChildren(h('div.success', L('小票二维码（扫码开票）：', 'Receipt QR code (scan to claim): '),
        h('div', h('img', { src: '/qr.svg?text=' + encodeURIComponent(url), alt: 'QR', width: 160, height: 160, id: 'claim-qr' })),
        h('a.mono', { href: link, id: 'claim-link' }, url)));
    } catch (e) { out.replaceChildren(errorBox(e)); }
    busy(btn, false);
  } }, h('h3', L('支付平台：记录一笔付款', 'Payment platform: record a payment')),
  h('div.grid2', h('div', h('label', L('商户', 'Merchant')), merchant), h('div', h('label', L('金额', 'Amount')), amount)),
  h('label', 'SKU'), sku, h('div.row', { style: 'margin-top:8px' }, btn), out);
}
