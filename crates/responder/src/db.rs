//! The department's database: one parameterised query per catalogue item, on SQLite or
//! PostgreSQL, its rows returned as JSON objects.
//!
//! Values are bound as parameters, never put into the SQL text. JSON values become:
//! strings → text, integers → 64-bit integers, booleans, floats, `null`. On PostgreSQL
//! the statement is prepared first and each value is converted to the type the server
//! inferred for its placeholder (text, smallint/integer/bigint, boolean, real/double,
//! date from `YYYY-MM-DD`); any other placeholder type is refused with a hint to cast
//! (`$1::text`). Result columns of those types come back as JSON (dates as
//! `YYYY-MM-DD`, blobs as hex); another column type asks for a cast in the SQL.

use std::{path::Path, sync::Mutex};

use bytes::BytesMut;
use serde_json::{Map, Number, Value};
use tokio_postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

use crate::{config::Database, Error, Result};

/// One row: column name → value.
pub type Row = Map<String, Value>;

/// A connected database.
pub enum Db {
    /// SQLite (the connection is used from one task at a time).
    Sqlite(Mutex<rusqlite::Connection>),
    /// PostgreSQL.
    Postgres(tokio_postgres::Client),
}

impl Db {
    /// Connect to (or open) the configured database.
    ///
    /// # Errors
    /// [`Error::Database`] when it cannot be reached or opened.
    pub async fn connect(db: &Database, init_sql: Option<&Path>) -> Result<Db> {
        match db {
            Database::Sqlite(path) => {
                if let Some(init) = init_sql {
                    create_sqlite(path, init)?;
                }
                Db::sqlite(path)
            }
            Database::Postgres(conn) => {
                let (client, connection) = tokio_postgres::connect(conn, tokio_postgres::NoTls)
                    .await
                    .map_err(|e| Error::Database(format!("connecting to PostgreSQL: {e}")))?;
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::error!(error = %e, "responder.postgres connection ended");
                    }
                });
                Ok(Db::Postgres(client))
            }
        }
    }

    /// Open an SQLite database file (created if missing).
    ///
    /// # Errors
    /// [`Error::Database`] when it cannot be opened.
    pub fn sqlite(path: &Path) -> Result<Db> {
        let conn = rusqlite::Connection::open(path)
            .map_err(|e| Error::Database(format!("opening {}: {e}", path.display())))?;
        Ok(Db::Sqlite(Mutex::new(conn)))
    }

    /// Run `sql` with `params` bound to `$1`, `$2`, …; every row as a JSON object.
    ///
    /// # Errors
    /// [`Error::Database`] when the query fails or a value or column type is not
    /// supported (a configuration problem, or the database being away: the query is
    /// retried later, never answered as declined).
    pub async fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        match self {
            Db::Sqlite(conn) => {
                let conn = conn.lock().map_err(|_| Error::Database("poisoned".into()))?;
                sqlite_query(&conn, sql, params)
            }
            Db::Postgres(client) => postgres_query(client, sql, params).await,
        }
    }
}

/// Create the SQLite database `path` from the SQL file `init` if it does not exist: built
/// under a temporary name and renamed into place, so a crash never leaves a half-made
/// database that would not be made again.
fn create_sqlite(path: &Path, init: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let sql = std::fs::read_to_string(init)
        .map_err(|e| Error::Database(format!("init_sql {}: {e}", init.display())))?;
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".init");
    let tmp = path.with_file_name(name);
    let _ = std::fs::remove_file(&tmp);
    let conn = rusqlite::Connection::open(&tmp).map_err(db_err)?;
    conn.execute_batch(&sql)
        .map_err(|e| Error::Database(format!("init_sql {}: {e}", init.display())))?;
    conn.close().map_err(|(_, e)| db_err(e))?;
    std::fs::rename(&tmp, path).map_err(db_err)?;
    Ok(())
}

fn db_err(e: impl std::fmt::Display) -> Error {
    Error::Database(e.to_string())
}

fn sqlite_query(conn: &rusqlite::Connection, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
    use rusqlite::types::Value as Sv;
    let bound: Vec<Sv> = params
        .iter()
        .map(|v| match v {
            Value::Null => Ok(Sv::Null),
            Value::Bool(b) => Ok(Sv::Integer(i64::from(*b))),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Ok(Sv::Integer(i)),
                (None, Some(f)) => Ok(Sv::Real(f)),
                _ => Err(Error::Database(format!("number {n} does not fit"))),
            },
            Value::String(s) => Ok(Sv::Text(s.clone())),
            other => Err(Error::BadParam(format!("a {} cannot be bound", kind(other)))),
        })
        .collect::<Result<_>>()?;
    let mut stmt = conn.prepare(sql).map_err(db_err)?;
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let mut rows = stmt.query(rusqlite::params_from_iter(bound.iter())).map_err(db_err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(db_err)? {
        let mut obj = Map::new();
        for (i, name) in names.iter().enumerate() {
            let v: Sv = row.get(i).map_err(db_err)?;
            let j = match v {
                Sv::Null => Value::Null,
                Sv::Integer(i) => Value::from(i),
                Sv::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
                Sv::Text(s) => Value::String(s),
                Sv::Blob(b) => Value::String(hex::encode(b)),
            };
            obj.insert(name.clone(), j);
        }
        out.push(obj);
    }
    Ok(out)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A JSON value bound to a PostgreSQL placeholder of a known type.
#[derive(Debug)]
enum PgParam {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Float(f64),
    /// Days since 2000-01-01 (PostgreSQL's date epoch).
    Date(i32),
}

fn pg_param(ty: &Type, v: &Value, n: usize) -> Result<PgParam> {
    let bad = |what: &str| Error::BadParam(format!("${n} ({ty}): {what}"));
    if v.is_null() {
        return Ok(PgParam::Null);
    }
    Ok(match *ty {
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => match v {
            Value::String(s) => PgParam::Text(s.clone()),
            Value::Number(x) => PgParam::Text(x.to_string()),
            Value::Bool(b) => PgParam::Text(b.to_string()),
            other => return Err(bad(&format!("a {} is not text", kind(other)))),
        },
        Type::INT2 | Type::INT4 | Type::INT8 => {
            let i = match v {
                Value::Number(x) => x.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            PgParam::Int(i.ok_or_else(|| bad("not an integer"))?)
        }
        Type::BOOL => PgParam::Bool(v.as_bool().ok_or_else(|| bad("not a boolean"))?),
        Type::FLOAT4 | Type::FLOAT8 => PgParam::Float(v.as_f64().ok_or_else(|| bad("not a number"))?),
        Type::DATE => {
            let s = v.as_str().ok_or_else(|| bad("not a YYYY-MM-DD string"))?;
            PgParam::Date(parse_date(s).ok_or_else(|| bad("not a YYYY-MM-DD date"))?)
        }
        _ => {
            return Err(Error::Database(format!(
                "${n} has type {ty}, which the responder does not bind: cast it in the SQL (${n}::text)"
            )))
        }
    })
}

impl ToSql for PgParam {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            PgParam::Null => return Ok(IsNull::Yes),
            PgParam::Text(s) => out.extend_from_slice(s.as_bytes()),
            PgParam::Int(i) => match *ty {
                Type::INT2 => out.extend_from_slice(&i16::try_from(*i)?.to_be_bytes()),
                Type::INT4 => out.extend_from_slice(&i32::try_from(*i)?.to_be_bytes()),
                _ => out.extend_from_slice(&i.to_be_bytes()),
            },
            PgParam::Bool(b) => out.extend_from_slice(&[u8::from(*b)]),
            PgParam::Float(f) => match *ty {
                // Narrowing to the column's single precision is what the SQL asked for.
                #[allow(clippy::cast_possible_truncation)]
                Type::FLOAT4 => out.extend_from_slice(&(*f as f32).to_be_bytes()),
                _ => out.extend_from_slice(&f.to_be_bytes()),
            },
            PgParam::Date(d) => out.extend_from_slice(&d.to_be_bytes()),
        }
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A result cell, decoded by its column type.
struct PgCell(Value);

impl<'a> FromSql<'a> for PgCell {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let v = match *ty {
            Type::BOOL => Value::Bool(raw.first().is_some_and(|b| *b != 0)),
            Type::INT2 => Value::from(i16::from_be_bytes(raw.try_into()?)),
            Type::INT4 => Value::from(i32::from_be_bytes(raw.try_into()?)),
            Type::INT8 => Value::from(i64::from_be_bytes(raw.try_into()?)),
            Type::FLOAT4 => Number::from_f64(f64::from(f32::from_be_bytes(raw.try_into()?)))
                .map_or(Value::Null, Value::Number),
            Type::FLOAT8 => Number::from_f64(f64::from_be_bytes(raw.try_into()?))
                .map_or(Value::Null, Value::Number),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                Value::String(std::str::from_utf8(raw)?.to_owned())
            }
            Type::DATE => Value::String(format_date(i32::from_be_bytes(raw.try_into()?))),
            Type::BYTEA => Value::String(hex::encode(raw)),
            _ => return Err(format!("column type {ty} is not supported: cast it (::text)").into()),
        };
        Ok(PgCell(v))
    }

    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(PgCell(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

async fn postgres_query(
    client: &tokio_postgres::Client,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Row>> {
    let stmt = client.prepare(sql).await.map_err(db_err)?;
    if stmt.params().len() != params.len() {
        return Err(Error::Database(format!(
            "the statement has {} placeholders, the mapping binds {}",
            stmt.params().len(),
            params.len()
        )));
    }
    let bound: Vec<PgParam> = stmt
        .params()
        .iter()
        .zip(params)
        .enumerate()
        .map(|(i, (ty, v))| pg_param(ty, v, i + 1))
        .collect::<Result<_>>()?;
    let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    let rows = client.query(&stmt, &refs).await.map_err(db_err)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut obj = Map::new();
        for (i, col) in row.columns().iter().enumerate() {
            let cell: PgCell = row.try_get(i).map_err(|e| {
                Error::Database(format!("column {}: {}", col.name(), source_text(&e)))
            })?;
            obj.insert(col.name().to_owned(), cell.0);
        }
        out.push(obj);
    }
    Ok(out)
}

fn source_text(e: &tokio_postgres::Error) -> String {
    use std::error::Error as _;
    e.source().map_or_else(|| e.to_string(), |s| s.to_string())
}

/// Days from 1970-01-01 of a civil date (proleptic Gregorian), H. Hinnant's algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// 1970-01-01 → 2000-01-01.
const PG_EPOCH_DAYS: i64 = 10_957;

fn parse_date(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 2026-02-30 and the like: the date must read back the same.
    if civil_from_days(days) != (y, m, d) {
        return None;
    }
    i32::try_from(days - PG_EPOCH_DAYS).ok()
}

fn format_date(pg_days: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(pg_days) + PG_EPOCH_DAYS);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_against_known_days() {
        assert_eq!(parse_date("2000-01-01"), Some(0));
        assert_eq!(parse_date("2026-12-02"), Some(9832));
        assert_eq!(parse_date("1999-12-31"), Some(-1));
        assert_eq!(format_date(9832), "2026-12-02");
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-2-3"), None);
    }
}
