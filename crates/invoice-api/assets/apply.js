// Express edition (极速版): a merchant applies online for registration and invoicing
// rights with no account — the node keeps a fresh key for it and signs the application
// with that key — then follows the review; once approved it signs in with the token it
// got here and issues from the merchant console.
'use strict';

(async function applyPage() {
  const saved = JSON.parse(localStorage.getItem('fapiao.application') || 'null');
  const status = h('div', { id: 'application-status' });
  const f = (id, ph, v) => h('input', { id, placeholder: ph, value: v || '', autocomplete: 'off' });
  const uscc = f('apply-uscc', L('统一社会信用代码（18位）', 'Unified social credit code (18)'));
  const name = f('apply-name', L('企业名称', 'Name'));
  const region = f('apply-region', L('行政区划代码（6位）', 'Region code (6 digits)'), '440300');
  const seller = h('select', { id: 'apply-seller-type' }, h('option', { value: 'general' }, L('一般纳税人', 'General taxpayer')),
    h('option', { value: 'small_scale' }, L('小规模纳税人', 'Small-scale taxpayer')));
  const contact = f('apply-contact', L('联系人及电话', 'Contact person and phone'));
  const ceiling = f('apply-ceiling', L('申请月授信额度（元）', 'Monthly credit asked for (yuan)'), '50000.00');
  const out = h('div');
  const btn = h('button.primary', { type: 'submit', id: 'apply-submit' }, L('提交申请', 'Apply'));
  mount(h('h1', L('极速版 · 在线申请开票', 'Express edition · apply online')),
    h('p.muted', L('登记、领用发票权限、开票、报销，全程在线。提交后由税务机关审核，通过即可开票。',
      'Registration, invoicing rights, issuing and reimbursing, all online. The tax authority reviews your application; once approved you issue.')),
    status,
    h('form.card', { onsubmit: async (ev) => {
      ev.preventDefault(); busy(btn, true); out.replaceChildren();
      try {
        const r = await api('POST', '/v1/express/applications', { uscc: uscc.value.trim().toUpperCase(), name: name.value.trim(),
          region: region.value.trim(), seller_type: seller.value, contact: contact.value.trim(), requested_ceiling: ceiling.value.trim() });
        localStorage.setItem('fapiao.application', JSON.stringify({ id: r.id, token: r.token, name: name.value.trim() }));
        show(status, { id: r.id, token: r.token, name: name.value.trim() });
      } catch (e) { out.replaceChildren(errorBox(e)); }
      busy(btn, false);
    } }, h('div.grid2', uscc, name), h('div.grid2', region, seller), contact, ceiling, h('div.row', { style: 'margin-top:8px' }, btn), out));
  if (saved) show(status, saved);
})();

/** The applicant's view of its application, refreshed until it is decided. */
async function show(box, app) {
  let list;
  try { list = await api('GET', '/v1/express/applications', undefined, { token: app.token }); } catch (e) { box.replaceChildren(errorBox(e)); return; }
  const a = list.find((x) => x.id === app.id);
  if (!a) { box.replaceChildren(); return; }
  const parts = [h('div.row.between', h('h3', a.name), h('span.badge.' + a.status, { id: 'application-badge' }, statusText(a.status))),
    h('div.small.mono.muted', L('申请编号 ', 'application ') + a.id)];
  if (a.status === 'approved') {
    const go = h('button.primary', { type: 'button', id: 'apply-sign-in' }, L('登录商户工作台', 'Open the merchant console'));
    go.onclick = async () => { await signIn(app.token, { name: a.name }); location.href = '/merchant'; };
    parts.push(h('p', L('已批准，月授信 ¥', 'Approved, monthly credit ¥') + a.granted_ceiling), go);
  } else if (a.status === 'rejected') {
    parts.push(h('p.error', L('未通过：', 'Rejected: ') + a.reason));
  } else {
    parts.push(h('p.muted', L('等待税务机关审核…', 'Awaiting the tax authority\'s review…')));
    setTimeout(() => show(box, app), 3000);
  }
  box.replaceChildren(h('div.card', { 'data-application': a.id }, parts));
}
