// Insurer console (车船税代收): record a collection with the compulsory insurance, with a
// live computation preview (the node computes it via POST /v1/certificates/preview as the
// fields change; the browser never computes tax), the insurer's collections, refunds after
// a theft, scrapping or loss, and settlement batches (结报) with the tax bureau.
'use strict';

(async function insurerPage() {
  const ses = await requireSession(L('车船税代收', 'Vehicle tax collection'), ['insurer.collector']);
  if (!ses) return;
  const title = h('h1', L('车船税代收', 'Vehicle tax collection'));
  const list = h('div', { id: 'collections' });
  const batches = h('div', { id: 'settlements' });
  mount(title, h('p.muted', ses.org || ''),
    h('h2', L('录入代收', 'Record a collection')), collectionForm(() => refresh(list, batches)),
    h('h2', L('代收记录', 'Collections')), list,
    h('h2', L('结报批次', 'Settlement batches')), batches);
  refresh(list, batches);
})();

async function refresh(list, batches) {
  try {
    const [cs, ss] = await Promise.all([api('GET', '/v1/collections'), api('GET', '/v1/settlements')]);
    list.replaceChildren(collections(cs, () => refresh(list, batches)));
    batches.replaceChildren(ss.length ? h('div.list', ss.map(batchCard)) : h('div.card.muted', L('还没有结报批次。', 'No batches yet.')));
  } catch (e) { list.replaceChildren(errorBox(e)); }
}

const CLASSES = [['passenger', ['乘用车', 'Passenger car']], ['bus', ['客车', 'Bus']], ['truck', ['货车', 'Truck']], ['motorcycle', ['摩托车', 'Motorcycle']]];
const ENERGIES = [['conventional', ['燃油', 'Petrol/diesel']], ['energy_saving', ['节能汽车', 'Energy-saving']],
  ['pure_electric', ['纯电动', 'Pure electric']], ['fuel_cell', ['燃料电池', 'Fuel cell']], ['plug_in_hybrid', ['插电混动', 'Plug-in hybrid']]];
const SIZE_HINT = { passenger: ['排量（毫升）', 'Displacement (ml)'], bus: ['核定载客（人）', 'Seats'], truck: ['整备质量（千克）', 'Curb weight (kg)'], motorcycle: ['（无需填写）', '(none)'] };

function select(id, options, value) {
  return h('select', { id }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, L(t[0], t[1]))));
}

function collectionForm(after) {
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  const f = {
    policy_no: h('input', { id: 'policy_no', placeholder: 'PDZA2026…', autocomplete: 'off' }),
    plate: h('input', { id: 'plate', placeholder: '粤B12345', autocomplete: 'off' }),
    vin: h('input', { id: 'vin', placeholder: L('17 位车架号', '17-character VIN'), maxLength: 17, autocomplete: 'off' }),
    class: select('class', CLASSES, 'passenger'),
    size: h('input', { id: 'size', inputMode: 'numeric', value: '1598' }),
    energy: select('energy', ENERGIES, 'conventional'),
    acquired: h('input', { id: 'acquired', type: 'date', value: (year - 2) + '-05-06' }),
    tax_year: h('input', { id: 'tax_year', inputMode: 'numeric', value: String(year) }),
    back_years: h('input', { id: 'back_years', placeholder: L('如 ' + (year - 2) + ',' + (year - 1), 'e.g. ' + (year - 2) + ',' + (year - 1)) }),
    owner: h('input', { id: 'owner', placeholder: L('车主钱包账户（扫码）', 'Owner\'s wallet account (scan)'), autocomplete: 'off' }),
    owner_name: h('input', { id: 'owner_name', placeholder: L('行驶证上的姓名', 'Name on the registration') }),
    owner_id: h('input', { id: 'owner_id', placeholder: L('身份证号或统一社会信用代码', 'Resident ID or USCC'), maxLength: 18, autocomplete: 'off' }),
  };
  const sizeLabel = h('label', { for: 'size' });
  const preview = h('div', { id: 'preview' });
  const out = h('div');
  const body = () => ({
    policy_no: f.policy_no.value.trim(), plate: f.plate.value.trim().toUpperCase(), vin: f.vin.value.trim().toUpperCase(),
    class: f.class.value, size: Number(f.size.value || 0), energy: f.energy.value, acquired: f.acquired.value,
    tax_year: Number(f.tax_year.value) || undefined,
    back_years: f.back_years.value.split(/[,，\s]+/).filter(Boolean).map(Number),
    owner: f.owner.value.trim(), owner_name: f.owner_name.value.trim(), owner_id: f.owner_id.value.trim(),
  });
  let timer, seq = 0;
  async function update() {
    const hint = SIZE_HINT[f.class.value]; sizeLabel.textContent = L(hint[0], hint[1]);
    const mine = ++seq;
    const b = body();
    try {
      const p = await api('POST', '/v1/certificates/preview', { class: b.class, size: b.size, energy: b.energy, acquired: b.acquired, tax_year: b.tax_year, back_years: b.back_years });
      if (mine === seq) preview.replaceChildren(previewCard(p));
    } catch (e) { if (mine === seq) preview.replaceChildren(errorBox(e)); }
  }
  const later = () => { clearTimeout(timer); timer = setTimeout(update, 200); };
  for (const k of ['class', 'size', 'energy', 'acquired', 'tax_year', 'back_years']) f[k].addEventListener(k === 'class' || k === 'energy' ? 'change' : 'input', later);
  const btn = h('button.primary', { type: 'submit', id: 'record' }, L('提交代收', 'Record the collection'));
  const field = (id, zh, en) => [h('label', { for: id }, L(zh, en)), f[id]];
  const form = h('form.card', {
    onsubmit: async (ev) => {
      ev.preventDefault(); out.replaceChildren(); busy(btn, true);
      try {
        const r = await api('POST', '/v1/collections', body());
        out.replaceChildren(h('div.success', L('已上链，代收编号 ', 'Recorded, collection ') + r.id.slice(0, 16) + '…',
          h('div.small', L('合计 ', 'Total ') + yuan(r.collection.total)),
          h('div.small.mono.muted', L('身份承诺盐值（交车主保存）：', 'Commitment salt (give to the owner): ') + r.salt)));
        after();
      } catch (e) { out.replaceChildren(errorBox(e)); }
      busy(btn, false);
    } },
    h('div.grid2', h('div', field('policy_no', '交强险保单号', 'Policy number')), h('div', field('plate', '车牌号码', 'Plate'))),
    field('vin', '车辆识别代号', 'VIN'),
    h('div.grid2', h('div', field('class', '税目', 'Tax item')), h('div', sizeLabel, f.size)),
    h('div.grid2', h('div', field('energy', '能源类型', 'Energy')), h('div', field('acquired', '购置日期', 'Acquired'))),
    h('div.grid2', h('div', field('tax_year', '税款所属期', 'Tax year')), h('div', field('back_years', '补缴年度', 'Back-tax years'))),
    field('owner', '车主钱包账户', 'Owner\'s wallet'),
    h('div.grid2', h('div', field('owner_name', '车主姓名', 'Owner\'s name')), h('div', field('owner_id', '证件号码', 'ID number'))),
    h('h3', L('计算预览', 'Computation preview')), preview,
    h('div.row', { style: 'margin-top:10px' }, btn), out);
  update();
  return form;
}

function previewCard(p) {
  return h('div.preview',
    h('table.small', h('tr', h('th', L('年度', 'Year')), h('th.num', L('月', 'Mo.')), h('th.num', L('年税额', 'Annual')), h('th.num', L('税额', 'Tax')), h('th.num', L('滞纳天数', 'Days late')), h('th.num', L('滞纳金', 'Late fee'))),
      p.lines.map((l) => h('tr', h('td', l.year), h('td.num', l.months), h('td.num', l.annual), h('td.num', l.tax), h('td.num', l.late_days), h('td.num', l.late_fee)))),
    h('div.small.muted', L(p.relief.label_zh, p.relief.label_en)),
    h('div.row.between', h('span', L('合计（', 'Total (') + p.collected_on + L('）', ')')), h('b.amount', { id: 'preview-total' }, yuan(p.total))));
}

function collections(cs, after) {
  if (!cs.length) return h('div.card.muted', L('还没有代收记录。', 'No collections yet.'));
  const picked = new Set(), refundPicked = new Set();
  const sum = h('span.money', '0.00');
  const out = h('div');
  const recompute = () => {
    let fen = 0;
    for (const c of cs) {
      if (picked.has(c.id)) fen += Math.round(Number(c.total) * 100);
      if (refundPicked.has(c.id)) fen -= Math.round(Number(c.refund.amount) * 100);
    }
    sum.textContent = (fen / 100).toFixed(2);
  };
  const btn = h('button.primary', { type: 'button', id: 'settle' }, L('提交结报', 'Submit the batch'));
  btn.onclick = async () => {
    busy(btn, true); out.replaceChildren();
    try {
      const r = await api('POST', '/v1/settlements', { collections: [...picked], refunds: [...refundPicked] });
      out.replaceChildren(h('div.success', L('已提交结报，净额 ', 'Batch submitted, net ') + yuan(r.settlement.net)));
      after();
    } catch (e) { out.replaceChildren(errorBox(e)); busy(btn, false); }
  };
  const card = (c) => {
    const box = c.settlement ? null : h('input', { type: 'checkbox', className: 'pick', onchange: (ev) => { ev.target.checked ? picked.add(c.id) : picked.delete(c.id); recompute(); } });
    const rbox = c.refund && !c.refund.settlement ? h('input', { type: 'checkbox', className: 'pick-refund', onchange: (ev) => { ev.target.checked ? refundPicked.add(c.id) : refundPicked.delete(c.id); recompute(); } }) : null;
    const more = h('div');
    const state = c.settlement ? L('已结报', 'settled') : L('未结报', 'outstanding');
    return h('div.card', { 'data-collection': c.id },
      h('div.row.between', h('b', c.plate), h('span.money', yuan(c.total))),
      h('div.small.muted', c.owner_name + ' · ' + c.tax_year + (c.relief.code !== 'none' ? ' · ' + L(c.relief.label_zh, c.relief.label_en) : '')),
      h('div.small.muted', L('代收于 ', 'Collected ') + c.collected_on + ' · ' + state +
        (c.certificate ? ' · ' + L('证明 ', 'cert. ') + c.certificate.number : '')),
      c.refund ? h('div.small', { style: 'color:#8a0c20' }, L('退税 ', 'Refund ') + yuan(c.refund.amount) + ' (' + c.refund.event_date + ')' +
        (c.refund.settlement ? L('，已结报', ', settled') : '')) : null,
      h('div.row', { style: 'margin-top:6px;align-items:center;gap:12px' },
        box ? h('label.small', box, ' ', L('纳入结报', 'Settle')) : null,
        rbox ? h('label.small', rbox, ' ', L('结报退税', 'Settle refund')) : null,
        !c.refund && Number(c.lines[c.lines.length - 1].tax) > 0 ? h('button', { type: 'button', className: 'refund', onclick: () => more.replaceChildren(refundForm(c, after)) }, L('退税', 'Refund')) : null),
      more);
  };
  return h('div', h('div.list', cs.map(card)),
    h('div.card', h('div.row.between', h('span', L('所选净额', 'Selected, net')), sum), h('div.row', { style: 'margin-top:8px' }, btn), out));
}

function refundForm(c, after) {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const event = select('event', [['stolen', ['被盗抢', 'Stolen']], ['scrapped', ['报废', 'Scrapped']], ['lost', ['灭失', 'Lost']]], 'stolen');
  const date = h('input', { type: 'date', value: today });
  const out = h('div');
  const btn = h('button.primary', { type: 'submit' }, L('确认退税', 'Record the refund'));
  return h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault(); out.replaceChildren(); busy(btn, true);
      try {
        const r = await api('POST', '/v1/collections/' + c.id + '/refund', { event: event.value, event_date: date.value });
        out.replaceChildren(h('div.success', L('已退税 ', 'Refunded ') + yuan(r.collection.refund.amount) + ' · ' + r.collection.refund.months + L(' 个月', ' months')));
        after();
      } catch (e) { out.replaceChildren(errorBox(e)); busy(btn, false); }
    } }, h('div.grid2', h('div', h('label', L('事由', 'Event')), event), h('div', h('label', L('发生日期', 'Date')), date)),
    h('div.row', { style: 'margin-top:8px' }, btn), out);
}

function batchCard(s) {
  return h('div.card', { 'data-settlement': s.id },
    h('div.row.between', h('b', L('净额 ', 'Net ') + yuan(s.net)), h('span.badge.' + (s.status === 'confirmed' ? 'good' : 'submitted'), L(s.label_zh, s.label_en))),
    h('div.small.muted', L('代收 ', 'Collected ') + s.collected + L('，退税 ', ', refunded ') + s.refunded + ' · ' + s.collections.length + L(' 笔', ' collections')),
    h('div.small.muted', L('提交于 ', 'Submitted ') + s.submitted_on + (s.confirmed_on ? L('，确认于 ', ', confirmed ') + s.confirmed_on : '')),
    h('div.small.mono.muted', s.id.slice(0, 16) + '…'));
}
