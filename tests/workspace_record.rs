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

fn malaysia(id: &str, date: &str, qty: u64, licence: Option<&str>) -> Order {
    Order {
        id: id.into(),
        date: date.parse().unwrap(),
        destination: diffusion_desk::cc!("MY"),
        consignee: "Johor Hyperscale Sdn Bhd".into(),
        consignee_hq: diffusion_desk::cc!("MY"),
        parent: None,
        parent_hq: None,
        veu: VeuStatus::None,
        item: Item::Chip("b200".into()),
        quantity: qty,
        licence: licence.map(str::to_string),
    }
}

fn outcome(ws: &Workspace, i: usize) -> (Verdict, Authority) {
    let d = &ws.decisions()[i];
    (d.verdict, d.authority)
}

#[test]
fn licences_draw_use_up_expire_and_deny_through_the_workspace() {
    use diffusion_desk::rules::{Licence, LicenceAmount, LicenceOutcome};
    let mut ws = workspace();
    // 15,000 + 6,000 + 900 B200 (36,000 TPP each) to Malaysia, each too large for LPP.
    ws.add_order(malaysia("A", "2025-07-07", 15_000, None))
        .unwrap();
    ws.add_order(malaysia("B", "2025-08-04", 6_000, Some("D1182045")))
        .unwrap();
    ws.add_order(malaysia("C", "2025-09-15", 900, Some("D1182045")))
        .unwrap();
    let required = (Verdict::LicenseRequired, Authority::None);
    assert_eq!(outcome(&ws, 0), required);
    assert_eq!(ws.decisions()[0].allocation_draw, 540_000_000);

    // Applied: nothing changes but a finding.
    let applied = Licence {
        application: "Z1045521".into(),
        order_id: "A".into(),
        applied: "2025-06-17".parse().unwrap(),
        outcome: LicenceOutcome::Pending,
    };
    ws.save_licence(None, applied.clone()).unwrap();
    assert_eq!(outcome(&ws, 0), required);
    let codes = |ws: &Workspace, i: usize| -> Vec<&'static str> {
        ws.decisions()[i]
            .findings
            .iter()
            .map(|f| f.code_str())
            .collect()
    };
    assert!(codes(&ws, 0).contains(&"LICENSE_PENDING"));

    // Approved for 21,000 units: A and B ship under it and use it up; C does not fit.
    let mut approved = applied.clone();
    approved.outcome = LicenceOutcome::Approved {
        number: "D1182045".into(),
        decided: "2025-07-02".parse().unwrap(),
        approved: LicenceAmount::Units(21_000),
        valid_until: "2027-06-30".parse().unwrap(),
        conditions: String::new(),
    };
    ws.save_licence(Some(&applied), approved.clone()).unwrap();
    let licensed = (Verdict::Authorized, Authority::License);
    assert_eq!(outcome(&ws, 0), licensed);
    assert_eq!(outcome(&ws, 1), licensed);
    assert_eq!(outcome(&ws, 2), required);
    assert!(codes(&ws, 2).contains(&"LICENSE_USED_UP"));
    // The approval draws the allocation once, through the applying order.
    let d = ws.decisions();
    assert_eq!(
        (
            d[0].allocation_draw,
            d[1].allocation_draw,
            d[2].allocation_draw
        ),
        (756_000_000, 0, 32_400_000)
    );
    assert_eq!(d[2].allocation_remaining_tpp, Some(1_600_000));
    // The event says which other decisions the approval changed.
    let e = ws.session.history.last().unwrap();
    assert_eq!(
        e.effects
            .iter()
            .map(|c| c.order_id.as_str())
            .collect::<Vec<_>>(),
        ["B"]
    );

    // Valid only until 1 August: B (4 August) no longer ships under it, and what the approval
    // left of Malaysia's allocation (34M TPP) is too little for B's 216M.
    let mut short = approved.clone();
    if let LicenceOutcome::Approved { valid_until, .. } = &mut short.outcome {
        *valid_until = "2025-08-01".parse().unwrap();
    }
    ws.save_licence(Some(&approved), short.clone()).unwrap();
    assert_eq!(outcome(&ws, 0), licensed);
    assert_eq!(
        outcome(&ws, 1),
        (Verdict::PresumptionOfDenial, Authority::None)
    );
    assert!(codes(&ws, 1).contains(&"LICENSE_EXPIRED"));

    // Denied: the applying order releases what it held of the allocation.
    let mut denied = short.clone();
    denied.outcome = LicenceOutcome::Denied {
        decided: "2025-07-02".parse().unwrap(),
        reason: "End use not established".into(),
    };
    ws.save_licence(Some(&short), denied).unwrap();
    assert_eq!(outcome(&ws, 0), required);
    assert!(codes(&ws, 0).contains(&"LICENSE_DENIED"));
    assert_eq!(ws.decisions()[0].allocation_draw, 0);
    assert_eq!(
        ws.decisions()[0].allocation_remaining_tpp,
        Some(790_000_000)
    );
    // Every step is in the history, and it replays to the same licences.
    let replayed = audit::replay(&ws.session.history).unwrap();
    assert_eq!(replayed.licences, ws.session.licences);
}

#[test]
fn licences_are_checked_before_they_are_recorded() {
    use diffusion_desk::rules::{Licence, LicenceAmount, LicenceOutcome};
    let mut ws = workspace();
    ws.add_order(malaysia("A", "2025-07-07", 15_000, None))
        .unwrap();
    ws.add_order(malaysia("B", "2025-07-08", 15_000, None))
        .unwrap();
    let first = Licence {
        application: "Z1".into(),
        order_id: "A".into(),
        applied: "2025-06-17".parse().unwrap(),
        outcome: LicenceOutcome::Approved {
            number: "D1".into(),
            decided: "2025-06-20".parse().unwrap(),
            approved: LicenceAmount::Tpp(1_000),
            valid_until: "2026-06-20".parse().unwrap(),
            conditions: String::new(),
        },
    };
    ws.save_licence(None, first.clone()).unwrap();
    let n = ws.session.history.len();
    // The same licence number again, an unknown order, a decision before the application.
    let mut dup = first.clone();
    dup.application = "Z2".into();
    dup.order_id = "B".into();
    assert!(
        ws.save_licence(None, dup)
            .unwrap_err()
            .contains("already used")
    );
    let mut unknown = first.clone();
    unknown.application = "Z3".into();
    unknown.order_id = "nope".into();
    if let LicenceOutcome::Approved { number, .. } = &mut unknown.outcome {
        *number = "D3".into();
    }
    assert!(
        ws.save_licence(None, unknown)
            .unwrap_err()
            .contains("not in this session")
    );
    let mut early = first.clone();
    early.application = "Z4".into();
    early.applied = "2025-07-01".parse().unwrap();
    if let LicenceOutcome::Approved { number, .. } = &mut early.outcome {
        *number = "D4".into();
    }
    assert!(
        ws.save_licence(None, early)
            .unwrap_err()
            .contains("before the application")
    );
    assert_eq!(ws.session.history.len(), n, "refusals record nothing");
}

#[test]
fn an_override_needs_a_second_person() {
    use diffusion_desk::rules::OverrideVerdict;
    let mut ws = workspace();
    ws.add_order(order("A", "Bharat Compute Pvt", 100)).unwrap();
    assert!(
        ws.request_override(0, OverrideVerdict::LicenseRequired, " ")
            .is_err()
    );
    ws.request_override(0, OverrideVerdict::LicenseRequired, "Open question")
        .unwrap();
    assert_eq!(outcome(&ws, 0), (Verdict::Authorized, Authority::Lpp));
    let refused = ws.approve_override(0, "ok").unwrap_err();
    assert!(refused.contains("another reviewer"), "{refused}");
    ws.user = "bob".into();
    ws.approve_override(0, "Agreed").unwrap();
    assert_eq!(outcome(&ws, 0), (Verdict::LicenseRequired, Authority::None));
}

#[test]
fn a_decided_match_can_be_reopened_with_a_reason() {
    let mut ws = workspace();
    ws.add_order(order("A", "Huawei Technologies Co., Ltd.", 10))
        .unwrap();
    assert!(ws.reopen_hit(0, 0, "why").is_err(), "nothing decided yet");
    ws.decide_hit(0, 0, Resolution::Cleared, "A namesake")
        .unwrap();
    assert!(ws.reopen_hit(0, 0, " ").is_err(), "a reason is required");
    ws.reopen_hit(0, 0, "New information from the customer")
        .unwrap();
    assert_eq!(ws.decisions()[0].verdict, Verdict::Hold);
    assert!(matches!(
        ws.session.history.last().unwrap().action,
        Action::ScreeningReopened { .. }
    ));
}
