//! A workspace on a shared store (a team ledger): the store's copy of the session replaces the
//! open one, and changes are recorded under the store's login, evaluated as the store evaluates.

use super::{HistoryStatus, Workspace};
use crate::session::commit::SharedScreener;
use crate::session::model::Session;
use crate::session::store::Store;

impl Workspace {
    /// Opens `session`, as `store` loaded it (its history verified there), and routes every
    /// change through `store` as `user`. The workspace screens with `screener`, as the store
    /// does, so the decisions it shows are the ones the store records.
    pub fn adopt_store(
        &mut self,
        store: Box<dyn Store>,
        session: Session,
        user: String,
        screener: Option<SharedScreener>,
    ) {
        self.store = store;
        self.session = session;
        self.path = None;
        self.dirty = false;
        self.undo.clear();
        self.redo.clear();
        self.changed.clear();
        self.notices.clear();
        self.user = user;
        self.screener = screener;
        // An empty ledger has no history yet: its first commit starts one, so none is made up
        // here (a local "created" event would fork the chain).
        self.history = HistoryStatus::Verified;
        self.reevaluate();
    }

    /// The store, to give it a waker.
    pub fn store_mut(&mut self) -> &mut dyn Store {
        self.store.as_mut()
    }
}
