//! PDF output: the laid-out pages as one PDF 1.7 file with the font embedded.
//!
//! Text is set in one `Type0` font with `Identity-H` encoding over a `CIDFontType2`
//! descendant: the embedded font is subset again, at render time, to the glyphs this
//! document uses (a few kilobytes instead of megabytes), and its glyphs are numbered in
//! order of first use. CIDs are those new glyph ids, so `/CIDToGIDMap` is `/Identity`,
//! except when some characters are missing from the font: each of those gets its own CID
//! past the last glyph, drawn as `.notdef` through an explicit map, so that the
//! `/ToUnicode` CMap can still give it back as the right character to text extraction.
//!
//! The output is deterministic: no dates, no random subset tag (it is derived from the
//! glyph set), so the same invoice always renders to the same bytes.

use std::collections::BTreeMap;

use pdf_writer::{
    types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap},
    Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr,
};

use crate::{
    error::{Error, Result},
    font::{Font, FONT_DATA, POSTSCRIPT_NAME, PT_PER_MM},
    layout::{Op, Page, Rgb, PAGE_H, PAGE_W},
};

const FONT_RESOURCE: Name<'static> = Name(b"F1");

/// How the characters of a document map to CIDs and glyphs.
struct Encoding {
    /// CID of every character drawn.
    cid: BTreeMap<char, u16>,
    /// Per CID, in CID order: the character it stands for and its advance (1/1000 em).
    cids: Vec<(Option<char>, f32)>,
    /// CIDs from here on are characters the font lacks, drawn as glyph 0.
    missing_from: u16,
    /// The subset font program.
    font_program: Vec<u8>,
    /// `AAAAAA+` style tag naming this subset.
    tag: String,
}

/// Writes `pages` as a PDF titled `title`.
pub(crate) fn write(pages: &[Page], font: &Font, title: &str) -> Result<Vec<u8>> {
    let mut chars = Vec::new();
    for page in pages {
        collect_chars(&page.ops, &mut chars);
    }
    let enc = encode(font, &chars)?;

    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let tree_id = alloc();
    let info_id = alloc();
    let type0_id = alloc();
    let cid_font_id = alloc();
    let descriptor_id = alloc();
    let font_file_id = alloc();
    let to_unicode_id = alloc();
    let cid_to_gid_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    pdf.document_info(info_id).title(TextStr(title)).producer(TextStr("fapiao-print"));

    let media = Rect::new(0.0, 0.0, PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM);
    for (page, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut p = pdf.page(*page_id);
        p.parent(tree_id).media_box(media).contents(*content_id);
        p.resources().fonts().pair(FONT_RESOURCE, type0_id);
        p.finish();
        let mut content = Content::new();
        draw(&mut content, &page.ops, &enc);
        let data = deflate(&content.finish().into_vec());
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
    }

    let base_font = format!("{}+{}", enc.tag, POSTSCRIPT_NAME);
    let base_font = Name(base_font.as_bytes());
    let system_info =
        SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

    pdf.type0_font(type0_id)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font_id)
        .to_unicode(to_unicode_id);

    let mut cid_font = pdf.cid_font(cid_font_id);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(system_info)
        .font_descriptor(descriptor_id)
        .default_width(1000.0);
    cid_font.widths().consecutive(0, enc.cids.iter().map(|(_, w)| *w));
    if usize::from(enc.missing_from) < enc.cids.len() {
        cid_font.cid_to_gid_map_stream(cid_to_gid_id);
    } else {
        cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    cid_font.finish();

    let m = font.metrics();
    pdf.font_descriptor(descriptor_id)
        .name(base_font)
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3]))
        .italic_angle(0.0)
        .ascent(m.ascent)
        .descent(m.descent)
        .cap_height(m.cap_height)
        .stem_v(80.0)
        .font_file2(font_file_id);

    let program = deflate(&enc.font_program);
    pdf.stream(font_file_id, &program)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), i32::try_from(enc.font_program.len()).unwrap_or(i32::MAX));

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (cid, (c, _)) in enc.cids.iter().enumerate() {
        if let (Some(c), Ok(cid)) = (c, u16::try_from(cid)) {
            cmap.pair(cid, *c);
        }
    }
    let cmap = deflate(&cmap.finish().into_vec());
    pdf.stream(to_unicode_id, &cmap).filter(Filter::FlateDecode);

    if usize::from(enc.missing_from) < enc.cids.len() {
        let mut map = Vec::with_capacity(enc.cids.len() * 2);
        for cid in 0..enc.cids.len() {
            let gid = if cid < usize::from(enc.missing_from) { cid } else { 0 };
            map.extend_from_slice(&u16::try_from(gid).unwrap_or(0).to_be_bytes());
        }
        let map = deflate(&map);
        pdf.stream(cid_to_gid_id, &map).filter(Filter::FlateDecode);
    }

    Ok(pdf.finish())
}

fn collect_chars(ops: &[Op], out: &mut Vec<char>) {
    for op in ops {
        match op {
            Op::Text { text, .. } => out.extend(text.chars()),
            Op::Span { ops, .. } => collect_chars(ops, out),
            _ => {}
        }
    }
}

/// Numbers the glyphs of `chars` in order of first use and subsets the font to them.
fn encode(font: &Font, chars: &[char]) -> Result<Encoding> {
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut cid = BTreeMap::new();
    let mut unicode: BTreeMap<u16, char> = BTreeMap::new();
    let mut missing = Vec::new();
    for &c in chars {
        if cid.contains_key(&c) || missing.contains(&c) {
            continue;
        }
        match font.glyph(c) {
            Some(gid) if gid != 0 => {
                let new = remapper.remap(gid);
                cid.insert(c, new);
                unicode.entry(new).or_insert(c);
            }
            _ => missing.push(c),
        }
    }
    let font_program = subsetter::subset(FONT_DATA, 0, &remapper)
        .map_err(|e| Error::Subset { reason: e.to_string() })?;
    // The subsetter appends the components of composite glyphs after ours: the subset's
    // glyph count, not ours, is where the CIDs of missing characters can start.
    let glyphs = ttf_parser::Face::parse(&font_program, 0)
        .map_err(|e| Error::Subset { reason: format!("subset unreadable: {e}") })?
        .number_of_glyphs();

    let mut cids: Vec<(Option<char>, f32)> = Vec::with_capacity(usize::from(glyphs));
    for (new, old) in remapper.remapped_gids().enumerate() {
        let c = u16::try_from(new).ok().and_then(|n| unicode.get(&n).copied());
        cids.push((c, font.advance(old)));
    }
    cids.resize(usize::from(glyphs), (None, 0.0));
    let notdef = font.advance(0);
    for c in missing {
        let next = u16::try_from(cids.len())
            .map_err(|_| Error::Subset { reason: "more than 65,535 CIDs".into() })?;
        cid.insert(c, next);
        cids.push((Some(c), notdef));
    }

    let mut hash: u32 = 0x811c_9dc5;
    for g in remapper.remapped_gids() {
        for b in g.to_be_bytes() {
            hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    let tag = (0..6)
        .map(|i| char::from(b'A' + u8::try_from((hash >> (i * 5)) % 26).unwrap_or(0)))
        .collect();

    Ok(Encoding { cid, cids, missing_from: glyphs, font_program, tag })
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

fn pt(mm: f32) -> f32 {
    mm * PT_PER_MM
}

/// PDF y (points from the bottom) of a layout y (mm from the top).
fn pt_y(mm: f32) -> f32 {
    (PAGE_H - mm) * PT_PER_MM
}

fn draw(content: &mut Content, ops: &[Op], enc: &Encoding) {
    for op in ops {
        match op {
            Op::Text { x, y, size, text, color, bold } => {
                let mut bytes = Vec::with_capacity(text.len() * 2);
                for c in text.chars() {
                    let cid = enc.cid.get(&c).copied().unwrap_or(0);
                    bytes.extend_from_slice(&cid.to_be_bytes());
                }
                let Rgb(r, g, b) = *color;
                content.save_state();
                content.set_fill_rgb(r, g, b);
                if *bold {
                    // A thin stroke of the outline in the fill colour: a faux bold, as
                    // the font has one weight.
                    content.set_stroke_rgb(r, g, b);
                    content.set_line_width(size * 0.03);
                }
                content.begin_text();
                content.set_font(FONT_RESOURCE, *size);
                if *bold {
                    content.set_text_rendering_mode(TextRenderingMode::FillStroke);
                }
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, pt(*x), pt_y(*y)]);
                content.show(Str(&bytes));
                content.end_text();
                content.restore_state();
            }
            Op::Line { x1, y1, x2, y2, width, color } => {
                let Rgb(r, g, b) = *color;
                content.set_stroke_rgb(r, g, b);
                content.set_line_width(pt(*width));
                content.move_to(pt(*x1), pt_y(*y1));
                content.line_to(pt(*x2), pt_y(*y2));
                content.stroke();
            }
            Op::Rect { x, y, w, h, width, color } => {
                let Rgb(r, g, b) = *color;
                content.set_stroke_rgb(r, g, b);
                content.set_line_width(pt(*width));
                content.rect(pt(*x), pt_y(y + h), pt(*w), pt(*h));
                content.stroke();
            }
            Op::Qr { x, y, module, matrix } => {
                let side = matrix.size() as f32 * module;
                content.set_fill_rgb(1.0, 1.0, 1.0);
                content.rect(pt(*x), pt_y(y + side), pt(side), pt(side));
                content.fill_nonzero();
                content.set_fill_rgb(0.0, 0.0, 0.0);
                for (mx, my, len) in matrix.runs() {
                    let left = x + mx as f32 * module;
                    let top = y + my as f32 * module;
                    content.rect(
                        pt(left),
                        pt_y(top + module),
                        pt(len as f32 * module),
                        pt(*module),
                    );
                }
                content.fill_nonzero();
            }
            Op::CircledCross { cx, cy, r, color } => {
                let Rgb(red, g, b) = *color;
                content.set_stroke_rgb(red, g, b);
                content.set_line_width(pt(0.2));
                let (cx, cy, r) = (pt(*cx), pt_y(*cy), pt(*r));
                // Four cubic arcs; 0.5523 × r places the control points of a quarter circle.
                let k = 0.5523 * r;
                content.move_to(cx + r, cy);
                content.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
                content.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
                content.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
                content.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
                content.close_path();
                let d = r * std::f32::consts::FRAC_1_SQRT_2;
                content.move_to(cx - d, cy - d);
                content.line_to(cx + d, cy + d);
                content.move_to(cx - d, cy + d);
                content.line_to(cx + d, cy - d);
                content.stroke();
            }
            Op::Span { text, ops } => {
                content
                    .begin_marked_content_with_properties(Name(b"Span"))
                    .properties()
                    .actual_text(TextStr(text));
                draw(content, ops, enc);
                content.end_marked_content();
            }
        }
    }
}
