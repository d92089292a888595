//! One officer's commit: stored, projected, and seen by a second client.

use crate::common::*;
use diffusion_desk::session::audit::Action;
use diffusion_desk::session::commit::Intent;
use diffusion_desk::store::Committed;

#[test]
fn a_commit_is_stored_with_its_decision_and_a_retry_records_nothing_new() {
    let l = Ledger::new();
    let mut alice = l.conn("alice");
    let intent = Intent::new(
        Action::OrderAdded {
            order: order("A-1", "2025-06-02", "IN", "Reliance Jio", 100),
        },
        "",
    );
    let author = alice.author_now();
    let first = alice.commit(&intent, &author).unwrap();
    assert_eq!(first, Committed::New { seq: 1 });
    // The same edit again (a retry after a lost answer): found by its key, not recorded twice.
    assert_eq!(
        alice.commit(&intent, &author).unwrap(),
        Committed::Already { seq: 1 }
    );
    let rows = alice.stored_rows().unwrap();
    assert_eq!(rows.len(), 1);
    let d = rows[0].1.as_ref().unwrap();
    assert_eq!(
        (d.verdict.as_str(), d.authority.as_str()),
        ("authorized", "LPP")
    );
    let bob = l.conn("bob");
    assert_eq!(bob.replica.session.orders.len(), 1);
    assert_eq!(bob.replica.session.history.len(), 1);
}
