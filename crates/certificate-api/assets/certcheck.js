// The public check of a tax certificate (完税证明查验): number and plate together, no
// sign-in. The node answers genuine or not and, for a genuine one, the tax year, the
// masked owner, the amount, the insurer and the status — nothing more.
'use strict';

(function certCheckPage() {
  const q = new URLSearchParams(location.search);
  const number = h('input', { id: 'number', inputMode: 'numeric', maxLength: 12, placeholder: '202600000001', value: q.get('number') || '', autocomplete: 'off' });
  const plate = h('input', { id: 'plate', maxLength: 10, placeholder: '粤B12345', value: q.get('plate') || '', autocomplete: 'off' });
  const out = h('div', { id: 'result' });
  const btn = h('button.primary', { type: 'submit' }, L('查验', 'Check'));
  async function run() {
    out.replaceChildren(); busy(btn, true);
    try {
      const n = number.value.trim(), p = plate.value.trim().toUpperCase();
      const r = await api('GET', '/v1/certificates/' + encodeURIComponent(n) + '/check?plate=' + encodeURIComponent(p));
      history.replaceState(null, '', '?number=' + encodeURIComponent(n) + '&plate=' + encodeURIComponent(p));
      out.replaceChildren(result(r));
    } catch (e) { out.replaceChildren(errorBox(e)); }
    busy(btn, false);
  }
  mount(h('h1', L('完税证明查验', 'Check a tax certificate')),
    h('p.small.muted', L('输入车船税完税证明号码和车牌号码，查验证明是否真实有效。无需登录。',
      'Enter the certificate number and the plate to check a vehicle-tax certificate. No sign-in needed.')),
    h('form.card', { onsubmit: (ev) => { ev.preventDefault(); run(); } },
      h('label', { for: 'number' }, L('证明号码（12 位）', 'Certificate number (12 digits)')), number,
      h('label', { for: 'plate' }, L('车牌号码', 'Plate')), plate,
      h('div.row', { style: 'margin-top:10px' }, btn)),
    out);
  if (number.value && plate.value) run();
})();

function result(r) {
  if (!r.genuine) {
    return h('div.card.verdict.bad', { 'data-genuine': 'false' }, h('h3', L('✗ 未查到该证明', '✗ No such certificate')),
      h('p.small.muted', L('号码与车牌不匹配，或证明不存在。', 'The number and plate do not match, or there is no such certificate.')));
  }
  const row = (k, v) => h('tr', h('th', k), h('td', v));
  return h('div.card.verdict.good', { 'data-genuine': 'true' },
    h('div.row.between', h('h3', L('✓ 证明真实', '✓ Genuine')), h('span.badge.' + (r.status === 'valid' ? 'good' : 'bad'), { id: 'cert-status' }, L(r.label_zh, r.label_en))),
    h('table', row(L('证明号码', 'Number'), h('span.mono', r.number)), row(L('税款所属期', 'Tax year'), r.tax_year),
      row(L('纳税人', 'Owner'), r.owner_masked), row(L('金额', 'Amount'), h('span.money', yuan(r.amount))),
      row(L('代收机构', 'Collected by'), r.insurer)),
    h('p.small.muted', L('查验时区块高度 ', 'Checked at block ') + r.height));
}
