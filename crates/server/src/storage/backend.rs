//! The two backends behind one set of storage functions.
//!
//! A storage function is written once. Where it talks to the database it says
//! `on!(c, |x| sqlx::query("…").bind(…).execute(x).await)`: the macro expands the expression
//! once per backend, with `x` that backend's connection or pool, so each copy type-checks
//! against its own driver while the SQL, the binds and the control flow around them exist once.
//! SQL is the same text on both where it can be (`$1` placeholders work on both, so do
//! `TRUE`/`FALSE`, `NOT hidden`, `RETURNING`, `ON CONFLICT`); where it cannot, the two texts
//! stand side by side in a [`Sql`].

use sqlx::postgres::{PgConnection, PgPool};
use sqlx::sqlite::{SqliteConnection, SqlitePool};

/// One value per backend.
#[derive(Debug, Clone, Copy)]
pub enum Either<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// The connection a write job runs on (inside its transaction).
pub type Conn<'c> = Either<&'c mut SqliteConnection, &'c mut PgConnection>;

/// The pool reads run on.
pub type Pool<'a> = Either<&'a SqlitePool, &'a PgPool>;

/// Which backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl<S, P> Either<S, P> {
    pub fn kind(&self) -> Kind {
        match self {
            Either::Sqlite(_) => Kind::Sqlite,
            Either::Postgres(_) => Kind::Postgres,
        }
    }
}

impl Conn<'_> {
    /// A shorter-lived copy, for one statement.
    pub fn re(&mut self) -> Conn<'_> {
        match self {
            Either::Sqlite(c) => Either::Sqlite(&mut **c),
            Either::Postgres(c) => Either::Postgres(&mut **c),
        }
    }
}

impl<'a> Pool<'a> {
    pub fn re(&self) -> Pool<'a> {
        *self
    }
}

impl Kind {
    /// Whether this backend's id column can hold `id`: PostgreSQL's is a `uuid`. (Checked
    /// before a query builder binds it: a value that cannot be encoded there is a panic, not an
    /// error.)
    pub fn holds_id(self, id: &str) -> bool {
        self == Kind::Sqlite || uuid::Uuid::try_parse(id).is_ok()
    }

    /// `select` locking the rows it reads until the transaction ends, on PostgreSQL (a read
    /// followed by a write of the same rows; SQLite's one writer needs no lock). `NO KEY`:
    /// foreign keys that point at the rows are not held up.
    pub fn locking(self, select: &'static str) -> std::borrow::Cow<'static, str> {
        match self {
            Kind::Sqlite => select.into(),
            Kind::Postgres => format!("{select} FOR NO KEY UPDATE").into(),
        }
    }
}

/// SQL that must differ between the backends, kept side by side.
#[derive(Debug, Clone, Copy)]
pub struct Sql {
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

impl Sql {
    pub const fn of(&self, kind: Kind) -> &'static str {
        match kind {
            Kind::Sqlite => self.sqlite,
            Kind::Postgres => self.postgres,
        }
    }
}

/// `on!(conn_or_pool, |x| expr)`: `expr` once per backend, with `x` bound to that backend's
/// connection (`&mut SqliteConnection` / `&mut PgConnection`) or pool.
macro_rules! on {
    ($e:expr, |$x:ident| $body:expr) => {
        match $e.re() {
            $crate::storage::backend::Either::Sqlite($x) => $body,
            $crate::storage::backend::Either::Postgres($x) => $body,
        }
    };
}
pub(crate) use on;

impl<'c> From<&'c mut SqliteConnection> for Conn<'c> {
    fn from(c: &'c mut SqliteConnection) -> Self {
        Either::Sqlite(c)
    }
}

impl<'c> From<&'c mut PgConnection> for Conn<'c> {
    fn from(c: &'c mut PgConnection) -> Self {
        Either::Postgres(c)
    }
}
