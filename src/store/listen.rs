//! LISTEN on a dedicated connection: every commit's NOTIFY wakes the worker, which catches up at
//! once, so colleagues' changes show within a moment rather than at the next poll.

use super::connect::Target;
use super::worker::Cmd;
use postgres::fallible_iterator::FallibleIterator;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// The channel `ledger.append` notifies.
pub const CHANNEL: &str = "ledger_events";

/// How often the listener looks up from its wait to see whether it should stop.
const STOP_CHECK: Duration = Duration::from_secs(1);

/// The listening thread; stops (within a second) when dropped.
pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Listener {
    /// Connects and listens; sends [`Cmd::Notified`] on each notification (and once when it starts,
    /// for anything committed before LISTEN took effect), [`Cmd::ListenerDown`] when the
    /// connection fails.
    pub fn start(target: Arc<Target>, tx: Sender<Cmd>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let spawned = std::thread::Builder::new()
            .name("ledger-listen".into())
            .spawn(move || listen(&target, &tx, &flag));
        if spawned.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        Self { stop }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn listen(target: &Target, tx: &Sender<Cmd>, stop: &AtomicBool) {
    let mut client = match target.connect() {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Cmd::ListenerDown(e.to_string()));
            return;
        }
    };
    if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")) {
        let _ = tx.send(Cmd::ListenerDown(target.error(&e).to_string()));
        return;
    }
    if tx.send(Cmd::Notified).is_err() {
        return;
    }
    while !stop.load(Ordering::Relaxed) {
        let got = client.notifications().timeout_iter(STOP_CHECK).next();
        match got {
            Ok(Some(_)) => {
                // Commits come in bursts: one catch-up serves every notification queued so far.
                let mut pending = client.notifications();
                let mut queued = pending.iter();
                while let Ok(Some(_)) = queued.next() {}
                if tx.send(Cmd::Notified).is_err() {
                    return;
                }
            }
            Ok(None) if client.is_closed() => {
                let _ = tx.send(Cmd::ListenerDown("the connection closed".into()));
                return;
            }
            Ok(None) => {}
            Err(e) => {
                let _ = tx.send(Cmd::ListenerDown(target.error(&e).to_string()));
                return;
            }
        }
    }
}
