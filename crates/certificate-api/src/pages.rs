//! The tax-certificate application's pages, served by the node beside its routes on the
//! shell of `fapiao-web` (`core.js`, the stylesheet, sign-in, QR images), phone-sized
//! like the invoice role pages. Each is a script over the same `/v1` routes any client
//! calls.
//!
//! | path | who | what |
//! |---|---|---|
//! | `/wallet/certificates` | vehicle owner | collections and certificates, exchange, the check link and its QR code |
//! | `/insurer` | insurer's collector | record a collection with a live computation preview, collections, refunds, settlement batches |
//! | `/certificates/check` | anyone | check a certificate by number and plate |
//! | `/tax/vehicle-tax` | tax officer | collected, settled and outstanding tax per insurer, by age; confirm batches |

use fapiao_web::{AppPages, Page};

/// The tax-certificate application's pages.
pub const PAGES: AppPages = AppPages {
    name: "certificate",
    pages: &[
        Page {
            path: "/wallet/certificates",
            name: "certificates",
            title: "我的完税证明 · Fapiao",
            script: include_str!("../assets/certificates.js"),
        },
        Page {
            path: "/insurer",
            name: "insurer",
            title: "车船税代收 · Fapiao",
            script: include_str!("../assets/insurer.js"),
        },
        Page {
            path: "/certificates/check",
            name: "certcheck",
            title: "完税证明查验 · Fapiao",
            script: include_str!("../assets/certcheck.js"),
        },
        Page {
            path: "/tax/vehicle-tax",
            name: "vehicletax",
            title: "车船税结报 · Fapiao",
            script: include_str!("../assets/vehicletax.js"),
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_page_answers_with_its_script_and_words_no_status_itself() {
        let requests = [
            ("/wallet/certificates", "certificates"),
            ("/insurer", "insurer"),
            ("/certificates/check?number=202600000001&plate=%E7%B2%A4B12345", "certcheck"),
            ("/tax/vehicle-tax", "vehicletax"),
        ];
        fapiao_web::testing::assert_pages_served_at(PAGES, &requests).await;
    }
}
