// The collective manager's console: the herd, contracts, record a birth, record a sale
// with a live settlement preview (GET /v1/cowbank/preview), every write a signed action
// (POST /v1/cowbank/actions).
'use strict';

(async function cowbankPage() {
  const s = await requireSession(L('母牛银行管理台', 'Cow bank console'), ['collective.manager']);
  if (!s) return;
  const title = h('h1', L('母牛银行管理台', 'Cow bank console'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let book;
  try { book = await api('GET', '/v1/cowbank/villages/' + encodeURIComponent(s.org)); } catch (e) { mount(title, errorBox(e)); return; }
  const names = Object.fromEntries(book.households.map((x) => [x.id, x.name]));
  const kept = book.animals.filter((a) => a.animal.status === 'kept');
  const funds = book.funds.map((f) => f.id);
  mount(title,
    h('p.muted', book.village.name + ' · ' + L('在栏 ', 'herd ') + book.herd + ' · ' + L('结余 ', 'balance ') + yuan(book.balance)
      + ' · ', h('a', { href: '/village?v=' + encodeURIComponent(s.org) }, L('村务公开页', 'open books'))),
    h('h2', L('出售', 'Record a sale')), saleForm(kept, funds, names),
    h('h2', L('登记出生', 'Record a birth')), birthForm(kept.filter((a) => a.animal.sex === 'female'), names),
    h('h2', L('牛群', 'The herd') + ' (' + kept.length + ')'),
    h('div.card', h('table', { id: 'herd' },
      h('thead', h('tr', h('th', L('耳标', 'Ear tag')), h('th', L('所有 / 饲养', 'Owner / keeper')), h('th.num', L('购价', 'Price')))),
      h('tbody', kept.map((a) => h('tr', h('td.mono.small', a.tag, h('div.small.muted', a.animal.breed + ' · ' + a.animal.sex)),
        h('td.small', (a.animal.owner ? names[a.animal.owner] : L('集体', 'collective')) + ' / ' + (a.animal.keeper ? names[a.animal.keeper] : L('集体', 'collective'))),
        h('td.num', a.animal.purchase_price)))))),
    h('h2', L('合同', 'Contracts') + ' (' + book.contracts.length + ')'),
    h('div.card', h('table', { id: 'contracts' },
      h('thead', h('tr', h('th', L('农户', 'Household')), h('th', L('分成 集体/农户', 'Split collective/household')), h('th.num', L('头数', 'Animals')))),
      h('tbody', book.contracts.map((c) => h('tr', h('td', names[c.contract.household] || c.contract.household, h('div.small.muted', c.contract.start + ' – ' + c.contract.end)),
        h('td.small', (c.contract.terms.collective_share_bp / 100) + ' / ' + (100 - c.contract.terms.collective_share_bp / 100)
          + (c.contract.terms.capital_return ? L(' · 先还本', ' · capital first') : '')),
        h('td.num', String(c.contract.animals.length))))))));
})();

function today() { return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); }

function saleForm(kept, funds, names) {
  const tag = h('select', { name: 'tag', id: 'sale-tag' }, kept.map((a) => h('option', { value: a.tag },
    a.tag + ' · ' + (a.animal.keeper ? names[a.animal.keeper] : L('集体', 'collective')))));
  const price = h('input', { name: 'price', id: 'sale-price', inputmode: 'decimal', placeholder: L('价格（元）', 'Price (yuan)') });
  const weight = h('input', { name: 'weight', id: 'sale-weight', inputmode: 'numeric', placeholder: L('活重（公斤）', 'Live weight (kg)') });
  const buyer = h('input', { name: 'buyer', id: 'sale-buyer', placeholder: L('买方', 'Buyer') });
  const fund = h('select', { name: 'fund', id: 'sale-fund' }, funds.map((f) => h('option', { value: f, selected: f === 'income' }, f)));
  const preview = h('div.small', { id: 'sale-preview' }, L('输入价格即可预览分成。', 'Type a price to preview the split.'));
  const out = h('div');
  const go = h('button.primary', { type: 'submit', id: 'sale-submit' }, L('确认出售', 'Record the sale'));
  let timer;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!price.value) return;
      try {
        const p = await api('GET', '/v1/cowbank/preview?tag=' + encodeURIComponent(tag.value) + '&price=' + encodeURIComponent(price.value));
        const st = p.settlement;
        preview.replaceChildren(h('div.card',
          h('div', L('净利润 ', 'Net profit ') + yuan(st.net)),
          h('div', L('集体 ', 'Collective ') + yuan(st.collective_share) + ' · ' + L('农户 ', 'household ') + yuan(st.household_share)),
          h('b', { id: 'preview-payment' }, L('付给', 'Paid to ') + (p.household_name || L('（无）', '(none)')) + ' ' + yuan(st.household_payment))));
      } catch (e) { preview.replaceChildren(errorBox(e)); }
    }, 200);
  };
  price.oninput = refresh; tag.onchange = refresh;
  return h('form.card', {
    id: 'sale-form',
    onsubmit: async (ev) => {
      ev.preventDefault(); busy(go, true); out.replaceChildren();
      try {
        const r = await api('POST', '/v1/cowbank/actions', { action: 'sell_animal', tag: tag.value, buyer: buyer.value,
          weight_kg: Number(weight.value || 0), price: price.value, date: today(), fund: fund.value });
        out.replaceChildren(h('div.success', { id: 'sale-done' }, h('b', L('已上链', 'On the chain')), ' ' + L('区块高度 ', 'height ') + r.height));
        setTimeout(() => location.reload(), 1500);
      } catch (e) { out.replaceChildren(errorBox(e)); }
      busy(go, false);
    },
  }, h('div.row', tag, fund), h('div.row', price, weight, buyer), preview, h('div.row', go), out);
}

function birthForm(cows, names) {
  const mother = h('select', { name: 'mother', id: 'birth-mother' }, cows.map((a) => h('option', { value: a.tag },
    a.tag + ' · ' + (a.animal.keeper ? names[a.animal.keeper] : L('集体', 'collective')))));
  const tag = h('input', { name: 'tag', id: 'birth-tag', placeholder: L('犊牛耳标（15位）', 'Calf ear tag (15 digits)') });
  const sex = h('select', { name: 'sex' }, h('option', { value: 'female' }, L('母', 'female')), h('option', { value: 'male' }, L('公', 'male')));
  const out = h('div');
  const go = h('button.primary', { type: 'submit' }, L('登记', 'Record'));
  return h('form.card', {
    id: 'birth-form',
    onsubmit: async (ev) => {
      ev.preventDefault(); busy(go, true); out.replaceChildren();
      try {
        await api('POST', '/v1/cowbank/actions', { action: 'record_birth', tag: tag.value, mother: mother.value,
          sex: sex.value, breed: (cows.find((a) => a.tag === mother.value) || { animal: { breed: '-' } }).animal.breed, date: today() });
        out.replaceChildren(h('div.success', h('b', L('已登记', 'Recorded'))));
        setTimeout(() => location.reload(), 1200);
      } catch (e) { out.replaceChildren(errorBox(e)); }
      busy(go, false);
    },
  }, h('div.row', mother, tag, sex), h('div.row', go), out);
}
