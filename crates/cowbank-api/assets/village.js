// The village's open books (村务公开): anyone, no sign-in, phone-sized. Herd, funds in
// and out, every sale and its split, what each household received, the annual report
// with its charts. Resident IDs are never on the chain, so never here.
'use strict';

(async function villagePage() {
  const title = h('h1', L('村务公开 · 母牛银行', 'Open books · village cow bank'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let villages, book;
  try {
    villages = await api('GET', '/v1/cowbank/villages');
    const want = new URLSearchParams(location.search).get('v') || (villages[0] || {}).id;
    if (!want) { mount(title, h('div.card.muted', L('本链没有村集体。', 'No village on this chain.'))); return; }
    book = await api('GET', '/v1/cowbank/villages/' + encodeURIComponent(want));
  } catch (e) { mount(title, errorBox(e)); return; }
  const names = Object.fromEntries(book.households.map((x) => [x.id, x.name]));
  mount(
    h('h1', book.village.name),
    h('p.small.muted', L('母牛银行 · 村务公开 · 数据取自区块链，任何人可查', 'Cow bank · open books · read from the chain, open to anyone')),
    h('section.card', { id: 'summary' },
      h('div.row.between', h('span', L('在栏牛', 'Herd')), h('b', { id: 'herd' }, String(book.herd))),
      h('div.row.between', h('span', L('资金收入', 'Funds in')), h('b', { id: 'inflow' }, yuan(book.inflow))),
      h('div.row.between', h('span', L('资金支出', 'Funds out')), h('b', { id: 'outflow' }, yuan(book.outflow))),
      h('div.row.between', h('span', L('结余', 'Balance')), h('b', yuan(book.balance))),
      h('div.row.between', h('span', L('分给农户', 'Paid to households')), h('b', { id: 'paid' }, yuan(book.paid_to_households)))),
    h('h2', L('出售与分成', 'Sales and their split')),
    h('div.list', { id: 'sales' }, book.sales.length ? book.sales.map((s) => saleCard(s, names))
      : h('div.card.muted', L('暂无出售。', 'No sale yet.'))),
    h('h2', L('农户所得', 'What each household received')),
    h('div.card', h('table', { id: 'households' },
      h('thead', h('tr', h('th', L('农户', 'Household')), h('th', L('类别', 'Status')), h('th.num', L('在养', 'Keeps')), h('th.num', L('分得', 'Received')))),
      h('tbody', book.households.map((x) => h('tr', h('td', x.name, h('div.small.muted', x.group)),
        h('td.small', x.status_label), h('td.num', String(x.keeps)), h('td.num', yuan(x.paid))))))),
    h('h2', L('资金', 'Funds')),
    h('div.card', h('table', { id: 'funds' },
      h('thead', h('tr', h('th', L('资金', 'Fund')), h('th.num', L('收入', 'In')), h('th.num', L('支出', 'Out')), h('th.num', L('结余', 'Balance')))),
      h('tbody', book.funds.map((f) => h('tr', h('td', f.fund.name, f.fund.earmark.length ? h('div.small.muted', L('专款：', 'earmarked: ') + f.fund.earmark.join(', ')) : null),
        h('td.num', f.fund.total_in), h('td.num', f.fund.total_out), h('td.num', f.fund.balance)))))),
    h('h2', L('年度报告', 'Annual report')),
    h('div', { id: 'reports' }, book.reports.length ? book.reports.map((r) => reportCard(r, book))
      : h('div.card.muted', L('尚未提交。', 'Not filed yet.'))),
    h('h2', L('牛群', 'The herd')),
    h('div.card', h('table', { id: 'animals' },
      h('thead', h('tr', h('th', L('耳标', 'Ear tag')), h('th', L('饲养户', 'Keeper')), h('th', L('状态', 'Status')))),
      h('tbody', book.animals.map((a) => h('tr', h('td.mono.small', a.tag, h('div.small.muted', a.animal.breed + (a.animal.mother ? L(' · 犊', ' · calf') : ''))),
        h('td.small', a.animal.keeper ? names[a.animal.keeper] || a.animal.keeper : L('集体', 'collective')),
        h('td.small', animalStatus(a.animal.status))))))),
  );
})();

function animalStatus(s) {
  return ({ kept: L('在栏', 'kept'), sold: L('已出售', 'sold'), dead: L('死亡', 'dead'), lost: L('走失', 'lost') })[s] || s;
}

function saleCard(s, names) {
  const st = s.sale.settlement;
  const who = st.household ? names[st.household] || st.household : L('集体自有', 'the collective\'s own');
  const pct = (bp) => (bp / 100) + '%';
  return h('div.card.sale', { 'data-sale': s.id },
    h('div.row.between', h('b', who), h('span.amount', yuan(st.price))),
    h('div.small.muted', s.sale.date + ' · ' + s.sale.animal + ' · ' + s.sale.buyer + ' · ' + s.sale.weight_kg + ' kg'),
    h('div.small', L('净利润 ', 'Net profit ') + yuan(st.net) + (st.capital !== '0.00' ? L('（扣本金 ', ' (capital ') + yuan(st.capital) + ')' : '')
      + (st.costs !== '0.00' ? L('，扣费用 ', ', costs ') + yuan(st.costs) : '')),
    h('div.row.between.split',
      h('span', L('集体 ', 'Collective ') + pct(st.collective_share_bp) + ' ' + yuan(st.collective_share)),
      h('span', L('农户 ', 'Household ') + pct(10000 - st.collective_share_bp) + ' ' + yuan(st.household_share))),
    st.loss_recovered !== '0.00' ? h('div.small.muted', L('抵扣往期亏损 ', 'Earlier loss recovered ') + yuan(st.loss_recovered)) : null,
    h('div.small', h('b', L('实付农户 ', 'Paid to the household ') + yuan(st.household_payment))));
}

/** A bar chart as SVG: [[label, value]], values in any unit. */
function bars(rows, unit) {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const w = 320, bh = 18, gap = 6, left = 90;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + (rows.length * (bh + gap) + 4));
  svg.setAttribute('class', 'chart');
  svg.setAttribute('width', '100%');
  rows.forEach(([label, v], i) => {
    const y = i * (bh + gap) + 2;
    const t = document.createElementNS(svg.namespaceURI, 'text');
    t.setAttribute('x', 0); t.setAttribute('y', y + 13); t.setAttribute('font-size', 11); t.textContent = label;
    const r = document.createElementNS(svg.namespaceURI, 'rect');
    r.setAttribute('x', left); r.setAttribute('y', y); r.setAttribute('height', bh);
    r.setAttribute('width', Math.max(1, (w - left - 70) * v / max)); r.setAttribute('fill', '#2f6fdf');
    const n = document.createElementNS(svg.namespaceURI, 'text');
    n.setAttribute('x', left + Math.max(1, (w - left - 70) * v / max) + 4); n.setAttribute('y', y + 13);
    n.setAttribute('font-size', 11); n.textContent = (unit === '¥' ? '¥' + v.toFixed(2) : String(v));
    svg.append(t, r, n);
  });
  return svg;
}

/** Herd size at the end of each month of `year`, from the animals' dates. */
function herdByMonth(animals, year) {
  const rows = [];
  for (let m = 1; m <= 12; m++) {
    const end = year + '-' + String(m).padStart(2, '0') + '-31';
    const n = animals.filter((a) => a.animal.acquired <= end
      && (a.animal.status === 'kept' || !a.animal.status_date || a.animal.status_date > end)).length;
    rows.push([year + '-' + String(m).padStart(2, '0'), n]);
  }
  return rows;
}

function reportCard(r, book) {
  const f = r.report.figures;
  const income = {};
  for (const e of book.entries) {
    if (e.entry.direction === 'in' && e.entry.date.startsWith(String(r.year)) && e.entry.source !== 'reversal') {
      income[e.entry.source] = (income[e.entry.source] || 0) + Number(e.entry.amount);
    }
  }
  const srcName = { income: L('集体收入', 'income'), grant: L('衔接资金', 'grant'), loan: L('贷款', 'loan'),
    sale_proceeds: L('售牛收入', 'sales'), capital_return: L('本金回收', 'capital back'), insurance_payout: L('保险理赔', 'insurance') };
  const c = r.report.countersigned;
  return h('div.card.report', { 'data-year': String(r.year) },
    h('div.row.between', h('b', r.year + L(' 年度报告', ' annual report')),
      h('span.badge.' + (c ? 'good' : 'submitted'), c ? L('乡镇已会签 · 已冻结', 'countersigned · frozen') : L('待乡镇会签', 'awaiting countersignature'))),
    h('p', r.report.text),
    h('div.small', L('在栏 ', 'Herd ') + f.herd + L('，购入 ', ', bought ') + f.bought + L('，出生 ', ', born ') + f.born
      + L('，死亡 ', ', died ') + f.died + L('，出售 ', ', sold ') + f.sold),
    h('div.small', L('收入 ', 'In ') + yuan(f.inflow) + L('，支出 ', ', out ') + yuan(f.outflow) + L('，分给农户 ', ', to households ') + yuan(f.paid_to_households)),
    c ? h('div.small.muted', L('会签意见：', 'Opinion: ') + c.opinion + ' · ' + c.org) : null,
    h('div.small', h('a.pdf', { href: '/v1/cowbank/villages/' + encodeURIComponent(book.village.id) + '/reports/' + r.year + '/pdf' },
      L('下载 PDF（含图表）', 'Download the PDF (with charts)'))),
    h('h3', L('存栏变化', 'Herd over the year')), bars(herdByMonth(book.animals, r.year)),
    h('h3', L('收入来源', 'Income by source')), bars(Object.entries(income).map(([k, v]) => [srcName[k] || k, v]), '¥'),
    h('h3', L('分给农户', 'Payments to households')),
    bars(book.households.map((x) => [x.name, book.sales.filter((s) => s.sale.date.startsWith(String(r.year)) && s.sale.settlement.household === x.id)
      .reduce((t, s) => t + Number(s.sale.settlement.household_payment), 0)]).filter((b) => b[1] > 0), '¥'));
}
