// The attesters' page (经营数据报送): a utility, the social-security office, a logistics
// operator or the park operator records an enterprise's figure for an ended month, or
// corrects its own figure with a reason; the park operator also registers the park's
// enterprises. Posts to /v1/industry/actions; lists the attester's own figures for an
// enterprise from GET /v1/industry/enterprises/{uscc}/operating.
'use strict';

const METRICS = {
  electricity_kwh: ['用电量（千瓦时）', 'Electricity (kWh)'],
  insured_headcount: ['参保人数', 'Insured headcount'],
  logistics_tonnes: ['物流量（吨）', 'Logistics (tonnes)'],
};
const metricName = (m) => (METRICS[m] ? L(METRICS[m][0], METRICS[m][1]) : m);

function lastMonth() {
  const d = new Date();
  d.setDate(1); d.setMonth(d.getMonth() - 1);
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0');
}

(async function attestPage() {
  const s = await requireSession(L('经营数据报送', 'Attest operating data'), ['industry.attester']);
  if (!s) return;
  renderAttest();
})();

function renderAttest(note) {
  const title = h('h1', L('经营数据报送', 'Attest operating data'));
  const uscc = h('input', { name: 'uscc', id: 'a-uscc', placeholder: L('统一社会信用代码', 'Unified social credit code'), maxLength: 18 });
  const kind = h('select', { name: 'action', id: 'a-action' },
    h('option', { value: 'attest' }, L('报送月度数据', 'Attest a month')),
    h('option', { value: 'correct' }, L('更正已报数据', 'Correct a figure')),
    h('option', { value: 'register_enterprise' }, L('登记园区企业（园区运营方）', 'Register an enterprise (park operator)')));
  const month = h('input', { name: 'month', id: 'a-month', type: 'month', value: lastMonth() });
  const metric = h('select', { name: 'metric', id: 'a-metric' },
    Object.keys(METRICS).map((m) => h('option', { value: m }, metricName(m))));
  const value = h('input', { name: 'value', id: 'a-value', inputMode: 'numeric', placeholder: L('数值（非负整数）', 'Value (a non-negative integer)') });
  const reason = h('input', { name: 'reason', id: 'a-reason', placeholder: L('更正原因', 'Reason for the correction') });
  const name = h('input', { name: 'name', id: 'a-name', placeholder: L('企业名称', 'Enterprise name') });
  const out = h('div');
  const go = h('button.primary', { type: 'submit', id: 'a-submit' }, L('提交', 'Submit'));
  const figures = h('div', { id: 'figures' });
  const sync = () => {
    const k = kind.value;
    month.hidden = metric.hidden = value.hidden = k === 'register_enterprise';
    reason.hidden = k !== 'correct';
    name.hidden = k !== 'register_enterprise';
  };
  kind.onchange = sync; sync();
  const form = h('form.card', { id: 'attest-form' }, kind, uscc, name, month, metric, value, reason, h('div.row', go), out);
  form.onsubmit = async (ev) => {
    ev.preventDefault(); busy(go, true); out.replaceChildren();
    const k = kind.value;
    const body = { action: k, uscc: uscc.value.trim() };
    if (k === 'register_enterprise') body.name = name.value.trim();
    else {
      body.month = month.value; body.metric = metric.value;
      if (!/^\d+$/.test(value.value.trim())) { busy(go, false); out.replaceChildren(h('div.card.bad', L('数值须为非负整数', 'The value must be a non-negative integer'))); return; }
      body.value = Number(value.value.trim());
      if (k === 'correct') body.reason = reason.value.trim();
    }
    try {
      const done = await api('POST', '/v1/industry/actions', body);
      busy(go, false);
      out.replaceChildren(h('div.card.good', L('已上链，区块 ', 'Recorded in block ') + done.height));
      await showFigures(body.uscc, figures);
    } catch (e) { busy(go, false); out.replaceChildren(errorBox(e)); }
  };
  uscc.onchange = () => showFigures(uscc.value.trim(), figures);
  mount(title,
    h('p.small.muted', L('数值以明文保存在私有记录中，链上另存其加盐承诺；只有企业本人、园区运营方和报送单位能看到明文。',
      'The figure is kept in a private record; the chain also keeps its salted commitment. Only the enterprise, the park operator and the attester read it in clear.')),
    note ? h('div.card.good', note) : null, form,
    h('h2', L('本单位报送的数据', 'Figures we attested')), figures);
}

async function showFigures(uscc, box) {
  if (!/^[0-9A-Z]{18}$/.test(uscc)) { box.replaceChildren(); return; }
  try {
    const v = await api('GET', '/v1/industry/enterprises/' + uscc + '/operating');
    box.replaceChildren(h('div.card', h('b', v.enterprise.name), h('table', { id: 'attested' },
      h('thead', h('tr', h('th', L('月份', 'Month')), h('th', L('指标', 'Metric')), h('th.num', L('数值', 'Value')), h('th', L('更正', 'Corrections')))),
      h('tbody', v.months.flatMap((m) => m.figures.map((f) => h('tr',
        h('td', m.month), h('td', metricName(f.metric)), h('td.num', String(f.value)),
        h('td.small', f.corrections.map((c) => h('div', String(c.previous) + ' → ' + c.reason))))))))));
  } catch (e) { box.replaceChildren(errorBox(e)); }
}
