// The enterprise's operating data (企业经营数据): the monthly figures its utility, the
// social-security office and its logistics operator attested, with their commitments and
// corrections, and the package to hand a bank for a loan review — the commitments proven
// against a certified header of this chain and the openings, downloaded as JSON. Reads
// GET /v1/industry/enterprises/{uscc}/operating and …/package.
'use strict';

const METRIC_NAMES = {
  electricity_kwh: ['用电量（千瓦时）', 'Electricity (kWh)'],
  insured_headcount: ['参保人数', 'Insured headcount'],
  logistics_tonnes: ['物流量（吨）', 'Logistics (tonnes)'],
};
const metricLabel = (m) => (METRIC_NAMES[m] ? L(METRIC_NAMES[m][0], METRIC_NAMES[m][1]) : m);

(async function operatingPage() {
  const s = await requireSession(L('企业经营数据', 'Operating data'), ['enterprise.finance', 'industry.attester']);
  if (!s) return;
  const q = new URLSearchParams(location.search);
  await renderOperating(q.get('uscc') || '');
})();

async function renderOperating(uscc) {
  const title = h('h1', L('企业经营数据', 'Operating data'));
  const input = h('input', { name: 'uscc', id: 'o-uscc', value: uscc, placeholder: L('统一社会信用代码', 'Unified social credit code'), maxLength: 18 });
  const show = h('button', { type: 'submit', id: 'o-show' }, L('查看', 'Show'));
  const form = h('form.row', { id: 'uscc-form' }, input, show);
  form.onsubmit = (ev) => { ev.preventDefault(); history.replaceState(null, '', '?uscc=' + encodeURIComponent(input.value.trim())); renderOperating(input.value.trim()); };
  if (!uscc) { mount(title, form); return; }
  mount(title, form, h('p.muted', L('加载中…', 'Loading…')));
  let v;
  try { v = await api('GET', '/v1/industry/enterprises/' + encodeURIComponent(uscc) + '/operating'); } catch (e) { mount(title, form, errorBox(e)); return; }
  const out = h('div');
  const pack = h('button.primary', { type: 'button', id: 'o-package' }, L('生成给银行的数据包', 'Package for a bank'));
  pack.onclick = async () => {
    busy(pack, true); out.replaceChildren();
    try {
      const p = await api('GET', '/v1/industry/enterprises/' + encodeURIComponent(uscc) + '/package');
      busy(pack, false);
      const blob = new Blob([JSON.stringify(p, null, 2)], { type: 'application/json' });
      out.replaceChildren(h('div.card.good',
        L('数据包含 ', 'The package holds ') + p.records.length + L(' 个月的链上承诺证明和 ', ' months of proven commitments and ') + p.openings.length + L(' 项数据的开启值。请线下交给银行。', ' openings. Hand it to the bank off the chain.'),
        h('div', h('a', { href: URL.createObjectURL(blob), download: 'operating-' + uscc + '.json', id: 'o-download' }, L('下载', 'Download')))));
    } catch (e) { busy(pack, false); out.replaceChildren(errorBox(e)); }
  };
  mount(title, form,
    h('div.card', h('b', v.enterprise.name), h('div.small.mono.muted', v.enterprise.uscc)),
    v.months.length ? h('div.card', h('table', { id: 'operating' },
      h('thead', h('tr', h('th', L('月份', 'Month')), h('th', L('指标', 'Metric')), h('th.num', L('数值', 'Value')),
        h('th', L('报送单位', 'Attester')), h('th', L('承诺', 'Commitment')))),
      h('tbody', v.months.flatMap((m) => m.figures.map((f) => h('tr', { 'data-month': m.month, 'data-metric': f.metric },
        h('td', m.month), h('td', metricLabel(f.metric)),
        h('td.num', String(f.value), f.corrections.length ? h('div.small.muted', L('已更正 ', 'corrected ') + f.corrections.length) : null),
        h('td', f.attester), h('td.small.mono', f.commitment.slice(0, 16) + '…')))))))
      : h('div.card.muted', L('还没有报送的数据。', 'Nothing attested yet.')),
    h('div.row', pack), out);
}
