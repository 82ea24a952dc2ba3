// The bank's loan desk (贷款审批台): the chains' verified heights (GET
// /v1/crosschain/chains), applications with the verified facts the bank's node holds and
// the tax height they are proven at, and the industry chain's figures it holds with the
// height of their proof (GET /v1/finance/loans), a review and decision form
// (POST /v1/finance/loans/{id}/review, /decision), and the financed invoices with their
// at-risk alerts (GET /v1/finance/financings, /v1/finance/alerts).
'use strict';

(async function loansPage() {
  const s = await requireSession(L('贷款审批台', 'Loan desk'), ['bank.officer', 'centralbank.officer']);
  if (!s) return;
  await renderDesk();
})();

// Fen (an integer) as yuan text, without floating point.
function fenYuan(fen) {
  const n = Math.trunc(Number(fen));
  const a = Math.abs(n);
  return yuan((n < 0 ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0'));
}

const LOAN_STATUS = {
  applied: L('待审查', 'applied'),
  under_review: L('审查中', 'under review'),
  approved: L('已批准', 'approved'),
  declined: L('已拒绝', 'declined'),
};

const FINANCING_STATUS = {
  active: L('正常', 'active'),
  at_risk: L('风险', 'at risk'),
  repaid: L('已还款', 'repaid'),
  settled: L('已结清', 'settled'),
};

const FIELD_NAMES = {
  sales: L('销售额', 'Sales'),
  vat_paid: L('已缴增值税', 'VAT paid'),
  on_time: L('按期申报', 'Filed on time'),
  status: L('纳税人状态', 'Taxpayer status'),
};

async function renderDesk(note) {
  const title = h('h1', L('贷款审批台', 'Loan desk'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let chains, loans, financings, alerts;
  try {
    [chains, loans, financings, alerts] = await Promise.all([
      api('GET', '/v1/crosschain/chains'),
      api('GET', '/v1/finance/loans'),
      api('GET', '/v1/finance/financings'),
      api('GET', '/v1/finance/alerts'),
    ]);
  } catch (e) { mount(title, errorBox(e)); return; }
  mount(title,
    note ? h('div.card.good', note) : null,
    h('h2', L('已验证的链高度', 'Verified heights of the linked chains')),
    h('div.card', h('table.small', { id: 'chains' },
      h('thead', h('tr', h('th', L('链', 'Chain')), h('th.num', L('最新已验证高度', 'Latest verified height')), h('th.num', L('窗口', 'Window')))),
      h('tbody', chains.chains.map((c) => {
        const last = c.window.length ? c.window[c.window.length - 1] : null;
        return h('tr', h('td.mono', c.chain_id), h('td.num', last ? String(last.height) : '—'),
          h('td.num', c.window.length ? c.window[0].height + '–' + last.height : '—'));
      })))),
    alerts.length ? h('div.card.bad', { id: 'alerts' }, h('strong', L('风险提示', 'At-risk alerts')),
      h('ul', alerts.map((a) => h('li', L('发票 ', 'Invoice ') + a.number + ' · ' + a.reason + ' · ' + L('税务链高度 ', 'tax height ') + a.tax_height)))) : null,
    h('h2', L('贷款申请', 'Loan applications') + ' (' + loans.length + ')'),
    h('div.list', { id: 'loans' }, loans.length ? loans.map(loanCard) : h('div.card.muted', L('暂无申请。', 'No applications.'))),
    h('h2', L('已融资发票', 'Financed invoices') + ' (' + financings.length + ')'),
    h('div.card', h('table.small', { id: 'financings' },
      h('thead', h('tr', h('th', L('发票号码', 'Invoice')), h('th', L('企业', 'Enterprise')), h('th.num', L('融资额', 'Advanced')), h('th', L('状态', 'Status')), h('th.num', L('证明高度', 'Proof height')))),
      h('tbody', financings.map((f) => h('tr', { 'data-number': f.number, class: f.status === 'at_risk' ? 'bad' : '' },
        h('td.mono', f.number), h('td.mono', f.uscc), h('td.num', fenYuan(f.amount)), h('td', FINANCING_STATUS[f.status] || f.status), h('td.num', String(f.proof_height))))))));
}

function factRow(f) {
  const name = (FIELD_NAMES[f.field] || f.field) + (f.month ? ' ' + f.month : '');
  let shown = f.value === undefined ? L('未披露给本行', 'not held by this bank') : f.value;
  if (f.value !== undefined && (f.field === 'sales' || f.field === 'vat_paid')) shown = fenYuan(Number(f.value));
  return h('tr', h('td', name), h('td.num', shown),
    h('td', f.verified ? h('span.good', L('✓ 已验证', '✓ verified')) : h('span.muted', L('未验证', 'not verified'))),
    h('td.mono.small', f.commitment ? f.commitment.slice(0, 12) + '…' : L('无记录', 'no record')));
}

const METRIC_NAMES = {
  electricity_kwh: L('用电量（千瓦时）', 'Electricity (kWh)'),
  insured_headcount: L('参保人数', 'Insured headcount'),
  logistics_tonnes: L('物流量（吨）', 'Logistics (tonnes)'),
};

// The industry figures the bank's node holds, each verified against the commitment of the
// record proven at the industry chain's height.
function operatingTable(l) {
  const rows = [];
  l.operating.forEach((o) => o.figures.forEach((f) => rows.push([o, f])));
  if (!rows.length) {
    return l.operating.length ? h('p.small', L('经营数据：', 'Operating data: ') + l.operating.map((o) => o.chain_id + ' ' + o.key).join('; ')) : null;
  }
  return h('table.small', { class: 'operating' },
    h('thead', h('tr', h('th', L('经营数据', 'Operating data')), h('th.num', L('值', 'Value')), h('th', L('核验', 'Check')), h('th', L('证明', 'Proven at')))),
    h('tbody', rows.map(([o, f]) => h('tr', { 'data-metric': f.metric, 'data-month': String(f.month) },
      h('td', (METRIC_NAMES[f.metric] || f.metric) + ' ' + f.month),
      h('td.num', f.value === undefined ? L('未披露给本行', 'not held by this bank') : f.value),
      h('td', f.verified ? h('span.good', L('✓ 已验证', '✓ verified')) : h('span.muted', L('未验证', 'not verified'))),
      h('td.mono.small', o.chain_id + L(' 高度 ', ' height ') + o.height)))));
}

function loanCard(l) {
  const decided = l.status === 'approved' || l.status === 'declined';
  return h('div.card', { 'data-loan': l.id },
    h('div.row', h('strong', l.uscc), h('span.muted', ' · ' + fenYuan(l.amount) + ' · ' + l.term_months + L(' 个月', ' months') + ' · ' + l.purpose),
      h('span', ' · ' + (LOAN_STATUS[l.status] || l.status))),
    h('p.small.muted', L('事实证明于 ', 'Facts proven at ') + l.tax_chain + L(' 高度 ', ' height ') + l.tax_height
      + ' · ' + L('授权 ', 'grant ') + l.grant.slice(0, 12) + '…'),
    h('table.small', h('thead', h('tr', h('th', L('字段', 'Field')), h('th.num', L('值', 'Value')), h('th', L('核验', 'Check')), h('th', L('承诺', 'Commitment')))),
      h('tbody', l.facts.map(factRow))),
    operatingTable(l),
    l.notes ? h('p.small', L('审查意见：', 'Notes: ') + l.notes) : null,
    l.decision ? h('p', (l.decision.approve ? L('已批准 ', 'Approved ') + fenYuan(l.decision.amount) + ' · ' + l.decision.rate_bp + ' bp · ' + l.decision.term_months + L(' 个月', ' months') : L('已拒绝', 'Declined')) + ' — ' + l.decision.reasons) : null,
    decided ? null : decisionForm(l));
}

function decisionForm(l) {
  const notes = h('input', { name: 'notes', placeholder: L('审查意见', 'Review notes') });
  const amount = h('input', { name: 'amount', type: 'number', min: '0', value: String(l.amount), title: L('金额（分）', 'Amount (fen)') });
  const rate = h('input', { name: 'rate_bp', type: 'number', min: '1', max: '10000', value: '385', title: L('年利率（基点）', 'Rate (bp)') });
  const term = h('input', { name: 'term_months', type: 'number', min: '1', max: '360', value: String(l.term_months) });
  const reasons = h('input', { name: 'reasons', placeholder: L('理由', 'Reasons') });
  const out = h('div');
  const act = async (path, body, btn) => {
    busy(btn, true); out.replaceChildren();
    try { await api('POST', '/v1/finance/loans/' + l.id + path, body); await renderDesk(L('已提交。', 'Submitted.')); }
    catch (e) { out.replaceChildren(errorBox(e)); busy(btn, false); }
  };
  const review = h('button', { type: 'button' }, L('开始审查', 'Review'));
  review.onclick = () => act('/review', { notes: notes.value }, review);
  const approve = h('button.primary', { type: 'button' }, L('批准', 'Approve'));
  approve.onclick = () => act('/decision', { approve: true, amount: Number(amount.value), rate_bp: Number(rate.value), term_months: Number(term.value), reasons: reasons.value }, approve);
  const decline = h('button', { type: 'button' }, L('拒绝', 'Decline'));
  decline.onclick = () => act('/decision', { approve: false, reasons: reasons.value }, decline);
  return h('form.small', { class: 'decision' }, h('div.row', notes, review), h('div.row', amount, rate, term), h('div.row', reasons, approve, decline), out);
}
