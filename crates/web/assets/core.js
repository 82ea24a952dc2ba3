// Fapiao pages: shared helpers. Vanilla JS, no build step.
// The API token lives in sessionStorage (this tab only) and goes out as a Bearer header;
// the language choice lives in localStorage.
'use strict';

const LANG = localStorage.getItem('fapiao.lang') === 'en' ? 'en' : 'zh';
document.documentElement.lang = LANG === 'en' ? 'en' : 'zh-CN';

/** The text in the current language. */
function L(zh, en) { return LANG === 'en' ? en : zh; }

const SHELL_TEXT = {
  brand_sub: ['发票链', 'e-invoice chain'],
  loading: ['加载中…', 'Loading…'],
  verify_link: ['发票查验', 'Verify an invoice'],
};

// Every status's wording, from the Rust labels (fapiao_web::status_labels: the platform's and the invoice application's): the server
// fills this table in as it serves the file, so the pages keep no wording of their own.
const STATUS = {/*STATUS_LABELS*/};
function statusText(s) { const p = STATUS[s]; return p ? L(p[0], p[1]) : s; }

/** Builds an element: h('div.card', {onclick}, child, 'text', …). */
function h(tag, attrs, ...kids) {
  const [name, ...classes] = tag.split('.');
  const e = document.createElement(name || 'div');
  if (classes.length) e.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    kids.unshift(attrs); attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'html') e.innerHTML = v;
    else if (k in e && k !== 'list' && k !== 'form') e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

const main = () => document.getElementById('main');
function mount(...kids) { const m = main(); m.replaceChildren(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false)); return m; }

/** Session: the signed-in identity of this tab. */
const Session = {
  get() { try { return JSON.parse(sessionStorage.getItem('fapiao.session') || 'null'); } catch { return null; } },
  set(s) { sessionStorage.setItem('fapiao.session', JSON.stringify(s)); },
  clear() { sessionStorage.removeItem('fapiao.session'); },
  token() { const s = Session.get(); return s && s.token; },
};

/** An API error as the node answered it (code, field, message). */
class ApiErr extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status; this.code = body && body.code; this.field = body && body.field;
  }
}

/** Calls the node's JSON API with the tab's token. */
async function api(method, path, body, opts) {
  const headers = { accept: 'application/json' };
  const token = (opts && opts.token) || Session.token();
  if (token) headers.authorization = 'Bearer ' + token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { message: text }; }
  if (!res.ok) throw new ApiErr(res.status, json);
  return json;
}

const ERR_CODES = {
  'invoice.wrong_claim_code': ['领取码不正确', 'wrong claim code'],
  'invoice.order_already_claimed': ['该订单已被领取，领取码已使用', 'this order was already claimed; the code is used'],
  bad_uscc: ['纳税人识别号无效', 'invalid taxpayer ID'],
  unauthorized: ['请先登录', 'please sign in'],
  missing_role: ['当前身份没有此权限', 'this identity lacks the right'],
};

/** An error box that shows what the node said: message, field, code. */
function errorBox(e) {
  const known = e && e.code && ERR_CODES[e.code];
  return h('div.error', { role: 'alert' },
    h('b', known ? L(known[0], known[1]) : L('操作未完成', 'Not done')),
    h('span', e && e.message ? e.message : String(e)),
    e && (e.field || e.code) ? h('div.small', [
      e.field ? L('字段：', 'field: ') + e.field : '', e.field && e.code ? ' · ' : '',
      e.code ? L('代码：', 'code: ') + e.code : '']) : null);
}

function badge(status) { return h('span.badge.' + status, statusText(status)); }
function yuan(s) { return '¥' + s; }
function busy(btn, on) { if (btn) { btn.disabled = on; btn.dataset.label = btn.dataset.label || btn.textContent; btn.textContent = on ? L('处理中…', 'Working…') : btn.dataset.label; } }

/** Home page of a role. */
function homeOf(roles) {
  roles = roles || [];
  if (roles.includes('tax.officer')) return '/tax';
  if (roles.includes('collective.manager')) return '/cowbank';
  if (roles.includes('exchange.officer')) return '/exchange/desk';
  if (roles.includes('industry.attester')) return '/industry/attest';
  if (roles.includes('enterprise.finance')) return '/enterprise';
  if (roles.includes('insurer.collector')) return '/insurer';
  if (roles.includes('merchant.issuer') || roles.includes('platform.payments')) return '/merchant';
  return '/wallet';
}

let identitiesCache;
/** The demo identities, if this node runs the demo (else []). */
async function demoIdentities() {
  if (identitiesCache) return identitiesCache;
  try {
    const res = await fetch('/demo/identities.json');
    identitiesCache = res.ok ? await res.json() : [];
  } catch { identitiesCache = []; }
  return identitiesCache;
}

/** Signs in with `token`; identity fields from the demo list or from the node. */
async function signIn(token, known) {
  token = token.trim();
  const desk = await api('GET', '/v1/desk', undefined, { token });
  Session.set({
    token, name: (known && known.name) || desk.org, org: desk.org, tax_id: desk.tax_id,
    roles: desk.roles, account: known && known.account,
  });
  return Session.get();
}

function signOut() { Session.clear(); location.href = '/'; }

const ROLE_COLORS = { 'tax.officer': '#1f5fbf', 'enterprise.finance': '#137a3f', 'merchant.issuer': '#c8102e',
  'platform.payments': '#0a8f8f', consumer: '#a15c00', 'org.admin': '#6b7280' };
const ROLE_NAMES = { 'tax.officer': ['税务人员', 'tax officer'], 'enterprise.finance': ['企业财务', 'finance office'],
  'merchant.issuer': ['商户开票员', 'merchant issuer'], 'platform.payments': ['支付平台', 'payment platform'],
  consumer: ['消费者', 'consumer'], 'org.admin': ['机构管理员', 'org admin'], 'bank.officer': ['银行信贷员', 'bank officer'],
  'exchange.officer': ['部门交换专员', 'exchange officer'], 'industry.attester': ['经营数据报送员', 'industry attester'],
  'insurer.collector': ['保险代收', 'insurer'], 'collective.manager': ['村集体', 'village collective'] };
function roleName(r) { const p = ROLE_NAMES[r]; return p ? L(p[0], p[1]) : r; }

/** One identity row with a one-tap sign-in button. */
function identityRow(id, after) {
  const role = (id.roles || [])[0] || '';
  const btn = h('button.primary', {
    type: 'button', 'data-identity': id.name,
    onclick: async () => {
      busy(btn, true);
      try { await signIn(id.token, id); after ? after() : (location.href = homeOf(id.roles)); }
      catch (e) { busy(btn, false); btn.after(errorBox(e)); }
    } }, L('登录', 'Sign in'));
  return h('div.id', h('div.avatar', { style: 'background:' + (ROLE_COLORS[role] || '#888') }, (id.name || '?').slice(0, 1)),
    h('div.grow', h('div.name', id.name), h('div.small.muted', roleName(role) + ' · ' + id.org)), btn);
}

/** Sign-in by pasting a token. */
function tokenForm(after) {
  const input = h('input', { id: 'token', placeholder: 'fpt_…', autocomplete: 'off', spellcheck: false });
  const out = h('div');
  const btn = h('button.primary', { type: 'submit' }, L('登录', 'Sign in'));
  return h('form.card', {
    onsubmit: async (ev) => {
      ev.preventDefault(); out.replaceChildren(); busy(btn, true);
      try { const s = await signIn(input.value); after ? after() : (location.href = homeOf(s.roles)); }
      catch (e) { busy(btn, false); out.replaceChildren(errorBox(e)); }
    } },
  h('h3', L('用 API 令牌登录', 'Sign in with an API token')),
  h('p.small.muted', L('令牌只保存在本标签页（sessionStorage），以 Bearer 头发送给节点。',
    'The token stays in this tab (sessionStorage) and goes to the node as a Bearer header.')),
  h('div.row', h('div.grow', input), btn), out);
}

/** Renders a sign-in prompt for a page that needs one (demo identities with `roles` first). */
async function signInPrompt(title, roles, after) {
  const ids = (await demoIdentities()).filter((i) => !roles || (i.roles || []).some((r) => roles.includes(r)));
  mount(h('h1', title), h('p.muted', L('请先登录。', 'Please sign in first.')),
    ids.length ? h('div.card', h('h3', L('演示身份', 'Demo identities')), h('div.ids', ids.map((i) => identityRow(i, after)))) : null,
    tokenForm(after));
}

/** Makes sure someone is signed in; else shows the sign-in prompt and returns null. */
async function requireSession(title, roles, after) {
  const s = Session.get();
  if (s) return s;
  await signInPrompt(title, roles, after || (() => location.reload()));
  return null;
}

/** Opens the printable invoice (fetched with the token) in an overlay. */
async function openPrint(number) {
  const ov = document.getElementById('overlay');
  try {
    const res = await fetch('/v1/invoices/' + encodeURIComponent(number) + '/print',
      { headers: { authorization: 'Bearer ' + Session.token() } });
    const text = await res.text();
    if (!res.ok) throw new ApiErr(res.status, (() => { try { return JSON.parse(text); } catch { return { message: text }; } })());
    const frame = h('iframe', { title: L('发票票面', 'Invoice'), id: 'print-frame' });
    frame.srcdoc = text;
    ov.replaceChildren(h('div.sheet', h('header', h('b.grow', L('发票 ', 'Invoice ') + number),
      h('button', { type: 'button', onclick: () => frame.contentWindow.print() }, L('打印', 'Print')),
      h('button', { type: 'button', id: 'close-print', onclick: () => { ov.hidden = true; ov.replaceChildren(); } }, L('关闭', 'Close'))), frame));
    ov.hidden = false;
  } catch (e) { alert(e.message); }
}

function verifyLink(inv) {
  return '/verify?number=' + inv.number + '&date=' + inv.date + '&total=' + inv.total_with_tax;
}

const NAV = [
  ['/', ['首页', 'Start']], ['/wallet', ['我的发票', 'Wallet']], ['/merchant', ['商户', 'Merchant']],
  ['/enterprise', ['企业报销', 'Enterprise']], ['/tax', ['税务', 'Tax bureau']], ['/verify', ['查验', 'Verify']],
  ['/wallet/certificates', ['完税证明', 'Tax certificates']], ['/exchange/me', ['我的数据', 'My data']],
];

function shell() {
  for (const e of document.querySelectorAll('[data-t]')) {
    const p = SHELL_TEXT[e.dataset.t]; if (p) e.textContent = L(p[0], p[1]);
  }
  const lang = document.getElementById('lang');
  lang.textContent = LANG === 'en' ? '中文' : 'EN';
  lang.onclick = () => { localStorage.setItem('fapiao.lang', LANG === 'en' ? 'zh' : 'en'); location.reload(); };
  const s = Session.get();
  const who = document.getElementById('who');
  if (s) {
    who.replaceChildren(h('span', { title: s.org }, s.name), ' ',
      h('button.link', { type: 'button', id: 'signout', onclick: signOut }, L('退出', 'Sign out')));
  }
  const here = location.pathname;
  if (document.body.dataset.page !== 'claim') {
    document.getElementById('nav').replaceChildren(...NAV.map(([href, t]) =>
      h('a', { href, className: here === href ? 'on' : '' }, L(t[0], t[1]))));
  }
}

/** Current month and the previous one, `yyyy-mm` (China time). */
function months() {
  const now = new Date(Date.now() + 8 * 3600e3);
  const y = now.getUTCFullYear(), m = now.getUTCMonth() + 1;
  const pad = (n) => String(n).padStart(2, '0');
  const prev = m === 1 ? (y - 1) + '-12' : y + '-' + pad(m - 1);
  return { current: y + '-' + pad(m), previous: prev };
}

shell();
