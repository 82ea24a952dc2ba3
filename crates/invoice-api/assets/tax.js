// Tax dashboard: live charts (GET /v1/dashboard), risk alerts (GET /v1/alerts) with the
// invoices behind each and the circular ring drawn as a graph, the taxpayer registry
// with freeze/unfreeze, credit requests raised (for a taxpayer, after review) and decided.
'use strict';

const SVGNS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...kids) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

(async function taxPage() {
  const ses = await requireSession(L('税务看板', 'Tax dashboard'), ['tax.officer']);
  if (!ses) return;
  const live = h('div', { id: 'live' }, h('p.muted', L('加载中…', 'Loading…')));
  const alerts = h('div', { id: 'alerts' });
  const registry = h('div', { id: 'registry' });
  const requests = h('div', { id: 'credit-requests' });
  const raise = h('div', { id: 'raise-credit' });
  const adjustments = h('div', { id: 'credit-adjustments' });
  const applications = h('div', { id: 'applications' });
  mount(h('div.row.between', h('h1', L('税务看板', 'Tax dashboard')), h('span.small.muted', { id: 'updated' })),
    live, h('h2', L('风险预警', 'Risk alerts')), alerts,
    h('h2', L('极速版开票申请', 'Express applications')), applications,
    h('h2', L('授信申请', 'Credit requests')), raise, requests,
    h('h2', L('授信自动调整记录', 'Automatic credit adjustments')), adjustments,
    h('h2', L('纳税人登记', 'Taxpayer registry')), registry);
  let raised = false;
  const refresh = async () => {
    try {
      const d = await api('GET', '/v1/dashboard');
      renderLive(live, d); renderRegistry(registry, d); renderRequests(requests, d); renderAdjustments(adjustments, d);
      if (!raised) { raised = true; raise.replaceChildren(raiseCredit(d, refresh)); }
      document.getElementById('updated').textContent = L('更新于 ', 'updated ') + new Date().toLocaleTimeString();
    } catch (e) { live.replaceChildren(errorBox(e)); }
  };
  await refresh();
  loadAlerts(alerts);
  loadApplications(applications);
  setInterval(() => loadApplications(applications), 5000);
  setInterval(refresh, 5000);
})();

function tile(k, v, id) { return h('div.tile', h('div.v', { id }, v), h('div.k', k)); }

function renderLive(box, d) {
  const credit = d.credit.reduce((a, c) => a + Number(c.used), 0);
  box.replaceChildren(
    h('div.tiles', tile(L('发票数', 'Invoices'), d.invoices, 'stat-invoices'), tile(L('价税合计', 'Amount'), '¥' + Number(d.amount).toLocaleString(), 'stat-amount'),
      tile(L('区块高度', 'Height'), d.height, 'stat-height'), tile(L('本月授信已用', 'Credit used'), '¥' + credit.toLocaleString(), 'stat-credit')),
    h('div.cols',
      h('div.card.chart', h('h3', L('每分钟开票数（近 30 分钟）', 'Invoices per minute (last 30 min)')), perMinute(d.per_minute, (b) => b.count, 'invoices per minute', '#e4576b')),
      h('div.card.chart', { id: 'amount-per-minute' }, h('h3', L('每分钟价税合计（元，近 30 分钟）', 'Amount per minute (yuan, last 30 min)')),
        perMinute(d.per_minute, (b) => Number(b.amount), 'amount per minute', '#1f5fbf'))),
    h('div.cols',
      h('div.card', h('h3', L('按行业金额', 'Amount per industry')), hbars(d.per_category))),
    h('div.cols',
      h('div.card', h('h3', L('销售方排行', 'Top sellers')), hbars(d.top_sellers)),
      h('div.card', h('h3', L('授信使用', 'Credit usage')), d.credit.map((c) => {
        const cap = Number(c.monthly_ceiling) + Number(c.extra);
        const pct = cap > 0 ? Math.min(100, (100 * Number(c.used)) / cap) : 0;
        return h('div', { style: 'margin:6px 0' }, h('div.row.between.small', h('span', c.name), h('span.muted', c.used + ' / ' + cap.toFixed(2))),
          h('div.meter', h('span', { style: 'width:' + pct.toFixed(1) + '%;background:' + (pct > 90 ? '#c8102e' : pct > 70 ? '#e0a100' : '#137a3f') })));
      }))),
    h('div.card', h('h3', L('最新发票', 'Newest invoices')), h('table', { id: 'recent' },
      h('tbody', d.recent.slice(0, 8).map((r) => h('tr', h('td', r.seller_name, h('div.small.mono.muted', r.number)), h('td.num', r.total_with_tax), h('td', badge(r.status))))))));
}

/** Bars of `value(bucket)` per minute of block time (the server's sums from its index;
 * red invoices make a minute's amount smaller, and a bar below zero is drawn at zero). */
function perMinute(buckets, value, label, fill) {
  const W = 320, H = 120, pad = 30, max = Math.max(1, ...buckets.map(value));
  const bw = (W - pad) / buckets.length;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + 16}`, role: 'img', 'aria-label': label });
  for (let g = 0; g <= 2; g++) {
    const y = H - (g * (H - 10)) / 2;
    svg.append(s('line', { x1: pad, x2: W, y1: y, y2: y, stroke: '#eef0f3' }), s('text', { x: 0, y: y + 4, 'font-size': 9, fill: '#6b7280' }, Math.round((g * max) / 2)));
  }
  buckets.forEach((b, i) => {
    const bh = ((H - 10) * Math.max(0, value(b))) / max;
    const r = s('rect', { x: pad + i * bw + 1, y: H - bh, width: Math.max(1, bw - 2), height: bh, rx: 2, fill, 'data-minute': b.label, 'data-count': b.count, 'data-amount': b.amount });
    r.append(s('title', {}, b.label + ': ' + b.count + L(' 张 · ¥', ' invoices · ¥') + b.amount));
    svg.append(r);
    if (i % 6 === 0 || i === buckets.length - 1) svg.append(s('text', { x: pad + i * bw, y: H + 12, 'font-size': 9, fill: '#6b7280' }, b.label));
  });
  return svg;
}

function hbars(rows) {
  if (!rows.length) return h('p.muted.small', L('暂无数据', 'No data'));
  const max = Math.max(...rows.map((r) => Math.abs(Number(r.amount))), 1);
  return rows.slice(0, 8).map((r) => h('div.hbar', h('span.lbl', { title: r.label }, r.label),
    h('span.track', h('span', { style: 'width:' + ((100 * Math.abs(Number(r.amount))) / max).toFixed(1) + '%' })),
    h('span.money', '¥' + Number(r.amount).toLocaleString() + ' · ' + r.count)));
}

function renderRegistry(box, d) {
  box.replaceChildren(h('div.card', h('table', h('thead', h('tr', h('th', L('名称', 'Name')), h('th', L('状态', 'Status')), h('th', ''))),
    h('tbody', d.taxpayers.map((t) => {
      const btn = h('button', { type: 'button' }, t.status === 'frozen' ? L('解冻', 'Unfreeze') : L('冻结', 'Freeze'));
      btn.disabled = t.status === 'deregistered';
      btn.onclick = async () => {
        const to = t.status === 'frozen' ? 'active' : 'frozen';
        const reason = prompt(L('原因', 'Reason'), to === 'frozen' ? L('风险核查', 'risk review') : L('核查完毕', 'review closed'));
        if (reason === null) return;
        busy(btn, true);
        try { await api('POST', '/v1/taxpayers/' + t.uscc + '/status', { status: to, reason }); t.status = to; renderRegistry(box, d); }
        catch (e) { busy(btn, false); btn.after(errorBox(e)); }
      };
      return h('tr', h('td', t.name, h('div.small.mono.muted', t.uscc)), h('td', h('span.badge.' + (t.status === 'active' ? 'good' : 'bad'), statusText(t.status))), h('td', btn));
    })))));
}

/** Express-edition applications: approve (registering the taxpayer, its issuer and its
 * monthly credit) or reject with a reason. */
async function loadApplications(box) {
  if (box.querySelector('input:focus')) return;
  let list;
  try { list = await api('GET', '/v1/express/applications'); } catch (e) { box.replaceChildren(errorBox(e)); return; }
  if (!list.length) { box.replaceChildren(h('div.card.muted', L('暂无申请。', 'No applications.'))); return; }
  box.replaceChildren(h('div.card', h('table', h('tbody', list.map((a) => {
    const cell = h('td');
    if (a.status === 'pending') {
      const ceiling = h('input', { className: 'ceiling', value: a.requested_ceiling, inputMode: 'decimal', size: 10 });
      const ok = h('button.ok', { type: 'button', className: 'ok approve' }, L('批准', 'Approve'));
      const no = h('button', { type: 'button', className: 'reject' }, L('驳回', 'Reject'));
      const decide = async (approve, b) => {
        const reason = approve ? '' : prompt(L('驳回原因', 'Reason for rejecting'), '');
        if (reason === null) return;
        busy(b, true);
        try {
          await api('POST', '/v1/express/applications/' + a.id + '/review', { approve, monthly_ceiling: ceiling.value.trim(), reason });
          await loadApplications(box);
        } catch (e) { busy(b, false); cell.append(errorBox(e)); }
      };
      ok.onclick = () => decide(true, ok); no.onclick = () => decide(false, no);
      cell.append(ceiling, ' ', ok, ' ', no);
    } else cell.append(badge(a.status), a.reason ? h('div.small.muted', a.reason) : null);
    return h('tr', { 'data-application': a.id }, h('td', a.name, h('div.small.mono.muted', a.uscc + ' · ' + a.region + ' · ' + a.seller_type),
      h('div.small.muted', a.contact + ' · ' + a.applied_at)), h('td.num', a.requested_ceiling), cell);
  })))));
}

/** The credit policy's automatic adjustments (top-ups for low-risk taxpayers, credit
 * given back by red invoices), each an auditable record on chain. */
function renderAdjustments(box, d) {
  if (!d.credit_adjustments.length) { box.replaceChildren(h('div.card.muted', L('暂无自动调整。', 'No automatic adjustments.'))); return; }
  const KIND = { auto_top_up: ['低风险自动调增', 'automatic top-up'], red_restore: ['红冲返还额度', 'restored by a red invoice'] };
  box.replaceChildren(h('div.card', h('table', h('tbody', d.credit_adjustments.map((a) => {
    const name = (d.taxpayers.find((t) => t.uscc === a.uscc) || {}).name || a.uscc;
    const k = KIND[a.kind] ? L(KIND[a.kind][0], KIND[a.kind][1]) : a.kind;
    return h('tr', { 'data-adjustment': a.id }, h('td', name, h('div.small.muted', a.month + ' · ' + k + ' · ' + L('发票 ', 'invoice ') + a.invoice)),
      h('td.num', '+' + a.amount), h('td.small.muted', a.used_after + ' / ' + a.limit_after + ' · ' + L('区块 ', 'block ') + a.height));
  })))));
}

/** A tax officer raises a credit request for a taxpayer (after a review, or for a
 * merchant at the counter); it then waits below for a decision like any other. */
function raiseCredit(d, refresh) {
  const who = h('select', { id: 'raise-uscc' }, d.taxpayers.filter((t) => t.status === 'active').map((t) => h('option', { value: t.uscc }, t.name + ' · ' + t.uscc)));
  const amount = h('input', { id: 'raise-amount', placeholder: L('追加额度（元）', 'Extra credit (yuan)'), inputMode: 'decimal' });
  const reason = h('input', { id: 'raise-reason', placeholder: L('原因（如：核查后临时调增）', 'Reason (e.g. temporary increase after review)') });
  const out = h('div');
  const btn = h('button.primary', { type: 'button', id: 'raise-submit' }, L('提出授信申请', 'Raise credit request'));
  btn.onclick = async () => {
    busy(btn, true); out.replaceChildren();
    try {
      await api('POST', '/v1/credit-requests', { uscc: who.value, amount: amount.value.trim(), reason: reason.value.trim() });
      amount.value = ''; reason.value = '';
      out.replaceChildren(h('div.success', L('已提出，待审批', 'Raised; awaiting a decision')));
      await refresh();
    } catch (e) { out.replaceChildren(errorBox(e)); }
    busy(btn, false);
  };
  return h('div.card', h('h3', L('为纳税人提出授信申请', 'Raise a credit request for a taxpayer')), h('div.grid2', who, amount), reason, h('div.row', btn), out);
}

function renderRequests(box, d) {
  if (!d.credit_requests.length) { box.replaceChildren(h('div.card.muted', L('没有授信申请。', 'No credit requests.'))); return; }
  box.replaceChildren(h('div.card', h('table', h('tbody', d.credit_requests.map((r) => {
    const cell = h('td');
    if (r.decision === 'pending') {
      for (const approve of [true, false]) {
        const b = h('button', { type: 'button', className: approve ? 'ok' : '' }, approve ? L('批准', 'Approve') : L('拒绝', 'Decline'));
        b.onclick = async () => {
          const reason = approve ? '' : prompt(L('拒绝原因', 'Reason for declining'), '');
          if (reason === null) return;
          busy(b, true);
          try { await api('POST', '/v1/credit-requests/' + r.id + '/decision', { approve, reason }); r.decision = approve ? 'approved' : 'declined'; renderRequests(box, d); }
          catch (e) { busy(b, false); cell.append(errorBox(e)); }
        };
        cell.append(b, ' ');
      }
    } else cell.append(badge(r.decision));
    const name = (d.taxpayers.find((t) => t.uscc === r.uscc) || {}).name || r.uscc;
    const by = r.raised_by_tax_officer ? L(' · 税务人员提出', ' · raised by a tax officer') : '';
    return h('tr', { 'data-request': r.id }, h('td', name, h('div.small.muted', r.month + ' · ' + r.reason + by)), h('td.num', r.amount), cell);
  })))));
}

const RULES = { volume_jump: ['开票量突增', 'volume jump'], frozen_counterparty: ['与冻结企业交易', 'frozen counterparty'],
  deregistered_counterparty: ['与注销企业交易', 'deregistered counterparty'], circular_ring: ['循环开票', 'circular invoicing ring'],
  issue_then_reverse: ['开票后红冲', 'issue then reverse'] };

async function loadAlerts(box) {
  let list;
  try { list = await api('GET', '/v1/alerts?limit=50'); } catch (e) { box.replaceChildren(errorBox(e)); return; }
  if (!list.length) { box.replaceChildren(h('div.card.muted', L('暂无预警。', 'No alerts.'))); return; }
  box.replaceChildren(...list.slice().reverse().map((a) => {
    const detail = h('div');
    const d = h('details.card', { className: 'card alert', 'data-rule': a.rule },
      h('summary', h('span.badge.bad', RULES[a.rule] ? L(RULES[a.rule][0], RULES[a.rule][1]) : a.rule), ' ', h('span', a.detail),
        h('div.small.muted', a.time + ' · ' + L('区块 ', 'block ') + a.height + ' · ' + a.numbers.length + L(' 张发票', ' invoices'))), detail);
    d.addEventListener('toggle', () => { if (d.open && !detail.childNodes.length) drill(a, detail); });
    return d;
  }));
}

async function drill(a, box) {
  box.append(h('p.muted.small', L('加载发票…', 'Loading invoices…')));
  const invs = [];
  for (const n of a.numbers.slice(0, 30)) { try { invs.push(await api('GET', '/v1/invoices/' + n)); } catch { /* not visible */ } }
  box.replaceChildren(
    a.rule === 'circular_ring' || invs.length > 1 ? ringGraph(invs) : null,
    h('table', h('thead', h('tr', h('th', L('销售方 → 购买方', 'Seller → buyer')), h('th.num', L('金额', 'Total')), h('th', ''))),
      h('tbody', invs.map((i) => h('tr', h('td', i.seller.name + ' → ' + i.buyer.name, h('div.small.mono.muted', i.number)),
        h('td.num', i.total_with_tax), h('td', badge(i.status), i.flagged ? h('span.badge.bad', L('已标记', 'flagged')) : null))))));
}

/** Invoices between taxpayers as a directed graph, nodes on a circle. */
function ringGraph(invs) {
  const names = {};
  const edges = [];
  for (const i of invs) {
    const a = i.seller.tax_id, b = i.buyer.tax_id || i.buyer.name;
    names[a] = i.seller.name; names[b] = names[b] || i.buyer.name;
    edges.push([a, b, i.total_with_tax]);
  }
  const keys = Object.keys(names);
  const W = 340, H = 260, cx = W / 2, cy = H / 2 - 4, R = Math.min(W, H) / 2 - 48;
  const pos = {};
  keys.forEach((k, i) => { const t = -Math.PI / 2 + (2 * Math.PI * i) / keys.length; pos[k] = [cx + R * Math.cos(t), cy + R * Math.sin(t)]; });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'ring', role: 'img', 'aria-label': 'invoice ring' });
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#c8102e' }))));
  const nodeR = 16;
  for (const [a, b, amt] of edges) {
    const [x1, y1] = pos[a], [x2, y2] = pos[b];
    const dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len;
    const sx = x1 + ux * nodeR, sy = y1 + uy * nodeR, ex = x2 - ux * (nodeR + 2), ey = y2 - uy * (nodeR + 2);
    const mx = (sx + ex) / 2 - uy * 14, my = (sy + ey) / 2 + ux * 14;
    svg.append(s('path', { d: `M${sx},${sy} Q${mx},${my} ${ex},${ey}`, fill: 'none', stroke: '#c8102e', 'stroke-width': 1.6, 'marker-end': 'url(#arrow)' }),
      s('text', { x: mx, y: my, 'font-size': 9, fill: '#8a0c20', 'text-anchor': 'middle' }, '¥' + amt));
  }
  for (const k of keys) {
    const [x, y] = pos[k];
    const label = names[k].length > 9 ? names[k].slice(0, 9) + '…' : names[k];
    svg.append(s('circle', { cx: x, cy: y, r: nodeR, fill: '#fff', stroke: '#1d2330', 'stroke-width': 1.5 }),
      s('text', { x, y: y + 4, 'font-size': 11, 'text-anchor': 'middle', fill: '#1d2330' }, names[k].slice(0, 1)),
      s('text', { x, y: y + (y > cy ? 30 : -22), 'font-size': 10, 'text-anchor': 'middle', fill: '#374151' }, label));
  }
  return h('div.chart', svg);
}
