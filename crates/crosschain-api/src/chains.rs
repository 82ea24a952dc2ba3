//! The registered chains and their windows, as the light client holds them at the tip.

use axum::{
    extract::{Path, State},
    Json,
};
use fapiao_api::{
    access::{Access, Viewer},
    error::{ApiError, ApiResult},
    Reader, St,
};
use fapiao_crosschain::{Code, RegisteredChain, RegisteredChains};
use fapiao_crosschain_types::{CrosschainKey, WindowEntry};
use fapiao_types::{AppKey, StateKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The windows are other chains' public headers: anyone may read them.
pub(crate) fn key_access(_: &dyn Reader, key: &AppKey, _: Option<&Viewer>) -> Option<Access> {
    CrosschainKey::KINDS.contains(&key.kind()).then_some(Access::Party)
}

/// The executed state as the seam's read side.
struct Executed<'a>(&'a dyn Reader);

impl fapiao_app::StateAccess for Executed<'_> {
    fn read(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String> {
        self.0.get_raw(key).map_err(|e| e.to_string())
    }
    fn write(&mut self, _: &StateKey, _: Vec<u8>) {}
}

/// One verified header of a registered chain.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct HeaderView {
    /// Its height on the source chain.
    pub height: u64,
    /// Its digest (hex).
    pub digest: String,
    /// Its parent's digest (hex).
    pub parent: String,
    /// Its block time, ms since the Unix epoch.
    pub time_ms: u64,
    /// The source height whose state it commits to.
    pub state_height: u64,
    /// That state's certified root (hex): proofs are checked against it.
    pub state_root: String,
    /// This chain's height that verified it.
    pub verified_at: u64,
}

impl From<&WindowEntry> for HeaderView {
    fn from(e: &WindowEntry) -> Self {
        HeaderView {
            height: e.height,
            digest: hex::encode(e.digest),
            parent: hex::encode(e.parent),
            time_ms: e.time_ms,
            state_height: e.state_height,
            state_root: hex::encode(e.state_root),
            verified_at: e.verified_at,
        }
    }
}

/// A registered chain and its window.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ChainView {
    /// Its chain id.
    pub chain_id: String,
    /// Its genesis hash (hex).
    pub genesis_hash: String,
    /// Its validators' Ed25519 keys (hex, genesis order).
    pub validators: Vec<String>,
    /// The window's state key.
    pub key: String,
    /// The verified headers kept, ascending by height.
    pub window: Vec<HeaderView>,
}

/// Every registered chain.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ChainsView {
    /// This chain's height the answer was read at.
    pub height: u64,
    /// Headers kept per chain (`crosschain/window`).
    pub window_size: u32,
    /// The chains, in the order the parameter lists them.
    pub chains: Vec<ChainView>,
}

fn view(st: &Executed<'_>, c: &RegisteredChain) -> ApiResult<ChainView> {
    let window = fapiao_crosschain::window(st, &c.chain_id).map_err(ApiError::internal)?;
    Ok(ChainView {
        chain_id: c.chain_id.clone(),
        genesis_hash: c.genesis_hash.clone(),
        validators: c.validators.clone(),
        key: StateKey::from(CrosschainKey::window(&c.chain_id)).to_string(),
        window: window.entries.iter().map(HeaderView::from).collect(),
    })
}

fn chains_at_tip(st: &fapiao_api::ApiState) -> ApiResult<(u64, u32, RegisteredChains)> {
    let executed = Executed(&*st.reader);
    let height = st.reader.tip().height;
    let (_, chains) = fapiao_app::params::at_height::<RegisteredChains>(&executed, height)
        .map_err(ApiError::internal)?;
    let (_, window) =
        fapiao_app::params::at_height::<fapiao_crosschain::WindowPolicy>(&executed, height)
            .map_err(ApiError::internal)?;
    Ok((height, window.headers, chains))
}

/// Every registered chain with its window of verified headers.
#[utoipa::path(get, path = "/v1/crosschain/chains", tag = "crosschain",
    responses((status = 200, body = ChainsView)))]
pub(crate) async fn chains(State(st): St) -> ApiResult<Json<ChainsView>> {
    let (height, window_size, chains) = chains_at_tip(&st)?;
    let executed = Executed(&*st.reader);
    let chains = chains.chains.iter().map(|c| view(&executed, c)).collect::<ApiResult<_>>()?;
    Ok(Json(ChainsView { height, window_size, chains }))
}

/// One registered chain with its window of verified headers.
#[utoipa::path(get, path = "/v1/crosschain/chains/{chain_id}", tag = "crosschain",
    params(("chain_id" = String, Path, description = "the source chain's id")),
    responses((status = 200, body = ChainView), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn chain(
    State(st): St,
    Path(chain_id): Path<String>,
) -> ApiResult<Json<ChainView>> {
    let (_, _, chains) = chains_at_tip(&st)?;
    let c = chains.get(&chain_id).ok_or_else(|| {
        ApiError::refuse(Code::UnknownChain, Some("chain_id"), "no such registered chain")
    })?;
    Ok(Json(view(&Executed(&*st.reader), c)?))
}
