//! The ledger's schema, as SQL migrations embedded in the binary and applied in order, each once,
//! recorded in `ledger.schema_migrations`. `ledger init` runs them (as the database
//! administrator); the app only checks that the schema is the one it knows.

use postgres::GenericClient;

pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Roles and schema, run before the migrations (idempotent).
const BOOTSTRAP: &str = include_str!("migrations/bootstrap.sql");

/// Every migration, oldest first. Never edit one that has shipped: add another.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "ledger tables",
        sql: include_str!("migrations/0001_ledger.sql"),
    },
    Migration {
        version: 2,
        name: "roles and append-only guards",
        sql: include_str!("migrations/0002_guards.sql"),
    },
];

/// The schema version this build reads and writes.
pub fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Applies the migrations the database lacks, in one transaction, serialised against other
/// runs by an advisory lock. Returns the versions applied.
pub fn migrate(client: &mut postgres::Client) -> Result<Vec<i32>, postgres::Error> {
    let mut tx = client.transaction()?;
    tx.batch_execute("SELECT pg_advisory_xact_lock(hashtext('diffusion-desk ledger migrations'))")?;
    tx.batch_execute(BOOTSTRAP)?;
    let done: Vec<i32> = tx
        .query("SELECT version FROM ledger.schema_migrations", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        // Objects belong to the owner role, which no app login is a member of.
        tx.batch_execute("SET LOCAL ROLE ledger_owner")?;
        tx.batch_execute(m.sql)?;
        tx.batch_execute("RESET ROLE")?;
        tx.execute(
            "INSERT INTO ledger.schema_migrations (version, name) VALUES ($1, $2)",
            &[&m.version, &m.name],
        )?;
        applied.push(m.version);
    }
    tx.commit()?;
    Ok(applied)
}

/// The schema version of the database (`None`: no ledger there).
pub fn current(client: &mut impl GenericClient) -> Result<Option<i32>, postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('ledger.schema_migrations') IS NOT NULL",
            &[],
        )?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let row = client.query_one("SELECT max(version) FROM ledger.schema_migrations", &[])?;
    Ok(row.get(0))
}
