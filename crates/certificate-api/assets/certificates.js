// The owner's tax certificates (完税证明): the vehicle tax insurers collected for the
// signed-in wallet account (GET /v1/wallet/certificates), the exchange for a numbered
// certificate, and each certificate's check link with its QR code, which anyone can open.
'use strict';

(async function certificatesPage() {
  const title = () => h('h1', L('我的完税证明', 'My tax certificates'));
  const s = await requireSession(L('我的完税证明', 'My tax certificates'), ['consumer']);
  if (!s) return;
  mount(title(), h('p.muted', L('加载中…', 'Loading…')));
  let list;
  try { list = await api('GET', '/v1/wallet/certificates'); } catch (e) { mount(title(), errorBox(e)); return; }
  mount(title(),
    h('p.small.muted', L('保险公司代收车船税后，可在此换开电子完税证明，任何人可凭证明号码和车牌查验。',
      'After an insurer collects your vehicle tax, exchange it here for an electronic certificate anyone can check by number and plate.')),
    h('p.small', h('a', { href: '/wallet' }, L('← 我的发票', '← My invoices'))),
    s.account ? h('details.card', { id: 'wallet-qr' }, h('summary', L('出示钱包二维码（投保时给保险公司扫描）', 'Show my wallet QR code (for the insurer, when buying the policy)')),
      h('img', { src: '/qr.svg?text=' + encodeURIComponent(s.account), alt: L('钱包账户二维码', 'Wallet account QR code'), width: 180, height: 180 }),
      h('div.small.mono.muted', { style: 'word-break:break-all' }, s.account)) : null,
    list.length ? h('div.list', { id: 'certificates' }, list.map(certCard))
      : h('div.card.muted', L('还没有代收记录。购买交强险时出示钱包二维码即可。', 'No collections yet. Show your wallet\'s QR code when you buy the compulsory insurance.')));
})();

/** The public check page of a certificate, as a link anyone can open. */
function checkLink(number, plate) {
  return '/certificates/check?number=' + encodeURIComponent(number) + '&plate=' + encodeURIComponent(plate);
}

/** Opens the printable certificate (fetched with the token) in a new tab. */
async function openPdf(number, out) {
  const tab = window.open('', '_blank');
  try {
    const res = await fetch('/v1/certificates/' + encodeURIComponent(number) + '/pdf', { headers: { authorization: 'Bearer ' + Session.token() } });
    if (!res.ok) throw new ApiErr(res.status, await res.json().catch(() => null));
    const url = URL.createObjectURL(await res.blob());
    if (tab) tab.location = url; else location.href = url;
  } catch (e) { if (tab) tab.close(); out.replaceChildren(errorBox(e)); }
}

function certCard(c) {
  const out = h('div');
  const cert = c.certificate;
  const lines = h('table.small', h('tr', h('th', L('年度', 'Year')), h('th.num', L('月数', 'Months')), h('th.num', L('税额', 'Tax')), h('th.num', L('滞纳金', 'Late fee'))),
    c.lines.map((l) => h('tr', h('td', l.year), h('td.num', l.months), h('td.num', l.tax), h('td.num', l.late_fee))));
  const parts = [
    h('div.row.between', h('b', c.plate), cert ? h('span.badge.' + (cert.status === 'valid' ? 'good' : 'bad'), L(cert.label_zh, cert.label_en))
      : h('span.badge', L('待换开', 'Not exchanged'))),
    h('div.row.between', h('span.amount', yuan(c.total)), h('span.small.muted', L('税款所属期 ', 'Tax year ') + c.tax_year)),
    h('div.small.muted', c.insurer_name + ' · ' + L('代收于 ', 'collected ') + c.collected_on),
    c.relief.code !== 'none' ? h('div.small.muted', L(c.relief.label_zh, c.relief.label_en)) : null,
    h('details', h('summary.small', L('明细', 'Details')), lines,
      h('div.small.mono.muted', 'VIN ' + c.vin), h('div.small.muted', L('保单号 ', 'Policy ') + c.policy_no)),
  ];
  if (c.refund) {
    parts.push(h('div.small', { style: 'color:#8a0c20' }, L('已退税 ', 'Refunded ') + yuan(c.refund.amount) + ' · ' + c.refund.event_date));
  }
  if (cert) {
    const link = checkLink(cert.number, c.plate);
    const url = location.origin + link;
    parts.push(h('div.small', L('完税证明号码 ', 'Certificate no. '), h('b.mono.number', cert.number)),
      h('div.row', { style: 'margin-top:8px;align-items:center' },
        h('img', { src: '/qr.svg?text=' + encodeURIComponent(url), alt: L('查验二维码', 'Check QR code'), width: 120, height: 120, className: 'qr' }),
        h('div.grow', h('a.btn.check', { href: link }, L('查验此证明', 'Check this certificate')),
          h('div.small.muted', { style: 'margin-top:6px' }, L('扫码或打开链接，凭号码与车牌查验。', 'Scan or open the link: checked by number and plate.')),
          h('div.small', { style: 'margin-top:6px' }, h('button.link.pdf', { type: 'button', onclick: () => openPdf(cert.number, out) }, L('打印 / PDF', 'Print / PDF'))),
          h('div.small', { style: 'margin-top:6px' }, h('a.proof', { href: '/v1/certificates/' + cert.number + '/proof', download: 'certificate-' + cert.number + '.json' },
            L('下载证明包（离线验证）', 'Proof bundle (verifies offline)'))))));
  } else {
    const btn = h('button.primary.exchange', { type: 'button' }, L('换开完税证明', 'Exchange for a certificate'));
    btn.onclick = async () => {
      busy(btn, true); out.replaceChildren();
      try {
        const r = await api('POST', '/v1/collections/' + c.id + '/exchange');
        out.closest('.card').replaceWith(certCard(r.collection));
      } catch (e) { busy(btn, false); out.replaceChildren(errorBox(e)); }
    };
    parts.push(h('div.row', { style: 'margin-top:8px' }, btn));
  }
  parts.push(out);
  return h('div.card', { 'data-collection': c.id, 'data-plate': c.plate }, parts);
}
