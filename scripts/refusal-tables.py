#!/usr/bin/env python3
"""Rewrites the tables of docs/formats.md §18 from the refusal tables in the sources.

The test `the_format_document_lists_every_refusal_code` (crates/ledger/src/apps.rs) fails
when §18 and the tables disagree; run this to bring the document up to date, then review
the diff. Add a new application's table to TABLES.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
TABLES = [
    ("The values (`fapiao_values::refusal::Code`)", "crates/values/src/refusal.rs", ""),
    ("The platform (`fapiao_app::Platform`)", "crates/app/src/refusal.rs", ""),
    ("The invoice application (`fapiao_invoice_rules::Code`, namespace `invoice`)",
     "crates/invoice-rules/src/refusal.rs", "invoice"),
    ("The tax-certificate application (`fapiao_certificate::Code`, namespace `certificate`)",
     "crates/certificate/src/refusal.rs", "certificate"),
    ("The cow bank (`fapiao_cowbank::Code`, namespace `cowbank`)",
     "crates/cowbank/src/refusal.rs", "cowbank"),
    ("The department exchange (`fapiao_exchange::Code`, namespace `exchange`)",
     "crates/exchange/src/refusal.rs", "exchange"),
    ("The cross-chain light client (`fapiao_crosschain::Code`, namespace `crosschain`)",
     "crates/crosschain/src/refusal.rs", "crosschain"),
    ("The industry chain (`fapiao_industry::Code`, namespace `industry`)",
     "crates/industry/src/refusal.rs", "industry"),
    ("The finance application (`fapiao_finance::Code`, namespace `finance`)",
     "crates/finance/src/refusal.rs", "finance"),
]
ROW = re.compile(r'(\w+) = \("([a-z_]+)", (\d+), "([^"]*)"\),')


def rows(path, namespace):
    text = (ROOT / path).read_text()
    text = text.split("#[cfg(test)]")[0]  # the test tables of values are not real codes
    doc = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("///"):
            doc.append(line[3:].strip())
            continue
        m = ROW.match(line)
        if m:
            code = f"{namespace}.{m.group(2)}" if namespace else m.group(2)
            yield code, m.group(3), m.group(4), " ".join(doc).replace("|", "/")
        doc = []


def main():
    out = []
    for title, path, namespace in TABLES:
        out.append(f"\n### {title}\n\n| code | HTTP | field | refused when |\n|---|---|---|---|")
        for code, status, field, doc in rows(path, namespace):
            shown = f"`{field}`" if field else "(varies)"
            out.append(f"| `{code}` | {status} | {shown} | {doc} |")
    formats = ROOT / "docs/formats.md"
    text = formats.read_text()
    start = text.index("## 18. Refusal codes")
    first = text.index("\n### ", start)
    end = text.find("\n## ", first)
    tail = "\n" + text[end:].lstrip("\n") if end != -1 else ""
    formats.write_text(text[:first] + "\n".join(out) + "\n" + tail)


if __name__ == "__main__":
    main()
