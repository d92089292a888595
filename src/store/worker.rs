//! The thread a [`PgStore`](super::PgStore) talks to: it opens the ledger, commits the user's
//! edits in order, catches up when a NOTIFY arrives, and rides out a lost server — keeping the
//! unsent edits, reporting them, reconnecting with backoff and sending each edit until it commits
//! or is refused (its idempotency key makes a repeated attempt harmless).

use super::LedgerEval;
use super::conn::LedgerConn;
use super::connect::Target;
use super::error::LedgerError;
use super::listen::Listener;
use super::outbox::{OpenOutbox, Outbox};
use super::pg_store::{Msg, Opened, Waker};
use crate::session::commit::{Author, Intent};
use crate::session::store::{StoreMessage, StoreStatus};
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the store and the listener ask of the worker.
pub enum Cmd {
    Commit(Box<(Intent, Author)>),
    /// A NOTIFY arrived: catch up.
    Notified,
    /// The listening connection failed.
    ListenerDown(String),
    Stop,
}

const FIRST_RETRY: Duration = Duration::from_millis(100);
const LONGEST_RETRY: Duration = Duration::from_secs(5);
/// When idle, catch up this often anyway (a safety net if a notification is lost).
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// The worker's end of the channels.
pub struct Channels {
    pub cmds: Receiver<Cmd>,
    /// For the listener, which sends on the same queue.
    pub cmd_tx: Sender<Cmd>,
    pub out: Sender<Msg>,
    pub waker: Arc<Mutex<Option<Waker>>>,
}

impl Channels {
    fn send(&self, m: Msg) -> bool {
        let ok = self.out.send(m).is_ok();
        if let Some(w) = self.waker.lock().ok().and_then(|w| w.clone()) {
            w();
        }
        ok
    }
}

struct Worker {
    conn: LedgerConn,
    ch: Channels,
    queue: VecDeque<(Intent, Author)>,
    listener: Option<Listener>,
    /// When the listener was last started: a listener that keeps failing is restarted at most
    /// once a second.
    listener_started: Instant,
    /// `None` while connected; else when to try again and how long to wait after that.
    retry: Option<(Instant, Duration)>,
    error: String,
    status: StoreStatus,
    catch_up: bool,
    /// Where the queue is kept while edits wait for a lost server, or when stopping with edits
    /// unsent, so that closing or a crash loses none.
    outbox: OpenOutbox,
    /// Whether the outbox file may hold edits (it is then kept in step with the queue).
    outbox_in_use: bool,
}

/// Runs until the store is dropped.
pub fn run(target: Arc<Target>, eval: LedgerEval, ch: Channels, outbox: Outbox) {
    let conn = match LedgerConn::open(Arc::clone(&target), eval.clone()) {
        Ok(c) => c,
        Err(e) => {
            ch.send(Msg::Failed(e));
            return;
        }
    };
    let mut w = Worker {
        listener: Some(Listener::start(target, ch.cmd_tx.clone())),
        listener_started: Instant::now(),
        conn,
        ch,
        queue: VecDeque::new(),
        retry: None,
        error: String::new(),
        status: StoreStatus::Connected,
        catch_up: false,
        outbox: Outbox::off().open().0,
        outbox_in_use: false,
    };
    w.conn.take_new();
    let opened = Opened {
        session: w.conn.replica.session.clone(),
        user: w.conn.user().to_string(),
        roles: w.conn.roles().to_vec(),
        screener: eval.screener.clone(),
    };
    if !w.ch.send(Msg::Opened(Box::new(opened))) {
        return;
    }
    w.resume_earlier(outbox);
    w.serve();
}

impl Worker {
    /// Takes this instance's outbox slot and queues the edits that instances now gone could
    /// not send, before any new edit.
    fn resume_earlier(&mut self, outbox: Outbox) {
        let (open, why) = outbox.open();
        self.outbox = open;
        if let Some(why) = why {
            self.notice(format!(
                "Unsent edits will be kept only while the app runs ({why})."
            ));
        }
        let (earlier, errors) = self.outbox.adopt_earlier();
        for e in errors {
            self.notice(format!(
                "Unsent edits kept from an earlier run could not be read: {e}"
            ));
        }
        if !earlier.is_empty() {
            let n = earlier.len();
            self.queue.extend(earlier);
            self.outbox_in_use = true;
            self.notice(format!(
                "{n} edit{} not yet sent when the app last closed {} being sent to the team \
                 ledger now (an edit that reached it before is not recorded twice).",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
            ));
        }
    }

    fn notice(&self, text: String) {
        self.ch.send(Msg::Store(StoreMessage::Notice(text)));
    }

    /// Keeps the outbox file in step with the queue while it matters: while the server is away
    /// (or `always`, when stopping), and until a file written then is emptied.
    fn keep_outbox(&mut self, always: bool) {
        let wanted = !self.queue.is_empty() && (always || self.retry.is_some());
        if !(wanted || self.outbox_in_use) {
            return;
        }
        match self.outbox.keep(&self.queue) {
            Ok(()) => self.outbox_in_use = !self.queue.is_empty(),
            Err(e) => {
                // The edits are still in memory and retried; the user learns they are not on disk.
                self.outbox_in_use = true;
                self.notice(format!(
                    "Unsent edits could not be kept on disk ({e}): they are kept while the app \
                     runs."
                ));
            }
        }
    }

    fn serve(&mut self) {
        loop {
            let timeout = match self.retry {
                Some((at, _)) => at.saturating_duration_since(Instant::now()),
                // Without a listener, poll every second until it is back.
                None if self.queue.is_empty() && !self.catch_up && self.listener.is_none() => {
                    Duration::from_secs(1)
                }
                None if self.queue.is_empty() && !self.catch_up => IDLE_CHECK,
                None => Duration::ZERO,
            };
            match self.ch.cmds.recv_timeout(timeout) {
                Ok(cmd) => {
                    if !self.take(cmd) {
                        self.keep_outbox(true);
                        return;
                    }
                    while let Ok(cmd) = self.ch.cmds.try_recv() {
                        if !self.take(cmd) {
                            self.keep_outbox(true);
                            return;
                        }
                    }
                    self.keep_outbox(false);
                }
                Err(RecvTimeoutError::Timeout) => self.catch_up = true,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if self.retry.is_some_and(|(at, _)| Instant::now() < at) {
                self.report();
                continue;
            }
            if self.retry.is_some() && !self.reconnect() {
                continue;
            }
            self.work();
        }
    }

    /// Takes a command; false to stop.
    fn take(&mut self, cmd: Cmd) -> bool {
        match cmd {
            Cmd::Commit(c) => self.queue.push_back(*c),
            Cmd::Notified => self.catch_up = true,
            Cmd::ListenerDown(e) => {
                self.listener = None;
                // Either the server went away (the next statement will say so) or only this
                // connection did: check now.
                self.error = e;
                self.catch_up = true;
            }
            Cmd::Stop => return false,
        }
        true
    }

    /// Catches up and sends the queued edits, until the queue is empty or the server is lost.
    fn work(&mut self) {
        if self.listener.is_none() && self.listener_started.elapsed() >= Duration::from_secs(1) {
            self.listener_started = Instant::now();
            self.listener = Some(Listener::start(
                Arc::clone(self.conn.target()),
                self.ch.cmd_tx.clone(),
            ));
        }
        if std::mem::take(&mut self.catch_up)
            && let Err(e) = self.conn.catch_up()
        {
            self.failed(e);
            return;
        }
        self.forward();
        while let Some((intent, author)) = self.queue.front() {
            match self.conn.commit(intent, author) {
                Ok(_) => {
                    self.queue.pop_front();
                    self.keep_outbox(false);
                }
                Err(e) if e.is_transient() => {
                    self.failed(e);
                    return;
                }
                Err(e) => {
                    let key = intent.key.clone();
                    self.queue.pop_front();
                    self.keep_outbox(false);
                    self.forward();
                    self.ch.send(Msg::Store(StoreMessage::Refused {
                        key,
                        message: e.to_string(),
                    }));
                }
            }
            self.forward();
            // Colleagues' notifications may have queued up meanwhile: drain them, keep order.
            while let Ok(cmd) = self.ch.cmds.try_recv() {
                if matches!(cmd, Cmd::Stop) {
                    self.keep_outbox(true);
                    return;
                }
                self.take(cmd);
            }
        }
        self.set_status(StoreStatus::Connected);
    }

    /// Sends the events the replica applied since the last call.
    fn forward(&mut self) {
        let events = self.conn.take_new();
        if !events.is_empty() {
            self.ch.send(Msg::Store(StoreMessage::Events(events)));
        }
    }

    fn failed(&mut self, e: LedgerError) {
        self.error = e.to_string();
        self.listener = None;
        let wait = self.retry.map_or(FIRST_RETRY, |(_, d)| d);
        self.retry = Some((Instant::now() + wait, (wait * 2).min(LONGEST_RETRY)));
        self.keep_outbox(false);
        self.report();
    }

    /// Tries to reconnect; true when connected again.
    fn reconnect(&mut self) -> bool {
        match self.conn.reconnect() {
            Ok(_) => {
                self.retry = None;
                self.catch_up = true;
                self.forward();
                true
            }
            Err(e) => {
                self.failed(e);
                false
            }
        }
    }

    fn report(&mut self) {
        if self.retry.is_some() {
            self.set_status(StoreStatus::Reconnecting {
                pending: self.queue.len(),
                error: self.error.clone(),
            });
        }
    }

    fn set_status(&mut self, s: StoreStatus) {
        if self.status != s {
            self.status = s.clone();
            self.ch.send(Msg::Store(StoreMessage::Status(s)));
        }
    }
}
