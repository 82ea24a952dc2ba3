//! The closed enumerations of the tax domain that more than one layer speaks of: the
//! seller's VAT status and the invoice kind. Each is defined once, here, with its frozen
//! one-byte tag (docs/formats.md §12.3) and its stable snake_case name (JSON, genesis,
//! messages); the canonical structs, the tax rules and the API all use these types.

tag_enum! {
    /// The VAT status of a seller, which decides the rates it may invoice at.
    SellerType, "seller_type", {
        /// General VAT taxpayer (一般纳税人).
        General = (0, "general"),
        /// Small-scale taxpayer (小规模纳税人): invoices at collection rates.
        SmallScale = (1, "small_scale"),
    }
}

tag_enum! {
    /// Special VAT invoice or ordinary invoice (the bureau's type code is kept elsewhere,
    /// as data).
    InvoiceKind, "kind", {
        /// 增值税专用发票: the buyer may deduct the input tax; buyer USCC mandatory.
        Special = (0, "special"),
        /// 普通发票.
        Ordinary = (1, "ordinary"),
    }
}

impl SellerType {
    /// The name printed on an invoice or a page, in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            SellerType::General => "一般纳税人",
            SellerType::SmallScale => "小规模纳税人",
        }
    }

    /// The name printed on a page, in English.
    pub fn label_en(self) -> &'static str {
        match self {
            SellerType::General => "General taxpayer",
            SellerType::SmallScale => "Small-scale taxpayer",
        }
    }
}

impl InvoiceKind {
    /// The invoice's title, in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            InvoiceKind::Special => "增值税专用发票",
            InvoiceKind::Ordinary => "普通发票",
        }
    }

    /// The invoice's title, in English.
    pub fn label_en(self) -> &'static str {
        match self {
            InvoiceKind::Special => "Special VAT invoice",
            InvoiceKind::Ordinary => "Ordinary invoice",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::{Copying, DecodeExt, Encode};

    #[test]
    fn tags_and_names_are_frozen() {
        for (v, tag, name) in
            [(SellerType::General, 0u8, "general"), (SellerType::SmallScale, 1, "small_scale")]
        {
            assert_eq!((v.tag(), v.as_str()), (tag, name));
            assert_eq!(&v.encode()[..], &[tag]);
            assert_eq!(SellerType::decode(Copying(&[tag][..])).unwrap(), v);
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{name}\""));
        }
        for (v, tag, name) in
            [(InvoiceKind::Special, 0u8, "special"), (InvoiceKind::Ordinary, 1, "ordinary")]
        {
            assert_eq!((v.tag(), v.as_str()), (tag, name));
            assert_eq!(InvoiceKind::decode(Copying(&[tag][..])).unwrap(), v);
            assert_eq!(InvoiceKind::parse(name).unwrap(), v);
        }
        assert!(InvoiceKind::decode(Copying(&[2u8][..])).is_err());
        let e = SellerType::parse("Small_Scale").unwrap_err();
        assert_eq!((e.code(), e.field()), ("unknown_variant", "seller_type"));
        assert!(e.to_string().contains("general small_scale"), "{e}");
        assert!(serde_json::from_str::<InvoiceKind>("\"vat\"").is_err());
    }
}
