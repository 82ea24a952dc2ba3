//! An in-memory state and a world with a tax officer, a seller, a buyer enterprise,
//! a consumer, and two payment platforms' order-recording accounts.

use commonware_codec::Encode;
use fapiao_invoice::{apply, Ctx, Error, StateAccess};
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::*;
use fapiao_types::*;
use std::collections::BTreeMap;

/// The state as a `BTreeMap`, with transactional semantics done by cloning.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct MemState(pub BTreeMap<String, Vec<u8>>);

impl StateAccess for MemState {
    fn read(&self, key: &StateKey) -> std::result::Result<Option<Vec<u8>>, String> {
        Ok(self.0.get(&key.to_string()).cloned())
    }
    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.0.insert(key.to_string(), value);
    }
}

pub const SELLER: &str = "91440300708461136T"; // Tencent (Shenzhen)
pub const BUYER: &str = "914403001922038216"; // Huawei
pub const OTHER: &str = "91350100M000100Y43"; // GB 32100 example
/// 2026-11-26 12:00 China time.
/// `yyyymm` as a [`Month`].
pub fn month(yyyymm: u32) -> Month {
    Month::from_yyyymm(yyyymm).unwrap()
}

/// A USCC constant as a [`Uscc`].
pub fn uscc(s: &str) -> Uscc {
    s.parse().unwrap()
}

pub const NOON: u64 = 1_795_665_600_000;

pub fn acct(n: u8) -> AccountId {
    AccountId([n; 32])
}

#[derive(Clone)]
pub struct Actor {
    pub id: AccountId,
    pub account: AccountRecord,
    pub org: OrgRecord,
}

pub fn actor(n: u8, org: &str, kind: OrgKind, tax_id: &str, roles: Vec<Role>) -> Actor {
    Actor {
        id: acct(n),
        account: AccountRecord {
            public_key: PublicKey::Ed25519([n; 32]),
            org: org.into(),
            name: format!("actor {n}"),
            roles,
            added_at: 0,
            revoked_at: None,
        },
        org: OrgRecord {
            id: org.into(),
            name: org.into(),
            kind,
            tax_id: opt(tax_id),
            status: fapiao_types::OrgStatus::Active,
        },
    }
}

pub struct World {
    pub state: MemState,
    pub officer: Actor,
    pub issuer: Actor,
    pub finance: Actor,
    pub other_finance: Actor,
    pub consumer: Actor,
    /// `platform.payments` of the payment platform `paynet`.
    pub payments: Actor,
    /// `platform.payments` of another payment platform, `otherpay`; also a consumer
    /// (a second claimant).
    pub other_payments: Actor,
    pub height: u64,
    pub time_ms: u64,
    /// The chain secret execution sees (`Ctx::secret`).
    pub secret: Option<[u8; 32]>,
    nonce: u8,
}

impl World {
    pub fn new() -> World {
        let mut w = World {
            state: MemState::default(),
            officer: actor(1, "sz-tax", OrgKind::TaxAuthority, "", vec![Role::TaxOfficer]),
            issuer: actor(2, "seller", OrgKind::Enterprise, SELLER, vec![Role::MerchantIssuer]),
            finance: actor(3, "buyer", OrgKind::Enterprise, BUYER, vec![Role::EnterpriseFinance]),
            other_finance: actor(
                5,
                "other",
                OrgKind::Enterprise,
                OTHER,
                vec![Role::EnterpriseFinance],
            ),
            consumer: actor(4, "platform", OrgKind::Platform, "", vec![Role::Consumer]),
            payments: actor(
                6,
                "paynet",
                OrgKind::PaymentPlatform,
                "",
                vec![Role::PlatformPayments],
            ),
            other_payments: actor(
                7,
                "otherpay",
                OrgKind::PaymentPlatform,
                "",
                vec![Role::PlatformPayments, Role::Consumer],
            ),
            height: 10,
            time_ms: NOON,
            secret: None,
            nonce: 0,
        };
        for a in [
            &w.officer,
            &w.issuer,
            &w.finance,
            &w.other_finance,
            &w.consumer,
            &w.payments,
            &w.other_payments,
        ] {
            let rec = a.account.clone();
            w.state.write(&StateKey::Account(a.id), rec.encode().to_vec());
            w.state.write(&StateKey::Org(a.org.id.clone()), a.org.encode().to_vec());
        }
        w
    }

    /// Applies `action` as `who`; on refusal the state is left exactly as it was.
    pub fn run(&mut self, who: &str, action: InvoiceAction) -> std::result::Result<(), Error> {
        self.run_out(who, action).map(|_| ())
    }

    /// [`World::run`], returning the action's output (number, order id).
    pub fn run_out(
        &mut self,
        who: &str,
        action: InvoiceAction,
    ) -> std::result::Result<Option<String>, Error> {
        let a = match who {
            "officer" => &self.officer,
            "issuer" => &self.issuer,
            "finance" => &self.finance,
            "other_finance" => &self.other_finance,
            "consumer" => &self.consumer,
            "payments" => &self.payments,
            "other_payments" => &self.other_payments,
            _ => panic!("no actor {who}"),
        }
        .clone();
        self.run_as(&a, action).map(|o| (!o.is_none()).then(|| o.to_string()))
    }

    /// Puts an extra actor's account and organisation on chain.
    pub fn add(&mut self, a: &Actor) {
        self.state.write(&StateKey::Account(a.id), a.account.encode().to_vec());
        self.state.write(&StateKey::Org(a.org.id.clone()), a.org.encode().to_vec());
    }

    /// [`World::run_out`] as any actor (see [`World::add`]).
    pub fn run_as(
        &mut self,
        a: &Actor,
        action: InvoiceAction,
    ) -> std::result::Result<TxOutput, Error> {
        self.nonce += 1;
        self.height += 1;
        let ctx = Ctx {
            height: self.height,
            time_ms: self.time_ms,
            tx_hash: [self.nonce; 32],
            sender: a.id,
            account: &a.account,
            org: &a.org,
            chain_id: "fapiao-test",
            secret: self.secret.as_ref(),
        };
        let mut scratch = self.state.clone();
        let r = apply(&mut scratch, &action, &ctx);
        if r.is_ok() {
            self.state = scratch;
        }
        r
    }

    /// The tx hash byte of the last transaction run (request ids are tx hashes).
    pub fn nonce_of_last(&self) -> u8 {
        self.nonce
    }

    /// Registers the seller, the buyer enterprise and another enterprise, with credit.
    pub fn with_taxpayers(mut self) -> World {
        let issuer = self.issuer.id;
        for (uscc, issuers) in [(SELLER, vec![issuer]), (BUYER, vec![]), (OTHER, vec![])] {
            self.run(
                "officer",
                InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
                    uscc: uscc.parse().unwrap(),
                    name: format!("taxpayer {uscc}"),
                    region: "440300".parse().unwrap(),
                    seller_type: SellerType::General,
                    issuers,
                }),
            )
            .unwrap();
        }
        self.run(
            "officer",
            InvoiceAction::GrantCredit(GrantCredit {
                uscc: SELLER.parse().unwrap(),
                monthly_ceiling: 1_000_000_00,
            }),
        )
        .unwrap();
        // The seller takes orders from both payment platforms (whether one may also issue
        // automatically is the separate delegation).
        self.run(
            "issuer",
            InvoiceAction::SetAcceptedPlatforms(SetAcceptedPlatforms {
                uscc: SELLER.parse().unwrap(),
                platforms: vec!["paynet".into(), "otherpay".into()],
            }),
        )
        .unwrap();
        self
    }

    pub fn get<T: commonware_codec::Read<Cfg = ()>>(&self, key: StateKey) -> Option<T> {
        self.state.0.get(&key.to_string()).map(|b| decode_exact::<T>(b, &()).unwrap())
    }

    /// Issues the DOMAIN.md worked example to the buyer enterprise, held by the consumer.
    pub fn issue_example(&mut self, kind: InvoiceKind) -> InvoiceNumber {
        let before = self.state.0.keys().filter(|k| k.starts_with("invoice/")).count();
        self.run("issuer", InvoiceAction::IssueInvoice(example(kind, Some(self.consumer.id))))
            .unwrap();
        let numbers: Vec<String> = self
            .state
            .0
            .keys()
            .filter_map(|k| k.strip_prefix("invoice/").map(str::to_string))
            .collect();
        assert_eq!(numbers.len(), before + 1);
        // The newest number has the highest sequence.
        numbers.into_iter().max().unwrap().parse().unwrap()
    }
}

pub fn line(
    name: &str,
    quantity: &str,
    price: &str,
    amount: Option<i64>,
    gross: Option<i64>,
    rate: &str,
    tax: Option<i64>,
) -> LineInput {
    LineInput {
        name: name.into(),
        tax_code: "3040201010000000000".into(),
        spec: String::new(),
        unit: String::new(),
        quantity: opt(quantity),
        unit_price: opt(price),
        amount,
        gross,
        rate: rate.parse().unwrap(),
        tax,
    }
}

/// A value parsed from test text, none when empty.
pub fn opt<T: std::str::FromStr>(s: &str) -> Option<T>
where
    T::Err: std::fmt::Debug,
{
    (!s.is_empty()).then(|| s.parse().unwrap())
}

/// The worked example of DOMAIN.md.
pub fn example(kind: InvoiceKind, holder: Option<AccountId>) -> IssueInvoice {
    IssueInvoice {
        seller: SELLER.parse().unwrap(),
        kind,
        type_code: if kind == InvoiceKind::Special { "81".into() } else { "82".into() },
        buyer: Buyer {
            kind: BuyerKind::Enterprise,
            name: "华为技术有限公司".into(),
            tax_id: Some(BUYER.parse().unwrap()),
            holder,
        },
        lines: vec![
            line("*家具*办公椅", "3", "120.00", None, None, "0.13", None),
            line("*现代服务*咨询服务", "", "", Some(943_40), None, "0.06", None),
            line("*运输服务*运输服务", "", "", None, Some(100_00), "0.09", None),
        ],
        remarks: String::new(),
        salt: [7; 32],
        industry: None,
    }
}
