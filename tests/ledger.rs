//! The team ledger against a real PostgreSQL: each test starts its own throwaway cluster (see
//! `support/pg.rs`; `scripts/test` installs the server programs when they are missing).

#[path = "support/pg.rs"]
mod pg;

#[path = "ledger/common.rs"]
mod common;

#[path = "ledger/basics.rs"]
mod basics;

#[path = "ledger/concurrency.rs"]
mod concurrency;

#[path = "ledger/live.rs"]
mod live;

#[path = "ledger/faults.rs"]
mod faults;

#[path = "ledger/roles.rs"]
mod roles;

#[path = "ledger/tls.rs"]
mod tls;

#[path = "ledger/io.rs"]
mod io;

#[path = "ledger/ui.rs"]
mod ui;
