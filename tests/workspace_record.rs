//! The workspace as a record: screening holds cleared or confirmed with reasons, voided orders,
//! undo as recorded inverse changes, and a history that replays to the same book.

use diffusion_desk::rules::{Authority, Engine, Item, Order, Verdict, VeuStatus};
use diffusion_desk::screening::{IndexScreener, adapter::embedded_index};
use diffusion_desk::session::audit::{self, Action};
use diffusion_desk::session::{Resolution, Workspace};
use std::sync::Arc;

fn order(id: &str, consignee: &str, qty: u64) -> Order {
    Order {
        id: id.into(),
        date: "2025-06-02".parse().unwrap(),
        destination: diffusion_desk::cc!("IN"),
        consignee: consignee.into(),
        consignee_hq: diffusion_desk::cc!("IN"),
        parent: None,
        parent_hq: None,
        veu: VeuStatus::None,
        item: Item::Chip("h100-sxm".into()),
        quantity: qty,
        licence: None,
    }
}

fn workspace() -> Workspace {
    let clock = Arc::new(|| "2025-07-01T09:00:00Z".parse().unwrap());
    let engine = Arc::new(Engine::embedded());
    let s = Workspace::empty(Arc::clone(&engine)).session;
    let mut ws = Workspace::with_clock(engine, s, "alice".into(), clock);
    ws.set_screener(Arc::new(IndexScreener::new(embedded_index())));
    ws
}

#[test]
fn a_possible_match_is_a_hold_until_cleared_with_a_reason() {
    let mut ws = workspace();
    ws.add_order(order("A", "Huawei Technologies Co., Ltd.", 10))
        .unwrap();
    assert_eq!(ws.decisions()[0].verdict, Verdict::Hold);
    let hits = ws.screening(0).unwrap().hits.len();
    assert!(hits > 0);
    // No reason, no decision.
    assert!(ws.decide_hit(0, 0, Resolution::Cleared, "  ").is_err());
    // Confirming the Entity List match decides the verdict by the entry's policy.
    let el = ws
        .screening(0)
        .unwrap()
        .hits
        .iter()
        .position(|h| h.list.short == "EL")
        .unwrap();
    ws.decide_hit(
        0,
        el,
        Resolution::Confirmed,
        "Same company: address in Shenzhen matches",
    )
    .unwrap();
    let d = &ws.decisions()[0];
    assert_ne!(d.verdict, Verdict::Authorized);
    assert_ne!(
        d.verdict,
        Verdict::Hold,
        "a confirmed BIS-list match decides"
    );
    let last = ws.session.history.last().unwrap();
    assert!(matches!(last.action, Action::ScreeningDecided { .. }));
    assert_eq!(last.reason, "Same company: address in Shenzhen matches");
    assert_eq!(last.user, "alice");
}

#[test]
fn clearing_a_false_positive_lets_the_rules_decide() {
    let mut ws = workspace();
    ws.add_order(order("A", "Huawei Technologies Co., Ltd.", 10))
        .unwrap();
    let n = ws.screening(0).unwrap().hits.len();
    for i in 0..n {
        ws.decide_hit(
            0,
            i,
            Resolution::Cleared,
            "test: a namesake, not the listed company",
        )
        .unwrap();
    }
    let d = &ws.decisions()[0];
    assert_eq!(
        (d.verdict, d.authority),
        (Verdict::Authorized, Authority::Lpp)
    );
    // The decision applies to the party in later orders too.
    ws.add_order(order("B", "huawei technologies co ltd", 10))
        .unwrap();
    assert_ne!(ws.decisions()[1].verdict, Verdict::Hold);
}

#[test]
fn history_replays_to_the_same_book_and_tampering_shows_where() {
    let mut ws = workspace();
    ws.add_order(order("A", "Bharat Compute Pvt", 1_000))
        .unwrap();
    ws.add_order(order("B", "Bharat Compute Pvt", 1_000))
        .unwrap();
    let mut edited = ws.orders()[0].clone();
    edited.quantity = 100;
    ws.replace_order(0, edited).unwrap();
    ws.void_order(1, "Duplicate entry").unwrap();
    assert!(ws.undo(), "undo restores the voided order");
    assert_eq!(ws.orders().len(), 2);
    let history = ws.session.history.clone();
    audit::verify_chain(&history).unwrap();
    let replayed = audit::replay(&history).unwrap();
    assert!(audit::same_audited_state(&ws.session, &replayed));
    // Back-dating is recorded with its effect on the other order.
    let editing = history
        .iter()
        .find(|e| matches!(e.action, Action::OrderEdited { .. }))
        .unwrap();
    assert_eq!(editing.effects[0].order_id, "B");
    // Changing any field of any event is detected at that event.
    for i in 0..history.len() {
        let mut h = history.clone();
        h[i].user.push('x');
        let b = audit::verify_chain(&h).unwrap_err();
        assert_eq!(b.position(), i + 1, "{b}");
    }
    // Removing an event breaks the link of the next one.
    let mut h = history.clone();
    h.remove(1);
    assert!(audit::verify_chain(&h).is_err());
}
