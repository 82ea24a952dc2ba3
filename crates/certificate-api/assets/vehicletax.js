// The tax bureau's vehicle-tax view (车船税代收结报): collected, settled and outstanding
// tax per insurer, the outstanding part by age (GET /v1/tax/vehicle-tax), and the
// insurers' settlement batches awaiting confirmation of receipt.
'use strict';

(async function vehicleTaxPage() {
  const ses = await requireSession(L('车船税结报', 'Vehicle tax'), ['tax.officer']);
  if (!ses) return;
  const title = h('h1', L('车船税代收与结报', 'Vehicle tax: collected and settled'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let v, batches;
  try { [v, batches] = await Promise.all([api('GET', '/v1/tax/vehicle-tax'), api('GET', '/v1/settlements')]); }
  catch (e) { mount(title, errorBox(e)); return; }
  const t = v.total;
  mount(title, h('p.small', h('a', { href: '/tax' }, L('← 税务看板', '← Tax dashboard'))),
    h('div.tiles', tile(L('已代收', 'Collected'), t.collected), tile(L('已结报', 'Settled'), t.settled),
      tile(L('已确认', 'Confirmed'), t.confirmed), tile(L('未结报', 'Outstanding'), t.outstanding)),
    h('h2', L('按保险公司', 'By insurer')),
    h('div.card', { style: 'overflow-x:auto' }, h('table.small', { id: 'vehicle-tax' },
      h('tr', h('th', L('保险公司', 'Insurer')), h('th.num', L('笔数', 'No.')), h('th.num', L('代收', 'Collected')), h('th.num', L('结报', 'Settled')), h('th.num', L('未结报', 'Outstanding'))),
      v.insurers.map((i) => h('tr', { 'data-insurer': i.insurer }, h('td', i.name), num(i.collections), num(i.collected), num(i.settled), num(i.outstanding))))),
    h('h2', L('未结报账龄', 'Outstanding by age')),
    h('div.card', h('table.small',
      h('tr', h('th', L('保险公司', 'Insurer')), h('th.num', '0–30'), h('th.num', '31–90'), h('th.num', '>90')),
      v.insurers.map((i) => h('tr', h('td', i.name), num(i.outstanding_by_age.days_0_30), num(i.outstanding_by_age.days_31_90), num(i.outstanding_by_age.over_90)))),
      h('div.small.muted', L('天数截至 ', 'Days as of ') + v.as_of)),
    h('h2', L('结报批次', 'Settlement batches')),
    batches.length ? h('div.list', batches.map(batch)) : h('div.card.muted', L('还没有结报批次。', 'No batches yet.')));
})();

/** A figure's cell: right-aligned, on one line. */
function num(v) { return h('td.num', { style: 'white-space:nowrap' }, v); }

function tile(k, v) { return h('div.tile', h('div.v', '¥' + v), h('div.k', k)); }

function batch(s) {
  const out = h('div');
  const btn = s.status === 'submitted' ? h('button.primary', { type: 'button', className: 'primary confirm' }, L('确认收款', 'Confirm receipt')) : null;
  if (btn) {
    btn.onclick = async () => {
      busy(btn, true); out.replaceChildren();
      try { const r = await api('POST', '/v1/settlements/' + s.id + '/confirm'); out.closest('.card').replaceWith(batch(r.settlement)); }
      catch (e) { busy(btn, false); out.replaceChildren(errorBox(e)); }
    };
  }
  return h('div.card', { 'data-settlement': s.id },
    h('div.row.between', h('b', s.insurer_name), h('span.badge.' + (s.status === 'confirmed' ? 'good' : 'submitted'), L(s.label_zh, s.label_en))),
    h('div.row.between', h('span.money', yuan(s.net)), h('span.small.muted', s.submitted_on)),
    h('div.small.muted', L('代收 ', 'Collected ') + s.collected + L('，退税 ', ', refunded ') + s.refunded + ' · ' + s.collections.length + L(' 笔', ' collections')),
    btn ? h('div.row', { style: 'margin-top:8px' }, btn) : null, out);
}
