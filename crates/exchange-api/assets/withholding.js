// The withholding agent's view (扣缴义务人): the special additional deductions its
// employees declared with it for a tax year — amounts only, by kind, and what the tax
// bureau verified; never the facts behind them. Reads GET /v1/exchange/withholding.
'use strict';

(async function withholdingPage() {
  const s = await requireSession(L('个税专项附加扣除', 'Employees\' deductions'), ['enterprise.finance']);
  if (!s) return;
  const year = new URLSearchParams(location.search).get('year') || String(new Date().getFullYear());
  const title = h('h1', L('个税专项附加扣除', 'Employees\' deductions') + ' · ' + year);
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let list;
  try { list = await api('GET', '/v1/exchange/withholding?year=' + encodeURIComponent(year)); } catch (e) { mount(title, errorBox(e)); return; }
  mount(title,
    h('p.small.muted', L('员工向本单位申报的扣除金额（仅金额，不含子女、房屋、病历等信息）。',
      'What employees declared with this employer: amounts only — no children, homes or medical records.')),
    list.length ? h('div.card', h('table', { id: 'withholding' },
      h('thead', h('tr', h('th', L('员工', 'Employee')), h('th', L('项目', 'Items')), h('th.num', L('年度合计', 'Year total')))),
      h('tbody', list.map((d) => h('tr', { 'data-declaration': d.id },
        h('td', d.person_name, h('div.small.mono.muted', d.person.slice(0, 12) + '…')),
        h('td.small', d.items.map((i) => h('div', i.kind + ' ' + yuan(i.amount) + (i.status === 'verified' ? ' ✓' : i.status === 'rejected' ? ' ✗' : '')))),
        h('td.num', yuan(d.total)))))))
      : h('div.card.muted', L('本年度没有员工申报。', 'No declarations for this year.')));
})();
