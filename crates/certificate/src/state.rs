//! Typed record helpers over the seam's [`StateAccess`].

pub(crate) use fapiao_app::Records;
