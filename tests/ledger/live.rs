//! Two officers on one ledger see each other's changes within moments (LISTEN/NOTIFY), and a
//! back-dated order that changes a colleague's decision is shown to that colleague.

use crate::common::*;
use diffusion_desk::rules::{Authority, Verdict};
use diffusion_desk::session::store::StoreStatus;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[test]
fn a_second_client_sees_a_change_within_two_seconds_and_hears_of_its_changed_decisions() {
    let l = Ledger::new();
    let mut alice = l.workspace("alice");
    let mut bob = l.workspace("bob");
    assert_eq!(bob.user, "bob");
    assert_eq!(bob.store_status(), StoreStatus::Connected);
    let woken = Arc::new(AtomicUsize::new(0));
    let w = Arc::clone(&woken);
    bob.store_mut().set_waker(Arc::new(move || {
        w.fetch_add(1, Ordering::Relaxed);
    }));

    // Bob ships 1,000 H100 to Reliance Jio in September under LPP.
    bob.add_order(order("B-1", "2025-09-01", "IN", "Reliance Jio", 1000))
        .unwrap();
    let seen = wait_for(&mut alice, Duration::from_secs(2), |ws| {
        ws.orders().len() == 1
    });
    assert!(seen.is_some(), "alice sees bob's order within 2 s");
    wait_for(&mut bob, Duration::from_secs(2), |ws| {
        ws.orders().len() == 1
    })
    .unwrap();
    assert_eq!(
        (bob.decisions()[0].verdict, bob.decisions()[0].authority),
        (Verdict::Authorized, Authority::Lpp)
    );
    assert!(bob.take_notices().is_empty(), "own commits are no news");

    // Alice enters a March order for the same consignee: it takes the year's LPP room first.
    alice
        .add_order(order("A-1", "2025-03-01", "IN", "Reliance Jio", 1000))
        .unwrap();
    let seen = wait_for(&mut bob, Duration::from_secs(2), |ws| {
        ws.orders().len() == 2
    });
    assert!(seen.is_some(), "bob sees alice's order within 2 s");
    let b1 = bob.orders().iter().position(|o| o.id == "B-1").unwrap();
    assert_eq!(bob.decisions()[b1].verdict, Verdict::LicenseRequired);
    let notices = bob.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("A-1") && notices[0].contains("alice") && notices[0].contains("B-1"),
        "{}",
        notices[0]
    );
    assert!(
        woken.load(Ordering::Relaxed) > 0,
        "the UI is woken to repaint"
    );
    // Alice hears nothing: the change was to bob's order.
    wait_for(&mut alice, Duration::from_secs(2), |ws| {
        ws.orders().len() == 2
    })
    .unwrap();
    assert!(alice.take_notices().is_empty());
    // Both desks show the same book and decisions.
    assert_eq!(alice.orders(), bob.orders());
    assert_eq!(alice.decisions(), bob.decisions());
    assert_eq!(alice.session.history, bob.session.history);
}
