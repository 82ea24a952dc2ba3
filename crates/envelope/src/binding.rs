//! What an exchange envelope is bound to: the `info` (domain separation) and the `aad`
//! (the transaction fields around it).
//!
//! `info` = `"fapiao-exchange-v1"` ‖ `0x00` ‖ context, where the context says what the
//! envelope is: `"query"` for a query's payload, `"answer"` ‖ `0x00` ‖ the query id
//! (its 32 bytes) for an answer's. A payload sealed for one purpose does not open as
//! another, nor outside the exchange.
//!
//! `aad` is a label followed by the fields of the transaction that carries the envelope,
//! each as `u32be(len) ‖ bytes` (integers as `u32be`, an absent value as length
//! `0xffffffff`); the chain stores the envelope and these fields together, so an
//! envelope copied into another query or answer does not open:
//!
//! | envelope | label | fields, in order |
//! |---|---|---|
//! | query | `fapiao-exchange-v1/query` | asking org id, answering org id, catalogue item, subject tag (32 bytes), purpose, person (account id or absent), key epoch |
//! | answer | `fapiao-exchange-v1/answer` | query id (32 bytes), answering org id, asking org id, outcome (`found`, `not_found`, `declined`), key epoch |
//!
//! Organisation and account ids are their text form as the API shows them; the key
//! epoch is the recipient's, the one in the envelope.

/// The exchange's domain-separation label.
pub const LABEL: &[u8] = b"fapiao-exchange-v1";

/// `info` for a caller's `context`: `LABEL ‖ 0x00 ‖ context`.
pub fn info(context: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(LABEL.len() + 1 + context.len());
    out.extend_from_slice(LABEL);
    out.push(0);
    out.extend_from_slice(context);
    out
}

/// `info` of a query's envelope.
pub fn query_info() -> Vec<u8> {
    info(b"query")
}

/// `info` of the envelope answering query `query_id`.
pub fn answer_info(query_id: &[u8]) -> Vec<u8> {
    let mut context = b"answer\0".to_vec();
    context.extend_from_slice(query_id);
    info(&context)
}

/// The fields a query's envelope is bound to.
#[derive(Clone, Copy, Debug)]
pub struct QueryBinding<'a> {
    /// The asking organisation.
    pub from: &'a str,
    /// The organisation asked (the envelope's recipient).
    pub to: &'a str,
    /// The catalogue item.
    pub item: &'a str,
    /// The subject's keyed tag.
    pub subject_tag: &'a [u8],
    /// The purpose (a case number).
    pub purpose: &'a str,
    /// The person the query is about, for natural-person items.
    pub person: Option<&'a str>,
    /// The recipient's key epoch the envelope is sealed under.
    pub key_epoch: u32,
}

/// The fields an answer's envelope is bound to.
#[derive(Clone, Copy, Debug)]
pub struct AnswerBinding<'a> {
    /// The query answered.
    pub query_id: &'a [u8],
    /// The answering organisation.
    pub from: &'a str,
    /// The asking organisation (the envelope's recipient).
    pub to: &'a str,
    /// The outcome (`found`, `not_found`, `declined`).
    pub outcome: &'a str,
    /// The recipient's key epoch the envelope is sealed under.
    pub key_epoch: u32,
}

struct Aad(Vec<u8>);

impl Aad {
    fn new(label: &str) -> Aad {
        let mut a = Aad(Vec::with_capacity(128));
        a.bytes(label.as_bytes());
        a
    }
    fn bytes(&mut self, b: &[u8]) -> &mut Aad {
        // A field of 4 GiB cannot come from a transaction (their size limit is far
        // smaller); saturate rather than panic on one.
        let len = u32::try_from(b.len()).unwrap_or(u32::MAX - 1);
        self.0.extend_from_slice(&len.to_be_bytes());
        self.0.extend_from_slice(b);
        self
    }
    fn opt(&mut self, b: Option<&[u8]>) -> &mut Aad {
        match b {
            Some(b) => self.bytes(b),
            None => {
                self.0.extend_from_slice(&u32::MAX.to_be_bytes());
                self
            }
        }
    }
    fn int(&mut self, n: u32) -> &mut Aad {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }
}

/// The `aad` of a query's envelope.
pub fn query_aad(q: &QueryBinding<'_>) -> Vec<u8> {
    let mut a = Aad::new("fapiao-exchange-v1/query");
    a.bytes(q.from.as_bytes())
        .bytes(q.to.as_bytes())
        .bytes(q.item.as_bytes())
        .bytes(q.subject_tag)
        .bytes(q.purpose.as_bytes())
        .opt(q.person.map(str::as_bytes))
        .int(q.key_epoch);
    a.0
}

/// The `aad` of an answer's envelope.
pub fn answer_aad(b: &AnswerBinding<'_>) -> Vec<u8> {
    let mut a = Aad::new("fapiao-exchange-v1/answer");
    a.bytes(b.query_id)
        .bytes(b.from.as_bytes())
        .bytes(b.to.as_bytes())
        .bytes(b.outcome.as_bytes())
        .int(b.key_epoch);
    a.0
}

/// `info` of a share of the watch key of `epoch` (one per intelligence department).
pub fn watch_key_info(epoch: u32) -> Vec<u8> {
    let mut c = b"watch-key\0".to_vec();
    c.extend_from_slice(&epoch.to_be_bytes());
    info(&c)
}

/// `info` of a finding attached to case `case` (a joint alert's id).
pub fn finding_info(case: &[u8]) -> Vec<u8> {
    let mut c = b"finding\0".to_vec();
    c.extend_from_slice(case);
    info(&c)
}

/// `info` of the details of a person's deduction declaration for `year` (`person`: the
/// account's 32 bytes).
pub fn deduction_info(person: &[u8], year: u16) -> Vec<u8> {
    let mut c = b"deduction\0".to_vec();
    c.extend_from_slice(person);
    c.extend_from_slice(&year.to_be_bytes());
    info(&c)
}

/// `info` of a watch entry's note (sealed by the department to itself).
pub fn note_info() -> Vec<u8> {
    info(b"note")
}

/// The `aad` of an envelope addressed to one organisation in a list (a watch-key share, a
/// finding, a declaration's details): `fapiao-exchange-v1/addressed` ‖ the organisation id
/// ‖ the key epoch, each as above.
pub fn addressed_aad(to: &str, key_epoch: u32) -> Vec<u8> {
    let mut a = Aad::new("fapiao-exchange-v1/addressed");
    a.bytes(to.as_bytes()).int(key_epoch);
    a.0
}

/// The `aad` of a watch entry's note: `fapiao-exchange-v1/note` ‖ the tag (32 bytes) ‖ the
/// key epoch.
pub fn note_aad(tag: &[u8], key_epoch: u32) -> Vec<u8> {
    let mut a = Aad::new("fapiao-exchange-v1/note");
    a.bytes(tag).int(key_epoch);
    a.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_as_documented() {
        assert_eq!(query_info(), b"fapiao-exchange-v1\0query");
        assert_eq!(answer_info(&[0xab, 0xcd]), b"fapiao-exchange-v1\0answer\0\xab\xcd");
        let a = answer_aad(&AnswerBinding {
            query_id: &[7],
            from: "po",
            to: "tax",
            outcome: "found",
            key_epoch: 2,
        });
        let mut want = Vec::new();
        for f in [&b"fapiao-exchange-v1/answer"[..], &[7], b"po", b"tax", b"found"] {
            want.extend_from_slice(&(f.len() as u32).to_be_bytes());
            want.extend_from_slice(f);
        }
        want.extend_from_slice(&2u32.to_be_bytes());
        assert_eq!(a, want);
    }

    #[test]
    fn fields_cannot_slide_into_each_other() {
        let q = |from, to, person| {
            query_aad(&QueryBinding {
                from,
                to,
                item: "identity",
                subject_tag: &[1; 32],
                purpose: "case-1",
                person,
                key_epoch: 1,
            })
        };
        assert_ne!(q("ab", "c", None), q("a", "bc", None));
        assert_ne!(q("a", "b", None), q("a", "b", Some("")));
    }
}
