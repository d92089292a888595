//! A ledger on a throwaway cluster, with logins for each role, and order helpers.

use crate::pg::{Cluster, Options};
use diffusion_desk::rules::{CountryCode, Engine, Item, Order, VeuStatus};
use diffusion_desk::session::Workspace;
use diffusion_desk::store::{Env, LedgerConn, LedgerEval, PgStore, Target, admin};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Every login's password in the tests.
pub const PASSWORD: &str = "correct horse";

/// Logins and their roles: two officers, a reviewer, an auditor.
pub const LOGINS: [(&str, &[&str]); 4] = [
    ("alice", &["ledger_officer"]),
    ("bob", &["ledger_officer"]),
    ("rita", &["ledger_reviewer"]),
    ("audrey", &["ledger_auditor"]),
];

/// One engine and screener for the whole test binary (the screening index is built once).
pub fn eval() -> LedgerEval {
    static EVAL: OnceLock<LedgerEval> = OnceLock::new();
    EVAL.get_or_init(|| LedgerEval::standard(Arc::new(Engine::embedded())))
        .clone()
}

pub struct Ledger {
    pub cluster: Cluster,
    pub db: String,
}

impl Ledger {
    /// A fresh cluster with an initialised ledger in database `desk` and the test logins.
    pub fn new() -> Self {
        Self::with(Options::default())
    }

    pub fn with(opts: Options) -> Self {
        let cluster = Cluster::start_with(opts);
        let db = "desk".to_string();
        cluster.create_db(&db);
        let admin = Target::resolve(&cluster.admin_url(&db), None, &Env::isolated()).unwrap();
        admin::init(&admin, &eval(), "Test ledger").expect("ledger init");
        for (name, roles) in LOGINS {
            cluster.create_login(name, PASSWORD, roles);
        }
        Self { cluster, db }
    }

    /// An empty database on the same cluster, without a ledger.
    pub fn admin_target(&self) -> Target {
        Target::resolve(&self.cluster.admin_url(&self.db), None, &Env::isolated()).unwrap()
    }

    pub fn target(&self, user: &str) -> Target {
        Target::resolve(
            &self.cluster.url(user, &self.db),
            Some(PASSWORD.into()),
            &Env::isolated(),
        )
        .unwrap()
    }

    pub fn conn(&self, user: &str) -> LedgerConn {
        LedgerConn::open(Arc::new(self.target(user)), eval())
            .unwrap_or_else(|e| panic!("{user} opens the ledger: {e}"))
    }

    /// A workspace on the ledger as `user` (its store's worker thread running).
    pub fn workspace(&self, user: &str) -> Workspace {
        PgStore::open_workspace(self.target(user), eval(), Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("{user} opens a workspace: {e}"))
    }

    /// A plain SQL client logged in as `user`.
    pub fn sql(&self, user: &str) -> postgres::Client {
        let url = format!(
            "postgres://{user}:{}@127.0.0.1:{}/{}",
            PASSWORD.replace(' ', "%20"),
            self.cluster.port,
            self.db
        );
        postgres::Client::connect(&url, postgres::NoTls).expect("sql login")
    }
}

pub fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

/// An H100 order.
pub fn order(id: &str, date: &str, dest: &str, consignee: &str, qty: u64) -> Order {
    Order {
        id: id.into(),
        date: date.parse().unwrap(),
        destination: cc(dest),
        consignee: consignee.into(),
        consignee_hq: cc(dest),
        parent: None,
        parent_hq: None,
        veu: VeuStatus::None,
        item: Item::Chip("h100-sxm".into()),
        quantity: qty,
        licence: None,
    }
}

/// Polls `ws` until `done` holds or `limit` passes; returns the time it took.
pub fn wait_for(
    ws: &mut Workspace,
    limit: Duration,
    mut done: impl FnMut(&Workspace) -> bool,
) -> Option<Duration> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        ws.poll_store();
        if done(ws) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    None
}
