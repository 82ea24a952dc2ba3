// Authorise a bank (issue 18): the enterprise grants a bank of another chain (its
// organisation id there) the chosen fields of its tax summary for a purpose until an
// expiry; lists its grants with revoke; downloads a grant's package (the proofs and
// the openings, a JSON file handed to the bank off the chain).
'use strict';

const FIELDS = [
  ['sales', ['月销售额', 'Monthly sales']],
  ['vat_paid', ['月缴增值税', 'VAT paid']],
  ['on_time', ['按期申报', 'Filed on time']],
  ['status', ['纳税人状态', 'Taxpayer status']],
];

(async function disclosePage() {
  const s = await requireSession(L('授权银行查看纳税数据', 'Authorise a bank'), ['enterprise.finance']);
  if (!s) return;
  const title = h('h1', L('授权银行查看纳税数据', 'Authorise a bank'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let desk;
  try { desk = await api('GET', '/v1/desk'); } catch (e) { mount(title, errorBox(e)); return; }
  if (!desk.tax_id) { mount(title, h('div.card.muted', L('本单位不是纳税人。', 'This organisation is no taxpayer.'))); return; }
  const summary = h('div.card', { id: 'summary' }, h('p.muted', L('加载中…', 'Loading…')));
  const grants = h('div.list', { id: 'grants' });
  mount(title,
    h('p.muted', desk.org + ' · ' + desk.tax_id + ' · ' + L('数据不上传至对方链：您把选中字段及其盐值直接交给银行，银行节点对照税务链上的承诺核验。',
      'Nothing goes to the other chain in clear: you hand the chosen fields and their salts to the bank, whose node checks them against the commitments of the tax chain.')),
    h('h2', L('新授权', 'New authorisation')), grantForm(desk.tax_id, grants),
    h('h2', L('我的授权', 'My authorisations')), grants,
    h('h2', L('近 12 个月纳税摘要', 'Tax summary, last 12 months')), summary);
  loadGrants(grants);
  loadSummary(desk.tax_id, summary);
})();

function lastEndedMonths(n) {
  const { previous } = months();
  let [y, m] = previous.split('-').map(Number);
  const out = [];
  for (let i = 0; i < n; i++) {
    out.unshift(y + '-' + String(m).padStart(2, '0'));
    m -= 1; if (m === 0) { m = 12; y -= 1; }
  }
  return out;
}

function grantForm(uscc, grants) {
  const bank = h('input', { id: 'bank', required: true, placeholder: 'icbc-sz', pattern: '[a-z0-9\\-]{1,64}' });
  const chain = h('input', { id: 'chain', required: true, value: 'fapiao-finance' });
  const purpose = h('input', { id: 'purpose', required: true, maxLength: 200, value: L('流动资金贷款', 'working-capital loan') });
  const boxes = FIELDS.map(([f, t]) => h('label', h('input', { type: 'checkbox', name: 'field', value: f, checked: true }), ' ' + L(t[0], t[1])));
  const ended = lastEndedMonths(12);
  const first = h('input', { id: 'first', type: 'month', value: ended[0], max: ended[11] });
  const last = h('input', { id: 'last', type: 'month', value: ended[11], max: ended[11] });
  const expiry = h('input', { id: 'expiry', type: 'date', value: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) });
  const go = h('button.primary', { type: 'submit', id: 'authorise' }, L('授权', 'Authorise'));
  const out = h('div');
  const form = h('form.card', {
    onsubmit: async (ev) => {
      ev.preventDefault(); busy(go, true); out.replaceChildren();
      const fields = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      const body = {
        uscc, chain_id: chain.value.trim(), bank: bank.value.trim(), purpose: purpose.value.trim(), fields,
        first_month: first.value, last_month: last.value,
        // End of the chosen day, China time.
        expires_ms: Date.parse(expiry.value + 'T23:59:59+08:00'),
      };
      try {
        const r = await api('POST', '/v1/disclosures', body);
        out.replaceChildren(h('div.success', h('b', L('已授权', 'Authorised')), ' ', h('span.mono.small', r.id)));
        loadGrants(grants);
      } catch (e) { out.replaceChildren(errorBox(e)); }
      busy(go, false);
    } },
    h('label', L('银行（对方链上的机构编号）', 'Bank (its organisation id on that chain)'), bank),
    h('label', L('接收链', 'Receiving chain'), chain),
    h('label', L('用途', 'Purpose'), purpose),
    h('fieldset', h('legend', L('授权字段', 'Fields')), boxes),
    h('div.row', h('label.grow', L('起始月份', 'First month'), first), h('label.grow', L('截止月份', 'Last month'), last)),
    h('label', L('授权有效期至', 'Valid until'), expiry),
    h('div.row', go), out);
  return form;
}

async function loadGrants(box) {
  let list;
  try { list = await api('GET', '/v1/disclosures'); } catch (e) { box.replaceChildren(errorBox(e)); return; }
  if (!list.length) { box.replaceChildren(h('div.card.muted', L('尚无授权。', 'No authorisation yet.'))); return; }
  box.replaceChildren(...list.map((g) => grantCard(g, box)));
}

function grantCard(g, box) {
  const out = h('div');
  const state = g.revoked_at ? L('已撤销', 'revoked') : (g.in_force ? L('有效', 'in force') : L('已过期', 'expired'));
  const revoke = h('button', { type: 'button', className: 'revoke', disabled: !g.in_force }, L('撤销', 'Revoke'));
  const download = h('button.primary', { type: 'button', className: 'primary download', disabled: !g.in_force }, L('下载数据包', 'Download package'));
  revoke.onclick = async () => {
    busy(revoke, true);
    try { await api('POST', '/v1/disclosures/' + g.id + '/revoke'); loadGrants(box); } catch (e) { busy(revoke, false); out.replaceChildren(errorBox(e)); }
  };
  download.onclick = async () => {
    busy(download, true); out.replaceChildren();
    try {
      const p = await api('GET', '/v1/disclosures/' + g.id + '/package');
      const blob = new Blob([JSON.stringify(p, null, 2)], { type: 'application/json' });
      const a = h('a', { href: URL.createObjectURL(blob), download: 'disclosure-' + g.id.slice(0, 12) + '.json' });
      document.body.append(a); a.click(); a.remove();
      out.replaceChildren(h('div.success', L('数据包含 ', 'The package holds ') + (1 + p.records.length) + L(' 个证明、', ' proofs and ') + p.openings.length + L(' 个字段开启值（高度 ', ' openings (height ') + p.grant.height + ')'));
    } catch (e) { out.replaceChildren(errorBox(e)); }
    busy(download, false);
  };
  return h('div.card', { 'data-grant': g.id },
    h('div.row.between', h('b', g.bank + ' @ ' + g.chain_id), h('span.badge.' + (g.in_force ? 'good' : 'bad'), state)),
    h('div.small', g.purpose),
    h('div.small.muted', g.fields.map((f) => { const t = FIELDS.find(([n]) => n === f); return t ? L(t[1][0], t[1][1]) : f; }).join(' · ')
      + ' · ' + g.first_month + ' – ' + g.last_month
      + ' · ' + L('至 ', 'until ') + new Date(g.expires_ms + 8 * 3600e3).toISOString().slice(0, 10)),
    h('div.small.mono.muted', g.id),
    h('div.row', { style: 'margin-top:8px' }, download, revoke), out);
}

async function loadSummary(uscc, box) {
  let s;
  try { s = await api('GET', '/v1/tax-summary/' + uscc); } catch (e) { box.replaceChildren(errorBox(e)); return; }
  const fen = (f) => (f / 100).toFixed(2);
  box.replaceChildren(
    s.enabled ? null : h('p.muted', L('本链未启用纳税摘要承诺。', 'This chain keeps no committed tax summary.')),
    h('p.small.muted', L('纳税人状态：', 'Taxpayer status: ') + s.status.value),
    h('table', { id: 'summary-table' }, h('thead', h('tr', h('th', L('月份', 'Month')), h('th.num', L('销售额', 'Sales')), h('th.num', L('缴纳增值税', 'VAT paid')), h('th', L('按期', 'On time')), h('th', L('链上承诺', 'Commitment')))),
      h('tbody', s.months.map((m) => h('tr', h('td', m.month), h('td.num', yuan(fen(m.sales))), h('td.num', yuan(fen(m.vat_paid))),
        h('td', m.on_time ? '✓' : ''), h('td.small.mono.muted', m.commitments ? m.commitments.sales.slice(0, 12) + '…' : L('无记录', 'no record')))))));
}
