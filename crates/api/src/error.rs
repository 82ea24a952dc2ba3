//! The one mapping from failures to HTTP: JSON `{code, message, field}` bodies with a
//! status chosen by code; 503 with `Retry-After` when the node is busy.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use fapiao_app::{Platform, RefusalCode};
use fapiao_ledger::Rejection;
use serde::Serialize;
use utoipa::ToSchema;

/// The JSON body of every error.
#[derive(Debug, Serialize, ToSchema, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// Stable machine-readable code, declared with its HTTP status and field in one of
    /// the chain's refusal tables (`GET /v1/refusals`): `bad_uscc`, `missing_role`,
    /// `invoice.already_reimbursed`, …
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// The field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An API error: an HTTP status and an [`ErrorBody`].
#[derive(Debug, thiserror::Error)]
#[error("{status} {}: {}", body.code, body.message)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body.
    pub body: ErrorBody,
}

impl ApiError {
    /// A refusal with a declared `code`; its status is the code's ([`status_of`]).
    pub fn refuse(code: impl RefusalCode, field: Option<&str>, message: impl Into<String>) -> Self {
        let r = code.refusal();
        Self::new(status_of(r.code), r.code, field, message)
    }

    /// A refusal with a code that came from a declared table as a string (a receipt's,
    /// an application error's); its status is the code's ([`status_of`]).
    pub fn declared(code: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self::new(status_of(code), code, field, message)
    }

    /// An error with a status, code, field and message (the status always from
    /// [`status_of`]: use [`ApiError::refuse`] or [`ApiError::declared`]).
    fn new(
        status: StatusCode,
        code: &str,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                field: field.map(Into::into),
            },
        }
    }

    /// 404 `not_found`.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::refuse(Platform::NotFound, None, what)
    }

    /// 400 `invalid_field` naming `field`.
    pub fn bad_field(field: &str, message: impl Into<String>) -> Self {
        Self::refuse(Platform::InvalidField, Some(field), message)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::refuse(Platform::Unauthorized, Some("authorization"), message)
    }

    /// 500 `internal` (always a bug or a storage failure).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        tracing::error!(error = %message, "internal error");
        Self::refuse(Platform::Internal, None, message.to_string())
    }
}

/// A value of the domain (a USCC, an invoice number, a VIN, a region, a seller type, an
/// invoice kind) parsed where the request is read, refused with the value's own code
/// (`bad_uscc`, `bad_invoice_number`, …) naming `field`.
///
/// # Errors
/// The value's refusal, at `field`.
pub fn parse_value<T: core::str::FromStr<Err = fapiao_values::Error>>(
    field: &str,
    s: &str,
) -> ApiResult<T> {
    s.parse().map_err(|e: fapiao_values::Error| {
        let e = e.at(field);
        ApiError::refuse(e.kind(), Some(field), e.to_string())
    })
}

/// The HTTP status of a refusal `code`, from its declaration in the chain's refusal
/// tables (the values', the platform's and every application's): the one place a code
/// becomes a status. A code no table declares is a bug, answered as 500.
pub fn status_of(code: &str) -> StatusCode {
    fapiao_ledger::apps::refusal(code)
        .and_then(|r| StatusCode::from_u16(r.status).ok())
        .unwrap_or_else(|| {
            tracing::error!(code, "refusal code declared by no table");
            StatusCode::INTERNAL_SERVER_ERROR
        })
}

impl From<Rejection> for ApiError {
    fn from(r: Rejection) -> Self {
        Self::declared(r.code, r.field.as_deref(), r.message)
    }
}

/// An application's error (an index read, a preview): a refusal keeps its declared
/// code, a fatal one is internal.
impl From<fapiao_app::Error> for ApiError {
    fn from(e: fapiao_app::Error) -> Self {
        match e {
            fapiao_app::Error::Rejected { code, field, message } => {
                Self::declared(code, Some(&field), message)
            }
            e => Self::internal(e),
        }
    }
}

impl From<fapiao_ledger::Error> for ApiError {
    fn from(e: fapiao_ledger::Error) -> Self {
        match e {
            fapiao_ledger::Error::NotInTree(_) => Self::bad_field("proof", e.to_string()),
            fapiao_ledger::Error::TxIndexOff | fapiao_ledger::Error::BodyDropped(_) => {
                Self::refuse(Platform::NotIndexed, None, e.to_string())
            }
            e => Self::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(self.body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE
            || self.status == StatusCode::TOO_MANY_REQUESTS
        {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        resp
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
