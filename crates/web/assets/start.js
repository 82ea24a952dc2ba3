// Start page: what Fapiao is, and sign-in (demo identities or a pasted token).
'use strict';

(async function start() {
  const s = Session.get();
  const ids = await demoIdentities();
  const orders = await demoUnclaimedOrders();
  const order = ['consumer', 'merchant.issuer', 'platform.payments', 'enterprise.finance', 'tax.officer', 'insurer.collector'];
  const rank = (i) => { const k = order.indexOf((i.roles || [])[0]); return k < 0 ? 99 : k; };
  const shown = ids.filter((i) => rank(i) < 99).sort((a, b) => rank(a) - rank(b));
  const others = ids.filter((i) => rank(i) === 99);
  mount(
    h('section.card.hero',
      h('h1', L('交易即开票，发票上链', 'Pay, and the invoice is on the chain')),
      h('p', L('Fapiao 是深圳区块链电子发票的开放实现：消费者付款后扫描小票二维码，在手机上领取发票；商户开具；企业报销时链上查重；税务局实时监管。',
        'Fapiao is an open rebuild of Shenzhen\'s blockchain e-invoice: a consumer pays, scans the receipt\'s QR code and claims the invoice on the phone; the merchant issues; the enterprise reimburses, checked against the chain; the tax bureau watches live.')),
      h('div.row.small.muted', L('每一步都是经共识确认的签名交易。', 'Every step is a signed transaction ordered by consensus.'))),
    s ? h('div.card.row.between', h('span', L('已登录：', 'Signed in: '), h('b', s.name)),
      h('a.btn.primary', { href: homeOf(s.roles) }, L('进入工作台', 'Open my page'))) : null,
    shown.length ? h('section.card',
      h('h2', L('演示身份 · 一键登录', 'Demo identities · one-tap sign-in')),
      h('div.ids', shown.map((i) => identityRow(i))),
      others.length ? h('details', h('summary.small.muted', L('更多身份', 'More identities') + ' (' + others.length + ')'),
        h('div.ids', others.map((i) => identityRow(i)))) : null) : null,
    orders.length ? h('section.card',
      h('h2', L('演示订单 · 待领取', 'Demo orders · waiting to be claimed')),
      h('p.small.muted', L('演示平台记录的付款订单中，这些还没有人领取。打开链接，就像扫描小票上的二维码：',
        'Of the payments the demo platform recorded, nobody has claimed these yet. Open one as if scanning the receipt\'s QR code:')),
      h('ul', { id: 'demo-orders' }, orders.slice(0, 5).map((o) => h('li',
        h('a', { href: o.claim_url }, o.merchant_name), ' ', yuan(o.amount),
        h('span.small.muted', ' · ' + L('领取码 ', 'claim code ') + o.claim_code)))),
      h('p.small.muted', L('全部 ' + orders.length + ' 个领取码在数据目录的 demo/unclaimed-orders.json。',
        'All ' + orders.length + ' claim codes are in the data directory\'s demo/unclaimed-orders.json.'))) : null,
    tokenForm(),
    h('section.card', h('h2', L('页面', 'Pages')), h('ul',
      h('li', h('a', { href: '/wallet' }, L('我的发票', 'Wallet')), L(' — 持有的发票、票面、提交报销', ' — invoices held, printable view, reimbursement')),
      h('li', h('a', { href: '/merchant' }, L('商户工作台', 'Merchant console')), L(' — 待开票订单、开票、红字、授信', ' — orders waiting, issuing, red letters, credit')),
      h('li', h('a', { href: '/enterprise' }, L('企业报销台', 'Reimbursement desk')), L(' — 审核报销、入账、增值税申报', ' — approve claims, booking, VAT return')),
      h('li', h('a', { href: '/tax' }, L('税务看板', 'Tax dashboard')), L(' — 实时图表、风险预警、纳税人管理', ' — live charts, risk alerts, taxpayer registry')),
      h('li', h('a', { href: '/apply' }, L('极速版在线申请', 'Express edition: apply online')), L(' — 商户在线申请登记与开票权限', ' — a merchant applies online for registration and invoicing rights')),
      h('li', h('a', { href: '/verify' }, L('发票查验', 'Verify an invoice')), L(' — 任何人可查', ' — open to anyone')),
      h('li', h('a', { href: '/village', id: 'village-link' }, L('村务公开 · 母牛银行', 'Village cow bank: open books')), L(' — 牛群、资金、每笔出售的分成，无需登录', ' — herd, funds, every sale and its split, no sign-in')),
      h('li', h('a', { href: '/cowbank' }, L('母牛银行管理台', 'Cow bank console')), L(' — 村集体管理员：牛群、合同、出生、出售', ' — the collective manager: herd, contracts, births, sales')),
      h('li', h('a', { href: '/exchange/desk', id: 'exchange-link' }, L('部门情报交换工作台', 'Department exchange desk')), L(' — 税务、公安、海关、人民银行：目录、加密查询、联合预警', ' — tax, police, customs, central bank: catalogues, sealed queries, joint alerts')),
      h('li', h('a', { href: '/exchange/me' }, L('我的数据', 'My data')), L(' — 个税专项附加扣除、授权与查询记录', ' — income-tax deductions, consents and who read your data')))),
  );
})();

/** The demo's unclaimed orders (`/demo/unclaimed-orders.json`), or none outside a demo. */
async function demoUnclaimedOrders() {
  try {
    const res = await fetch('/demo/unclaimed-orders.json');
    return res.ok ? await res.json() : [];
  } catch { return []; }
}
