//! Column types that differ between the backends, behind one Rust value each, so that one SQL
//! text and one row struct serve both.
//!
//! | Rust            | SQLite                      | PostgreSQL    |
//! |-----------------|-----------------------------|---------------|
//! | [`Id`]          | `TEXT` (the UUID as text)   | `uuid`        |
//! | [`Time`]        | `INTEGER` Unix seconds      | `timestamptz` |
//! | [`Date`]        | `TEXT` `YYYY-MM-DD`         | `date`        |
//! | [`Stamp`]       | `TEXT` RFC 3339 UTC         | `timestamptz` |
//! | [`Name`]        | `TEXT COLLATE NOCASE`       | `citext`      |
//! | [`Maybe<T>`]    | the same, or `NULL`         |               |
//!
//! Binds take these types (`.bind(Id::of(&id))`, `.bind(Time(now))`); row structs keep their
//! plain Rust fields (`String`, `i64`) and decode through them with
//! `#[sqlx(try_from = "Id")]`.

use sqlx::decode::Decode;
use sqlx::encode::{Encode, IsNull};
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo, PgValueFormat, PgValueRef};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Database, Postgres, Sqlite, Type, ValueRef};

/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z).
const PG_EPOCH_SECS: i64 = 946_684_800;
/// Days from 1970-01-01 to 2000-01-01.
const PG_EPOCH_DAYS: i32 = 10_957;

/// An id (a UUID): `TEXT` in SQLite, `uuid` in PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub String);

impl Id {
    pub fn of(s: &str) -> Id {
        Id(s.to_owned())
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

/// An instant in Unix seconds: `INTEGER` in SQLite, `timestamptz` in PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub i64);

impl From<Time> for i64 {
    fn from(t: Time) -> i64 {
        t.0
    }
}

/// A local calendar date `YYYY-MM-DD`: `TEXT` in SQLite, `date` in PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date(pub String);

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.0
    }
}

/// An instant as RFC 3339 UTC text (`2026-11-26T00:00:00Z`): `TEXT` in SQLite, `timestamptz`
/// in PostgreSQL (read back in the same spelling, whole seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp(pub String);

impl From<Stamp> for String {
    fn from(s: Stamp) -> String {
        s.0
    }
}

/// A name compared without case (a user name), as a bind: SQLite's column is `COLLATE NOCASE`;
/// PostgreSQL's is `citext`, and the value must be `citext` too (compared with `text`, PostgreSQL
/// would compare case-sensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(pub String);

impl Name {
    pub fn of(s: &str) -> Name {
        Name(s.to_owned())
    }
}

/// A nullable column of one of the types above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maybe<T>(pub Option<T>);

impl From<Maybe<Id>> for Option<String> {
    fn from(m: Maybe<Id>) -> Self {
        m.0.map(|v| v.0)
    }
}

impl From<Maybe<Time>> for Option<i64> {
    fn from(m: Maybe<Time>) -> Self {
        m.0.map(|v| v.0)
    }
}

impl From<Maybe<Date>> for Option<String> {
    fn from(m: Maybe<Date>) -> Self {
        m.0.map(|v| v.0)
    }
}

impl<DB: Database, T: Type<DB>> Type<DB> for Maybe<T> {
    fn type_info() -> DB::TypeInfo {
        T::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        T::compatible(ty)
    }
}

impl<'r, DB: Database, T: Decode<'r, DB>> Decode<'r, DB> for Maybe<T> {
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.is_null() {
            Ok(Maybe(None))
        } else {
            T::decode(value).map(|v| Maybe(Some(v)))
        }
    }
}

/// SQLite: each type is stored as the plain value it wraps.
macro_rules! sqlite_as {
    ($ty:ty, $inner:ty, |$v:ident| $to:expr, |$s:ident| $from:expr) => {
        impl Type<Sqlite> for $ty {
            fn type_info() -> SqliteTypeInfo {
                <$inner as Type<Sqlite>>::type_info()
            }

            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <$inner as Type<Sqlite>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Sqlite> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut Vec<SqliteArgumentValue<'q>>,
            ) -> Result<IsNull, BoxDynError> {
                let $v = self;
                <$inner as Encode<'q, Sqlite>>::encode($to, buf)
            }
        }

        impl<'r> Decode<'r, Sqlite> for $ty {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                let $s = <$inner as Decode<'r, Sqlite>>::decode(value)?;
                Ok($from)
            }
        }
    };
}

sqlite_as!(Id, String, |v| v.0.clone(), |s| Id(s));
sqlite_as!(Time, i64, |v| v.0, |s| Time(s));
sqlite_as!(Date, String, |v| v.0.clone(), |s| Date(s));
sqlite_as!(Stamp, String, |v| v.0.clone(), |s| Stamp(s));
sqlite_as!(Name, String, |v| v.0.clone(), |s| Name(s));

/// PostgreSQL: a type with a fixed OID, binary encoding through `$wire`.
macro_rules! postgres_as {
    ($ty:ty, $oid:expr, $array_oid:expr) => {
        impl Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                PgTypeInfo::with_oid(sqlx::postgres::types::Oid($oid))
            }
        }

        impl PgHasArrayType for $ty {
            fn array_type_info() -> PgTypeInfo {
                PgTypeInfo::with_oid(sqlx::postgres::types::Oid($array_oid))
            }
        }
    };
}

postgres_as!(Id, 2950, 2951);
postgres_as!(Time, 1184, 1185);
postgres_as!(Stamp, 1184, 1185);
postgres_as!(Date, 1082, 1182);

impl Type<Postgres> for Name {
    fn type_info() -> PgTypeInfo {
        // An extension's type: looked up by name once per connection.
        PgTypeInfo::with_name("citext")
    }
}

impl Encode<'_, Postgres> for Name {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        buf.extend_from_slice(self.0.as_bytes());
        Ok(IsNull::No)
    }
}

fn parse_uuid(s: &str) -> Result<uuid::Uuid, BoxDynError> {
    s.parse::<uuid::Uuid>()
        .map_err(|e| format!("{s:?} is not a UUID: {e}").into())
}

impl Encode<'_, Postgres> for Id {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        buf.extend_from_slice(parse_uuid(&self.0)?.as_bytes());
        Ok(IsNull::No)
    }
}

impl Decode<'_, Postgres> for Id {
    fn decode(value: PgValueRef<'_>) -> Result<Self, BoxDynError> {
        let uuid = match value.format() {
            PgValueFormat::Binary => uuid::Uuid::from_slice(value.as_bytes()?)?,
            PgValueFormat::Text => parse_uuid(value.as_str()?)?,
        };
        Ok(Id(uuid.to_string()))
    }
}

fn encode_micros(secs: i64, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
    let micros = secs
        .checked_sub(PG_EPOCH_SECS)
        .and_then(|s| s.checked_mul(1_000_000))
        .ok_or("time out of range")?;
    buf.extend_from_slice(&micros.to_be_bytes());
    Ok(IsNull::No)
}

/// A `timestamptz` as Unix seconds (fractions are dropped towards the past).
fn decode_seconds(value: PgValueRef<'_>) -> Result<i64, BoxDynError> {
    match value.format() {
        PgValueFormat::Binary => {
            let bytes: [u8; 8] = value
                .as_bytes()?
                .try_into()
                .map_err(|_| "timestamptz is not 8 bytes")?;
            Ok(i64::from_be_bytes(bytes).div_euclid(1_000_000) + PG_EPOCH_SECS)
        }
        PgValueFormat::Text => {
            // e.g. `2026-11-26 17:00:00+00`, as psql shows it.
            let text = value.as_str()?.replacen(' ', "T", 1);
            let text = if text.len() > 3 && text.as_bytes()[text.len() - 3] == b'+' {
                format!("{text}:00")
            } else {
                text
            };
            Ok(text.parse::<jiff::Timestamp>()?.as_second())
        }
    }
}

impl Encode<'_, Postgres> for Time {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        encode_micros(self.0, buf)
    }
}

impl Decode<'_, Postgres> for Time {
    fn decode(value: PgValueRef<'_>) -> Result<Self, BoxDynError> {
        decode_seconds(value).map(Time)
    }
}

impl Encode<'_, Postgres> for Stamp {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let t: jiff::Timestamp = self.0.parse()?;
        encode_micros(t.as_second(), buf)
    }
}

impl Decode<'_, Postgres> for Stamp {
    fn decode(value: PgValueRef<'_>) -> Result<Self, BoxDynError> {
        let t = jiff::Timestamp::from_second(decode_seconds(value)?)?;
        Ok(Stamp(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()))
    }
}

impl Encode<'_, Postgres> for Date {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let date: jiff::civil::Date = self.0.parse()?;
        let days = date.since(jiff::civil::date(2000, 1, 1))?.get_days();
        buf.extend_from_slice(&days.to_be_bytes());
        Ok(IsNull::No)
    }
}

impl Decode<'_, Postgres> for Date {
    fn decode(value: PgValueRef<'_>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let bytes: [u8; 4] = value
                    .as_bytes()?
                    .try_into()
                    .map_err(|_| "date is not 4 bytes")?;
                let days = i32::from_be_bytes(bytes);
                let date = jiff::civil::date(1970, 1, 1)
                    .checked_add(jiff::Span::new().days(i64::from(days + PG_EPOCH_DAYS)))?;
                Ok(Date(date.to_string()))
            }
            PgValueFormat::Text => Ok(Date(value.as_str()?.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_the_postgres_epoch() {
        let days = jiff::civil::date(2026, 11, 26)
            .since(jiff::civil::date(2000, 1, 1))
            .unwrap()
            .get_days();
        let back = jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().days(i64::from(days + PG_EPOCH_DAYS)))
            .unwrap();
        assert_eq!(back.to_string(), "2026-11-26");
    }
}
