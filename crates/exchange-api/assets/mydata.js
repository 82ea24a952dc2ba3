// A person's "my data" page (我的数据), phone-sized: the special additional deductions
// (专项附加扣除) declared for a tax year and what the tax bureau verified, the consents
// given to departments (grant, revoke), and the access log — every read of the person's
// data, which is always a query and an answer on the chain. Reads GET /v1/exchange/me.
'use strict';

const KINDS = {
  children_education: ['子女教育', 'Children\'s education'],
  continuing_education_degree: ['继续教育（学历）', 'Continuing education (degree)'],
  continuing_education_certificate: ['继续教育（职业资格）', 'Continuing education (certificate)'],
  serious_illness: ['大病医疗', 'Serious illness'],
  housing_loan_interest: ['住房贷款利息', 'Housing loan interest'],
  housing_rent: ['住房租金', 'Housing rent'],
  elderly_support: ['赡养老人', 'Elderly support'],
  infant_care: ['3岁以下婴幼儿照护', 'Infant care'],
};
const kindName = (k) => (KINDS[k] ? L(KINDS[k][0], KINDS[k][1]) : k);

(async function myDataPage() {
  const s = await requireSession(L('我的数据', 'My data'), ['consumer']);
  if (!s) return;
  await renderMe();
})();

async function renderMe(note) {
  const title = h('h1', L('我的数据', 'My data'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let me;
  try { me = await api('GET', '/v1/exchange/me'); } catch (e) { mount(title, errorBox(e)); return; }
  mount(title,
    h('p.small.muted', L('您的个人信息留在各部门；税务机关核验您的扣除时向部门查询，每一次查询都需要您的授权，并记录在下方。',
      'Your data stays with the departments; the tax bureau checks your deductions by asking them — each read needs your consent and appears below.')),
    note ? h('div.card.good', note) : null,
    h('h2', L('专项附加扣除', 'Special additional deductions')),
    h('div.list', { id: 'declarations' }, me.declarations.length ? me.declarations.map(declarationCard)
      : h('div.card.muted', L('尚未申报。', 'Nothing declared yet.'))),
    h('h2', L('我的授权', 'My consents') + ' (' + me.consents.filter((c) => c.live).length + ')'),
    h('div.list', { id: 'consents' }, me.consents.map(consentCard)),
    consentForm(me),
    h('h2', L('查询记录', 'Access log') + ' (' + me.access_log.length + ')'),
    h('div.list', { id: 'access-log' }, me.access_log.length ? me.access_log.map((r) => h('div.card.small', { 'data-query': r.query },
      h('div.row.between', h('b', r.asker_name), h('span.muted', r.time)),
      h('div', L('向 ', 'asked ') + r.answerer_name + ' · ' + r.item),
      h('div.muted', L('用途 ', 'purpose ') + r.purpose + ' · ' + r.outcome)))
      : h('div.card.muted', L('还没有部门读取您的数据。', 'No department has read your data.'))));
}

function declarationCard(d) {
  return h('div.card', { 'data-declaration': d.id },
    h('div.row.between', h('b', d.year + L(' 年度', '')), h('span.amount', yuan(d.total))),
    h('div.small.muted', L('扣缴义务人 ', 'Withholding agent ') + d.agent_name),
    h('table.small', d.items.map((i) => h('tr',
      h('td', kindName(i.kind)), h('td.num', yuan(i.amount)),
      h('td', h('span.badge.' + (i.status === 'verified' ? 'good' : i.status === 'rejected' ? 'bad' : ''), i.status))))));
}

function consentCard(c) {
  const out = h('div');
  const revoke = c.live ? h('button.link', { type: 'button', className: 'revoke', onclick: async () => {
    try { await api('POST', '/v1/exchange/me/consents/' + c.id + '/revoke'); await renderMe(L('授权已撤回', 'Consent revoked')); } catch (e) { out.replaceChildren(errorBox(e)); }
  } }, L('撤回', 'Revoke')) : h('span.badge', c.revoked ? L('已撤回', 'revoked') : L('已过期', 'expired'));
  return h('div.card.small', { 'data-consent': c.id },
    h('div.row.between', h('b', c.department_name), revoke),
    h('div', c.item + ' · ' + L('用途 ', 'purpose ') + c.purpose),
    h('div.muted', L('有效至 ', 'until ') + c.expires), out);
}

function consentForm(me) {
  const dept = h('select', { name: 'department', id: 'c-department' }, me.askers.map((a) => h('option', { value: a.id }, a.name)));
  const item = h('select', { name: 'item', id: 'c-item' }, me.items.map((i) => h('option', { value: i.item }, i.org_name + ' · ' + i.item)));
  const purpose = h('input', { name: 'purpose', id: 'c-purpose', value: 'iit-' + new Date().getFullYear() });
  const expires = h('input', { name: 'expires', id: 'c-expires', type: 'date' });
  const out = h('div');
  const go = h('button.primary', { type: 'submit', id: 'c-submit' }, L('授权', 'Consent'));
  const form = h('form.card', { id: 'consent-form' }, h('div.small', L('授权一个部门查询一项数据', 'Let a department ask for one item')),
    dept, item, purpose, expires, h('div.row', go), out);
  form.onsubmit = async (ev) => {
    ev.preventDefault(); busy(go, true); out.replaceChildren();
    try {
      await api('POST', '/v1/exchange/me/consents', { department: dept.value, item: item.value, purpose: purpose.value.trim(), expires: expires.value });
      await renderMe(L('已授权', 'Consent given'));
    } catch (e) { busy(go, false); out.replaceChildren(errorBox(e)); }
  };
  return form;
}
