//! The CJK font compiled into the binary, and text measurement with it.
//!
//! `assets/fonts/FapiaoKai-Regular.ttf` is "Fapiao Kai": LXGW WenKai 1.250 (SIL Open Font
//! License 1.1, Debian package `fonts-lxgw-wenkai` 1.250+repack-1) cut down by
//! `scripts/subset-font.py` to ASCII, Latin-1, CJK punctuation, full-width forms and all of
//! GB 2312, and renamed as the licence asks of modified versions. It has TrueType (`glyf`)
//! outlines, so a PDF embeds it as a `CIDFontType2` after a second, per-document subset.
//!
//! Layout measures text with the same advances the PDF declares in its `/W` array, so what
//! the layout aligns is what a viewer draws.

use crate::error::{Error, Result};

/// The font file, compiled in.
pub(crate) static FONT_DATA: &[u8] = include_bytes!("../../../assets/fonts/FapiaoKai-Regular.ttf");

/// PostScript name of the embedded font (the PDF prefixes a subset tag).
pub(crate) const POSTSCRIPT_NAME: &str = "FapiaoKai-Regular";

/// Points per millimetre.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// The parsed embedded font.
pub(crate) struct Font {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Font {
    /// Parses the compiled-in font.
    pub(crate) fn embedded() -> Result<Self> {
        let face = ttf_parser::Face::parse(FONT_DATA, 0)
            .map_err(|e| Error::Font { reason: e.to_string() })?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Self { face, units_per_em })
    }

    /// The glyph of `c`, if the font has one.
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        self.face.glyph_index(c).map(|g| g.0)
    }

    /// Advance of glyph `gid` in thousandths of an em (PDF glyph space).
    pub(crate) fn advance(&self, gid: u16) -> f32 {
        let units = self.face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0);
        self.to_glyph_space(f32::from(units))
    }

    /// Advance of `c` (the `.notdef` advance if the font lacks it), thousandths of an em.
    pub(crate) fn char_advance(&self, c: char) -> f32 {
        self.advance(self.glyph(c).unwrap_or(0))
    }

    /// Width of `text` set at `size` points, in millimetres.
    pub(crate) fn width_mm(&self, text: &str, size: f32) -> f32 {
        let em: f32 = text.chars().map(|c| self.char_advance(c)).sum();
        em / 1000.0 * size / PT_PER_MM
    }

    /// Converts font units to thousandths of an em.
    pub(crate) fn to_glyph_space(&self, units: f32) -> f32 {
        units * 1000.0 / self.units_per_em
    }

    /// Ascender, descender, cap height, bounding box, all in thousandths of an em.
    pub(crate) fn metrics(&self) -> Metrics {
        let bbox = self.face.global_bounding_box();
        let ascent = self.to_glyph_space(f32::from(self.face.ascender()));
        Metrics {
            ascent,
            descent: self.to_glyph_space(f32::from(self.face.descender())),
            cap_height: self
                .face
                .capital_height()
                .map_or(ascent * 0.7, |h| self.to_glyph_space(f32::from(h))),
            bbox: [
                self.to_glyph_space(f32::from(bbox.x_min)),
                self.to_glyph_space(f32::from(bbox.y_min)),
                self.to_glyph_space(f32::from(bbox.x_max)),
                self.to_glyph_space(f32::from(bbox.y_max)),
            ],
        }
    }
}

/// Font-wide metrics for the PDF font descriptor, thousandths of an em.
pub(crate) struct Metrics {
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) cap_height: f32,
    pub(crate) bbox: [f32; 4],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_what_invoices_print() {
        let font = Font::embedded().expect("embedded font parses");
        for c in "电子发票（增值税专用发票）购买方销售方信息统一社会信用代码/纳税人识别号\
                  项目名称规格型号单位数量单价金额税率征收率税额合计价税大写小写备注开票人\
                  壹贰叁肆伍陆柒捌玖拾佰仟万亿圆角分整负数¥￥%0123456789.-*()（）：，"
            .chars()
        {
            assert!(font.glyph(c).is_some(), "no glyph for {c}");
        }
        // GB 2312 level 2, and a character outside GB 2312 that the subset dropped.
        assert!(font.glyph('亍').is_some());
        assert!(font.glyph('𠀀').is_none());
    }

    #[test]
    fn widths_are_positive_and_cjk_is_full_width() {
        let font = Font::embedded().expect("embedded font parses");
        let han = font.char_advance('票');
        assert!((900.0..=1100.0).contains(&han), "{han}");
        let digit = font.char_advance('8');
        assert!(digit > 300.0 && digit < han, "{digit}");
        let w = font.width_mm("发票", 10.0);
        assert!((w - 2.0 * han / 1000.0 * 10.0 / PT_PER_MM).abs() < 1e-3);
    }
}
