//! The team ledger as the workspace's [`Store`]: edits go to the worker thread, which commits
//! them; what the ledger commits (ours and colleagues') comes back through [`Store::poll`].

use super::LedgerEval;
use super::connect::Target;
use super::error::LedgerError;
use super::outbox::Outbox;
use super::roles::{self, Role};
use super::worker::{self, Channels, Cmd};
use crate::session::commit::{Author, Evaluator, Intent, SharedScreener, check};
use crate::session::store::{Commit, Store, StoreMessage, StoreStatus};
use crate::session::{LiveBook, Session, Workspace};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use crate::session::store::Waker;

/// The ledger as it was when the connection opened.
pub struct Opened {
    pub session: Session,
    /// The login changes are recorded as.
    pub user: String,
    pub roles: Vec<Role>,
    /// The screener the ledger's decisions are made with (the workspace must use it too).
    pub screener: Option<SharedScreener>,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("user", &self.user)
            .field("roles", &self.roles)
            .field("orders", &self.session.orders.len())
            .field("events", &self.session.history.len())
            .finish()
    }
}

/// What the worker sends.
pub enum Msg {
    Opened(Box<Opened>),
    Failed(LedgerError),
    Store(StoreMessage),
}

pub struct PgStore {
    describe: String,
    cmds: Sender<Cmd>,
    msgs: Receiver<Msg>,
    waker: Arc<Mutex<Option<Waker>>>,
    status: StoreStatus,
    user: String,
    roles: Vec<Role>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("ledger", &self.describe)
            .field("status", &self.status)
            .finish()
    }
}

impl PgStore {
    /// Starts connecting in the background; [`Self::take_opened`] says when the ledger is open.
    /// Edits that wait for a lost server are kept in `outbox` (see [`Outbox::for_ledger`]), and
    /// those an earlier run left there are sent first.
    pub fn connect(target: Target, eval: LedgerEval, outbox: Outbox) -> Self {
        Self::spawn(target, Box::new(move || eval), outbox)
    }

    /// As [`Self::connect`], evaluating with `engine` and the shipped screening lists (the index
    /// is loaded on the worker thread, not the caller's), with the outbox in the user's data
    /// folder: what the app uses.
    pub fn connect_standard(target: Target, engine: Arc<crate::rules::Engine>) -> Self {
        let outbox = Outbox::for_ledger(&target);
        Self::spawn(
            target,
            Box::new(move || LedgerEval::standard(engine)),
            outbox,
        )
    }

    fn spawn(
        target: Target,
        make_eval: Box<dyn FnOnce() -> LedgerEval + Send>,
        outbox: Outbox,
    ) -> Self {
        let describe = target.describe();
        let user = target.user().to_string();
        let (cmd_tx, cmds) = mpsc::channel();
        let (out, msgs) = mpsc::channel();
        let waker: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
        let ch = Channels {
            cmds,
            cmd_tx: cmd_tx.clone(),
            out,
            waker: Arc::clone(&waker),
        };
        let target = Arc::new(target);
        let thread = std::thread::Builder::new()
            .name("ledger-worker".into())
            .spawn(move || worker::run(target, make_eval(), ch, outbox))
            .ok();
        Self {
            describe,
            cmds: cmd_tx,
            msgs,
            waker,
            status: StoreStatus::Reconnecting {
                pending: 0,
                error: "connecting".into(),
            },
            user,
            roles: Vec::new(),
            thread,
        }
    }

    /// The opened ledger, once the worker has it (or why it could not open it); `None` while
    /// it is still connecting.
    pub fn take_opened(&mut self) -> Option<Result<Opened, LedgerError>> {
        loop {
            match self.msgs.try_recv() {
                Ok(m) => {
                    if let Some(r) = self.opening(m) {
                        return Some(r);
                    }
                }
                Err(mpsc::TryRecvError::Empty) => return None,
                Err(mpsc::TryRecvError::Disconnected) => return Some(Err(stopped())),
            }
        }
    }

    /// Waits up to `timeout` for the ledger to open.
    pub fn wait_opened(&mut self, timeout: Duration) -> Result<Opened, LedgerError> {
        let until = Instant::now() + timeout;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.msgs.recv_timeout(left) {
                Ok(m) => {
                    if let Some(r) = self.opening(m) {
                        return r;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(LedgerError::Unreachable {
                        target: self.describe.clone(),
                        detail: format!("no answer in {timeout:?}"),
                    });
                }
                Err(RecvTimeoutError::Disconnected) => return Err(stopped()),
            }
        }
    }

    fn opening(&mut self, m: Msg) -> Option<Result<Opened, LedgerError>> {
        match m {
            Msg::Opened(o) => {
                self.user = o.user.clone();
                self.roles = o.roles.clone();
                self.status = StoreStatus::Connected;
                Some(Ok(*o))
            }
            Msg::Failed(e) => Some(Err(e)),
            Msg::Store(_) => None,
        }
    }

    /// Puts `ws` on this ledger (see [`Workspace::adopt_store`]).
    pub fn install(self, opened: Opened, ws: &mut Workspace) {
        ws.adopt_store(Box::new(self), opened.session, opened.user, opened.screener);
    }

    /// Opens a ledger and waits for it: a workspace on it (tests, benchmarks, tools), its
    /// unsent edits kept in memory only.
    pub fn open_workspace(
        target: Target,
        eval: LedgerEval,
        timeout: Duration,
    ) -> Result<Workspace, LedgerError> {
        Self::open_workspace_with(target, eval, timeout, Outbox::off())
    }

    /// As [`Self::open_workspace`], keeping unsent edits in `outbox`.
    pub fn open_workspace_with(
        target: Target,
        eval: LedgerEval,
        timeout: Duration,
        outbox: Outbox,
    ) -> Result<Workspace, LedgerError> {
        let mut store = Self::connect(target, eval.clone(), outbox);
        let opened = store.wait_opened(timeout)?;
        let mut ws = Workspace::empty(eval.engine);
        store.install(opened, &mut ws);
        Ok(ws)
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Stops the worker and waits for it (tests: before the server is stopped).
    pub fn shutdown(mut self) {
        let _ = self.cmds.send(Cmd::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn stopped() -> LedgerError {
    LedgerError::Unreachable {
        target: "the team ledger".into(),
        detail: "its connection thread stopped".into(),
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // The worker finishes what it is doing and stops; nobody waits for it.
        let _ = self.cmds.send(Cmd::Stop);
    }
}

impl Store for PgStore {
    fn describe(&self) -> String {
        format!("team ledger {}", self.describe)
    }

    fn submit(
        &mut self,
        eval: Evaluator,
        state: &mut Session,
        _book: &mut LiveBook,
        intent: Intent,
        author: &Author,
    ) -> Result<Commit, String> {
        // The database enforces both; checking here first answers at once, in the user's words.
        if let Some(why) = roles::refusal(&self.user, &self.roles, &intent.action) {
            return Err(why);
        }
        check(eval.engine, state, &intent)?;
        self.cmds
            .send(Cmd::Commit(Box::new((intent, author.clone()))))
            .map_err(|_| {
                "the connection to the team ledger has stopped: connect again (File ▸ Connect to team ledger…)"
                    .to_string()
            })?;
        Ok(Commit::Pending)
    }

    fn poll(&mut self) -> Vec<StoreMessage> {
        let mut out = Vec::new();
        while let Ok(m) = self.msgs.try_recv() {
            if let Msg::Store(m) = m {
                if let StoreMessage::Status(s) = &m {
                    self.status = s.clone();
                }
                out.push(m);
            }
        }
        out
    }

    fn status(&self) -> StoreStatus {
        self.status.clone()
    }

    fn saves_explicitly(&self) -> bool {
        false
    }

    fn set_waker(&mut self, waker: Waker) {
        if let Ok(mut w) = self.waker.lock() {
            *w = Some(waker);
        }
    }
}
