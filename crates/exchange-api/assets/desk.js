// A department's exchange desk (情报交换): the catalogues every department publishes, a
// query form, the queries it sent and received with their answers (opened by this node,
// which holds the department's key), its watch list, and the joint alerts it shares with
// other departments, each a case with findings, an assignee and an outcome.
// Reads GET /v1/exchange/desk; every write is one of the /v1/exchange routes.
'use strict';

(async function deskPage() {
  const s = await requireSession(L('情报交换工作台', 'Exchange desk'), ['exchange.officer']);
  if (!s) return;
  await render();
})();

async function render(note) {
  const title = h('h1', L('情报交换工作台', 'Exchange desk'));
  mount(title, h('p.muted', L('加载中…', 'Loading…')));
  let d;
  try { d = await api('GET', '/v1/exchange/desk'); } catch (e) { mount(title, errorBox(e)); return; }
  mount(title,
    h('p.muted', { id: 'desk-org' }, d.org.name + ' · ' + L('密钥版本 ', 'key epoch ') + (d.key ? d.key.epoch + ' (' + d.key.suite + ')' : L('未登记', 'none'))
      + ' · ' + L('监控密钥 ', 'watch key ') + (d.watch_key_epoch === null ? L('未分发', 'not distributed') : d.watch_key_epoch)),
    note ? h('div.card.good', note) : null,
    h('h2', L('联合预警与案件', 'Joint alerts and cases') + ' (' + d.alerts.length + ')'),
    h('div.list', { id: 'alerts' }, d.alerts.length ? d.alerts.map(alertCard) : h('div.card.muted', L('暂无联合预警。', 'No joint alerts.'))),
    h('h2', L('发起查询', 'Ask a department')), queryForm(d),
    h('h2', L('收到的查询', 'Queries received') + ' (' + d.inbox.length + ')'),
    h('div.list', { id: 'inbox' }, d.inbox.map((q) => queryCard(q, 'in'))),
    h('h2', L('发出的查询', 'Queries sent') + ' (' + d.outbox.length + ')'),
    h('div.list', { id: 'outbox' }, d.outbox.map((q) => queryCard(q, 'out'))),
    h('h2', L('监控名单', 'Watch list') + ' (' + d.watch.length + ')'), watchForm(),
    h('div.card', h('table.small', { id: 'watch' },
      h('thead', h('tr', h('th', L('标签', 'Tag')), h('th', L('类别', 'Category')), h('th.num', L('高度', 'Height')))),
      h('tbody', d.watch.map((w) => h('tr', h('td.mono', w.tag.slice(0, 16) + '…'), h('td', w.category), h('td.num', String(w.height))))))),
    h('h2', L('目录', 'Catalogues')),
    h('div.card', h('table.small', { id: 'catalogue' },
      h('thead', h('tr', h('th', L('部门', 'Department')), h('th', L('事项', 'Item')), h('th', L('对象', 'Subject')), h('th', L('依据', 'Legal basis')))),
      h('tbody', d.catalogue.map((c) => h('tr', { 'data-item': c.item },
        h('td', c.org_name), h('td.mono', c.item, c.consent ? h('div.small.muted', L('需本人授权', 'needs the person\'s consent')) : null,
          h('div.small.muted', c.fields.join(', '))),
        h('td', c.subject_kind), h('td.small', c.legal_basis)))))));
}

function field(name, label, attrs) {
  return h('label', h('span.small', label), h('input', Object.assign({ name, id: 'q-' + name }, attrs || {})));
}

function queryForm(d) {
  const askable = d.catalogue.filter((c) => c.may_ask);
  const item = h('select', { name: 'item', id: 'q-item' }, askable.map((c) => h('option', { value: c.org + '|' + c.item }, c.org_name + ' · ' + c.item)));
  const subject = field('subject', L('对象（统一社会信用代码或身份证号）', 'Subject (USCC or resident ID)'), { autocomplete: 'off' });
  const purpose = field('purpose', L('用途（案件编号）', 'Purpose (case number)'), { placeholder: 'SZ-2026-…' });
  const from = field('period_from', L('起（可选）', 'From (optional)'), { placeholder: '2026-08' });
  const to = field('period_to', L('止（可选）', 'To (optional)'), { placeholder: '2026-10' });
  const person = field('person', L('本人账户（需授权的事项）', 'Person\'s account (consent items)'), { autocomplete: 'off' });
  const out = h('div');
  const go = h('button.primary', { type: 'submit', id: 'q-submit' }, L('加密发送', 'Encrypt and send'));
  const form = h('form.card', { id: 'query-form' }, item, subject, purpose, h('div.row', from, to), person, h('div.row', go), out);
  form.onsubmit = async (ev) => {
    ev.preventDefault(); busy(go, true); out.replaceChildren();
    const [to_org, name] = item.value.split('|');
    const params = {};
    const val = (l) => l.querySelector('input').value.trim();
    if (val(from)) params.period_from = val(from);
    if (val(to)) params.period_to = val(to);
    try {
      const r = await api('POST', '/v1/exchange/queries', {
        to: to_org, item: name, subject: val(subject), purpose: val(purpose), params,
        person: val(person) || null,
      });
      await render(L('查询已上链 ', 'Query on chain ') + r.record.slice(0, 12) + '… · ' + L('高度 ', 'height ') + r.height);
    } catch (e) { busy(go, false); out.replaceChildren(errorBox(e)); }
  };
  return form;
}

function queryCard(q, dir) {
  const other = dir === 'in' ? q.from_name : q.to_name;
  const parts = [
    h('div.row.between', h('b.mono', q.item), q.answered ? h('span.badge.good', L('已答复 ', 'answered ') + q.outcome) : h('span.badge', L('待答复', 'open'))),
    h('div.small.muted', (dir === 'in' ? L('来自 ', 'from ') : L('发往 ', 'to ')) + other + ' · ' + L('用途 ', 'purpose ') + q.purpose + ' · ' + L('高度 ', 'height ') + q.height),
    q.subject ? h('div.small', L('对象 ', 'Subject ') + q.subject) : h('div.small.mono.muted', L('对象标签 ', 'subject tag ') + q.subject_tag.slice(0, 16) + '…'),
  ];
  if (q.rows) {
    parts.push(q.rows.length ? h('table.small.answer', h('tr', Object.keys(q.rows[0]).map((k) => h('th', k))),
      q.rows.map((r) => h('tr', Object.values(r).map((v) => h('td', String(v))))))
      : h('div.small.muted', L('无记录', 'no records')));
  }
  return h('div.card', { 'data-query': q.id, 'data-dir': dir }, parts);
}

function watchForm() {
  const subject = h('input', { name: 'subject', id: 'w-subject', placeholder: L('统一社会信用代码或身份证号', 'USCC or resident ID'), autocomplete: 'off' });
  const category = h('select', { name: 'category', id: 'w-category' },
    [['export_rebate_fraud', L('骗取出口退税', 'export-rebate fraud')], ['invoice_mill', L('虚开发票', 'invoice mill')],
      ['shell_company', L('空壳公司', 'shell company')], ['other', L('其他', 'other')]].map(([v, t]) => h('option', { value: v }, t)));
  const out = h('div');
  const go = h('button', { type: 'submit', id: 'w-submit' }, L('加入监控', 'Watch'));
  const form = h('form.card', { id: 'watch-form' }, h('div.row', subject, category, go), out);
  form.onsubmit = async (ev) => {
    ev.preventDefault(); busy(go, true); out.replaceChildren();
    try {
      const r = await api('POST', '/v1/exchange/watch', { subject: subject.value.trim(), category: category.value });
      await render(r.alert ? L('已加入监控，并触发联合预警 ', 'Watched — and a joint alert was raised ') + r.alert.slice(0, 12) + '…'
        : L('已加入监控', 'Watched'));
    } catch (e) { busy(go, false); out.replaceChildren(errorBox(e)); }
  };
  return form;
}

function alertCard(a) {
  const out = h('div');
  const act = async (path, body, ok) => {
    out.replaceChildren();
    try { await api('POST', '/v1/exchange/alerts/' + a.id + '/' + path, body); await render(ok); } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  const parts = [
    h('div.row.between', h('b', a.departments.map((x) => x.name).join(' ⇄ ')), h('span.badge.' + (a.status === 'closed' ? 'good' : 'bad'), a.status)),
    h('div.small.muted', L('标签 ', 'tag ') + a.tag.slice(0, 16) + '… · ' + a.categories.join(', ') + ' · ' + L('高度 ', 'height ') + a.height),
    a.subject ? h('div.small', L('对象 ', 'Subject ') + a.subject) : null,
    a.assignee ? h('div.small', L('承办人 ', 'Assigned to ') + a.assignee_name) : null,
    a.outcome ? h('div.small', L('结论 ', 'Outcome ') + a.outcome) : null,
    h('div.small', a.findings.map((f) => h('div.finding', h('b', f.from_name + ': '), f.text === null ? h('span.muted', L('（加密，本节点无密钥）', '(sealed; this node holds no key)')) : f.text))),
  ];
  if (a.status !== 'closed') {
    const text = h('input', { name: 'finding', placeholder: L('补充线索（加密给案件部门）', 'Add a finding (sealed to the case\'s departments)') });
    const add = h('button', { type: 'button', className: 'add-finding', onclick: () => act('findings', { text: text.value }, L('已补充线索', 'Finding attached')) }, L('补充', 'Attach'));
    const take = h('button', { type: 'button', className: 'assign', onclick: () => act('assign', {}, L('已承办', 'Assigned to you')) }, L('我来承办', 'Take the case'));
    const outcome = h('select', { name: 'outcome' }, ['confirmed_fraud', 'cleared', 'referred'].map((o) => h('option', { value: o }, o)));
    const close = h('button', { type: 'button', className: 'close-case', onclick: () => act('close', { outcome: outcome.value, summary: text.value }, L('案件已结案', 'Case closed')) }, L('结案', 'Close'));
    parts.push(h('div.row', text, add), h('div.row', take, outcome, close));
  }
  parts.push(out);
  return h('div.card', { 'data-alert': a.id }, parts);
}
