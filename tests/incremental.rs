//! Incremental evaluation against whole-book evaluation: random sequences of edits (orders added
//! with random dates, back-dated and on equal dates, edited, voided, restored, imported; the
//! scenario, licences, overrides, screening decisions and threshold changed) are committed
//! through `prepare_in`, which keeps the decisions current incrementally ([`LiveBook`]), and
//! after every step its decisions must equal `Engine::evaluate_book_in` of the same state. The
//! same edits committed through `prepare` (a whole-book evaluation) must record the same events
//! (effects on other orders included), and a replica that applies the events in batches (as a
//! ledger client catching up does) must come to the same decisions.

use diffusion_desk::rules::{
    Approval, BookContext, CountryCode, Decision, DecisionOverride, Engine, Hit, HitState, Item,
    Licence, LicenceAmount, LicenceOutcome, ListEffect, ListRef, Order, OverrideVerdict, PartyRole,
    Scenario, VeuStatus,
};
use diffusion_desk::session::audit::{Action, Snapshot};
use diffusion_desk::session::commit::{Author, Evaluator, Intent, prepare, prepare_in};
use diffusion_desk::session::model::{Resolution, ScreeningDecision};
use diffusion_desk::session::screening_link::{Screener, entry_key, screen_book, screen_order};
use diffusion_desk::session::{LiveBook, RulesetRef, Session};
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::sync::{Arc, LazyLock};

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::embedded);

fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

/// Lists where "Listed …" is on the Entity List and "Maybe …" scores near the thresholds the
/// steps set (higher with a Chinese headquarters).
#[derive(Debug)]
struct Lists;

fn hit(short: &str, effect: ListEffect, entry: &str, number: &str, score: f64) -> Hit {
    Hit {
        role: PartyRole::Consignee,
        party: String::new(),
        list: ListRef {
            short: short.into(),
            label: short.into(),
            authority: String::new(),
            effect,
        },
        entry_name: entry.into(),
        matched_name: entry.into(),
        entity_number: Some(number.into()),
        score,
        exact: false,
        why: String::new(),
        policy_text: None,
        state: HitState::Open,
    }
}

impl Screener for Lists {
    fn vintage(&self) -> &str {
        "test"
    }

    fn matches(&self, name: &str, country: Option<CountryCode>, threshold: f64) -> Arc<Vec<Hit>> {
        let boost = if country == Some(cc("CN")) { 0.1 } else { 0.0 };
        let mut hits = Vec::new();
        if name.starts_with("Listed") {
            let el = ListEffect::EntityList {
                denial_policy: true,
            };
            hits.push(hit("EL", el, "Listed Corp", "E1", 0.97));
        }
        if name.starts_with("Maybe") {
            hits.push(hit(
                "UVL",
                ListEffect::Unverified,
                "Maybe Ltd",
                "U7",
                0.7 + boost,
            ));
            hits.push(hit("SDN", ListEffect::NonEar, "Maybe Holdings", "S3", 0.8));
        }
        hits.retain(|h| h.score >= threshold);
        Arc::new(hits)
    }
}

static LISTS: Lists = Lists;

const PLACES: [&str; 7] = ["IN", "AE", "BR", "DE", "US", "CN", "SG"];
const HQS: [&str; 4] = ["IN", "AE", "DE", "CN"];
const ITEMS: [&str; 3] = ["h100-sxm", "b200", "h20"];
const CONSIGNEES: [&str; 5] = [
    "Consignee A",
    "Consignee B",
    "Consignee C",
    "Listed Alpha",
    "Maybe Beta",
];
const QUANTITIES: [u64; 6] = [8, 64, 500, 2_000, 10_000, 50_000];
const APPLICATIONS: [&str; 3] = ["Z1", "Z2", "Z3"];

prop_compose! {
    /// Orders over six weeks around a new year (LPP room is per calendar year), so equal dates
    /// are common and most additions are back-dated under earlier ones.
    fn arb_order()(
        dest in 0..PLACES.len(),
        hq in 0..HQS.len(),
        who in 0..CONSIGNEES.len(),
        parent in 0..4usize,
        item in 0..ITEMS.len() + 1,
        qty in 0..QUANTITIES.len(),
        day in 0i64..42,
        veu in 0..3usize,
        licence in 0..6usize,
    ) -> Order {
        let item = if item == ITEMS.len() {
            Item::ModelWeights { training_ops: 2e26, open_weights: false }
        } else {
            Item::Chip(ITEMS[item].into())
        };
        let quantity = if matches!(item, Item::ModelWeights { .. }) { 1 } else { QUANTITIES[qty] };
        let (parent, parent_hq) = match parent {
            0 => (Some("Maybe Parent".to_string()), Some(cc(HQS[hq]))),
            1 => (Some("Parent Co".to_string()), Some(cc("DE"))),
            _ => (None, None),
        };
        Order {
            id: String::new(),
            date: Date::new(2025, 12, 10).unwrap().checked_add(jiff::Span::new().days(day)).unwrap(),
            destination: cc(PLACES[dest]),
            consignee: CONSIGNEES[who].into(),
            consignee_hq: cc(HQS[hq]),
            parent,
            parent_hq,
            veu: [VeuStatus::None, VeuStatus::Nveu, VeuStatus::Uveu][veu],
            item,
            quantity,
            licence: match licence {
                0 => Some("Z1".into()),
                1 => Some("D2".into()),
                _ => None,
            },
        }
    }
}

#[derive(Debug, Clone)]
enum Step {
    Add(Order),
    Edit {
        pick: usize,
        order: Order,
        keep_id: bool,
    },
    Void(usize),
    VoidMany(Vec<usize>),
    Restore(usize),
    Import(Vec<Order>),
    Scenario {
        g2g: bool,
        base: bool,
    },
    Licence {
        pick: usize,
        application: usize,
        outcome: u8,
        amount: u64,
    },
    LicenceRemoved(usize),
    Request {
        pick: usize,
        deny: bool,
    },
    Approve(usize),
    Withdraw(usize),
    Decide {
        pick: usize,
        hit: usize,
        confirm: bool,
    },
    Reopen(usize),
    Threshold(usize),
    /// A whole session imported over the book: some orders kept, some new.
    Snapshot {
        keep: Vec<usize>,
        orders: Vec<Order>,
    },
}

fn arb_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => arb_order().prop_map(Step::Add),
        3 => (any::<usize>(), arb_order(), any::<bool>())
            .prop_map(|(pick, order, keep_id)| Step::Edit { pick, order, keep_id }),
        2 => any::<usize>().prop_map(Step::Void),
        2 => prop::collection::vec(any::<usize>(), 1..6).prop_map(Step::VoidMany),
        2 => any::<usize>().prop_map(Step::Restore),
        1 => prop::collection::vec(arb_order(), 1..4).prop_map(Step::Import),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(g2g, base)| Step::Scenario { g2g, base }),
        1 => (any::<usize>(), 0..APPLICATIONS.len(), 0u8..3, 1u64..3_000).prop_map(
            |(pick, application, outcome, amount)| Step::Licence { pick, application, outcome, amount }
        ),
        1 => any::<usize>().prop_map(Step::LicenceRemoved),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(pick, deny)| Step::Request { pick, deny }),
        1 => any::<usize>().prop_map(Step::Approve),
        1 => any::<usize>().prop_map(Step::Withdraw),
        2 => (any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(pick, hit, confirm)| Step::Decide { pick, hit, confirm }),
        1 => any::<usize>().prop_map(Step::Reopen),
        1 => (0usize..4).prop_map(Step::Threshold),
        1 => (prop::collection::vec(any::<usize>(), 0..6), prop::collection::vec(arb_order(), 0..3))
            .prop_map(|(keep, orders)| Step::Snapshot { keep, orders }),
    ]
}

fn day(d: &str) -> Date {
    d.parse().unwrap()
}

fn licence(s: &Session, pick: usize, application: usize, outcome: u8, amount: u64) -> Action {
    let ids: Vec<&str> = s
        .orders
        .iter()
        .map(|o| o.id.as_str())
        .chain(s.voided.iter().map(|v| v.order.id.as_str()))
        .collect();
    let application = APPLICATIONS[application].to_string();
    let before = s
        .licences
        .iter()
        .find(|l| l.application == application)
        .cloned();
    let order_id = ids
        .get(pick % ids.len().max(1))
        .unwrap_or(&"O0")
        .to_string();
    let outcome = match outcome {
        0 => LicenceOutcome::Pending,
        1 => LicenceOutcome::Approved {
            number: format!("D{}", &application[1..]),
            decided: day("2025-12-20"),
            approved: if amount.is_multiple_of(2) {
                LicenceAmount::Units(amount)
            } else {
                LicenceAmount::Tpp(amount * 10_000_000)
            },
            valid_until: day("2026-01-10"),
            conditions: String::new(),
        },
        _ => LicenceOutcome::Denied {
            decided: day("2025-12-20"),
            reason: String::new(),
        },
    };
    Action::LicenceSaved {
        before,
        after: Licence {
            application,
            order_id,
            applied: day("2025-12-01"),
            outcome,
        },
    }
}

fn decide(s: &Session, pick: usize, hit: usize, confirm: bool) -> Option<Action> {
    let order = s.orders.get(pick % s.orders.len().max(1))?;
    let screening = screen_order(&LISTS, order, &s.screening);
    let h = screening.hits.get(hit % screening.hits.len().max(1))?;
    Some(Action::ScreeningDecided {
        decision: ScreeningDecision {
            party: h.party.clone(),
            list: h.list.short.clone(),
            entry: entry_key(h),
            entry_name: h.entry_name.clone(),
            resolution: if confirm {
                Resolution::Confirmed
            } else {
                Resolution::Cleared
            },
            reason: "checked".into(),
            by: "bob".into(),
            at: "2026-01-02T00:00:00Z".into(),
            order_id: order.id.clone(),
            list_vintage: "test".into(),
        },
    })
}

/// The action a step asks for in state `s` (`None` when it does not apply); `n` numbers new
/// orders and requests.
fn action(step: Step, s: &Session, n: &mut usize) -> Option<Action> {
    let mut fresh_id = || {
        *n += 1;
        format!("O{n}")
    };
    let pick = |i: usize, len: usize| (len > 0).then(|| i % len);
    Some(match step {
        Step::Add(mut order) => {
            order.id = fresh_id();
            Action::OrderAdded { order }
        }
        Step::Edit {
            pick: p,
            mut order,
            keep_id,
        } => {
            let before = s.orders[pick(p, s.orders.len())?].clone();
            order.id = if keep_id {
                before.id.clone()
            } else {
                fresh_id()
            };
            Action::OrderEdited {
                before,
                after: order,
            }
        }
        Step::Void(p) => Action::OrderVoided {
            order: s.orders[pick(p, s.orders.len())?].clone(),
        },
        Step::VoidMany(picks) => {
            let mut at: Vec<usize> = picks
                .into_iter()
                .filter_map(|p| pick(p, s.orders.len()))
                .collect();
            at.sort_unstable();
            at.dedup();
            (!at.is_empty()).then_some(())?;
            Action::OrdersVoided {
                orders: at.into_iter().map(|i| s.orders[i].clone()).collect(),
            }
        }
        Step::Restore(p) => Action::OrderRestored {
            order: s.voided[pick(p, s.voided.len())?].order.clone(),
        },
        Step::Import(mut orders) => {
            for o in &mut orders {
                o.id = fresh_id();
            }
            Action::OrdersImported {
                source: "import.csv".into(),
                orders,
            }
        }
        other => record_action(other, s, &mut fresh_id)?,
    })
}

/// The action a step on the session's records asks for (see [`action`]).
fn record_action(step: Step, s: &Session, fresh_id: &mut impl FnMut() -> String) -> Option<Action> {
    let pick = |i: usize, len: usize| (len > 0).then(|| i % len);
    Some(match step {
        Step::Scenario { g2g, base } => {
            let mut after = Scenario::default();
            if g2g {
                after.g2g.insert(cc("AE"));
            }
            if base {
                after
                    .installed_base
                    .entry("Consignee A".into())
                    .or_default()
                    .insert(cc("US"), 50_000_000_000);
            }
            Action::ScenarioChanged {
                before: s.scenario.clone(),
                after,
            }
        }
        Step::Licence {
            pick,
            application,
            outcome,
            amount,
        } => licence(s, pick, application, outcome, amount),
        Step::LicenceRemoved(p) => Action::LicenceRemoved {
            licence: s.licences[pick(p, s.licences.len())?].clone(),
        },
        Step::Request { pick: p, deny } => Action::OverrideRequested {
            request: DecisionOverride {
                order_id: s.orders[pick(p, s.orders.len())?].id.clone(),
                verdict: if deny {
                    OverrideVerdict::PresumptionOfDenial
                } else {
                    OverrideVerdict::LicenseRequired
                },
                reason: "stricter".into(),
                requested_by: "alice".into(),
                requested_at: format!("2026-01-01T00:00:00.{}Z", &fresh_id()[1..]),
                approved: None,
            },
        },
        Step::Approve(p) => Action::OverrideApproved {
            request: s.overrides[pick(p, s.overrides.len())?].clone(),
            approval: Approval {
                by: "bob".into(),
                at: "2026-01-03T00:00:00Z".into(),
            },
        },
        Step::Withdraw(p) => Action::OverrideWithdrawn {
            request: s.overrides[pick(p, s.overrides.len())?].clone(),
        },
        Step::Decide { pick, hit, confirm } => decide(s, pick, hit, confirm)?,
        Step::Reopen(p) => Action::ScreeningReopened {
            decision: s.screening.decisions[pick(p, s.screening.decisions.len())?].clone(),
        },
        Step::Threshold(i) => Action::ScreeningThresholdChanged {
            before: s.screening.threshold,
            after: [0.6, 0.75, 0.85, 0.95][i],
        },
        Step::Snapshot { keep, orders } => {
            let mut snapshot = Snapshot::of(s);
            let mut kept: Vec<usize> = keep
                .into_iter()
                .filter_map(|p| pick(p, s.orders.len()))
                .collect();
            kept.sort_unstable();
            kept.dedup();
            snapshot.orders = kept.into_iter().map(|i| s.orders[i].clone()).collect();
            for mut o in orders {
                o.id = fresh_id();
                snapshot.orders.push(o);
            }
            Action::Imported {
                from_version: 1,
                snapshot: Box::new(snapshot),
            }
        }
        _ => unreachable!("order steps are `action`'s"),
    })
}

/// The whole book evaluated in one go, as the brief for incremental evaluation has it.
fn full(eval: Evaluator, s: &Session) -> Vec<Decision> {
    let screenings = match eval.screener {
        Some(sc) => screen_book(sc, &s.orders, &s.screening),
        None => Vec::new(),
    };
    let ctx = BookContext {
        scenario: &s.scenario,
        licences: &s.licences,
        overrides: &s.overrides,
        screenings: &screenings,
    };
    ENGINE.evaluate_book_in(&ctx, &s.orders)
}

fn run(steps: Vec<(Step, bool)>, screened: bool) -> Result<(), TestCaseError> {
    let eval = Evaluator {
        engine: &ENGINE,
        screener: screened.then_some(&LISTS as &dyn Screener),
    };
    let empty = Session::new("incremental", RulesetRef::of(ENGINE.loaded()));
    // Kept current incrementally, commit by commit.
    let (mut s, mut book) = (empty.clone(), LiveBook::new());
    // Whole-book evaluation after each commit.
    let (mut reference, mut decisions) = (empty.clone(), Vec::new());
    // Applies the events in batches, as a ledger client catching up does.
    let (mut replica, mut replica_book) = (empty, LiveBook::new());
    replica_book.refresh(eval, &replica);
    let mut n = 0;
    for (k, (step, flush)) in steps.into_iter().enumerate() {
        let Some(action) = action(step, &s, &mut n) else {
            continue;
        };
        let intent = Intent {
            action,
            reason: "because".into(),
            key: String::new(),
        };
        let author = Author {
            user: "alice".into(),
            at: format!("2026-01-05T00:00:{:02}Z", k % 60),
        };
        let ours = prepare_in(eval, &mut s, &mut book, &intent, &author);
        let theirs = prepare(eval, &mut reference, &decisions, &intent, &author);
        match (ours, theirs) {
            (Ok((a, _)), Ok((b, after))) => {
                prop_assert_eq!(a, b, "step {}: the events differ", k);
                decisions = after;
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "step {k}: {a:?} but the reference {b:?}"),
        }
        let whole = full(eval, &s);
        prop_assert_eq!(book.decisions(), whole.as_slice(), "step {}", k);
        prop_assert_eq!(book.decisions(), decisions.as_slice());
        if screened {
            let screenings = screen_book(&LISTS, &s.orders, &s.screening);
            prop_assert_eq!(book.screenings(), screenings.as_slice());
        }
        if flush {
            for e in &s.history[replica.history.len()..] {
                replica_book.apply(&mut replica, e).unwrap();
                replica.history.push(e.clone());
            }
            replica_book.refresh(eval, &replica);
            prop_assert_eq!(replica_book.decisions(), book.decisions(), "step {}", k);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn incremental_decisions_equal_a_whole_book_evaluation_after_every_edit(
        steps in prop::collection::vec((arb_step(), prop::bool::weighted(0.3)), 1..60),
        screened in prop::bool::weighted(0.8),
    ) {
        run(steps, screened)?;
    }
}

/// A long book: many additions on few dates and parties, then edits and voids deep in it.
#[test]
fn a_long_book_with_edits_deep_in_it() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let orders = prop::collection::vec(arb_order(), 250)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let mut steps: Vec<(Step, bool)> = orders.into_iter().map(|o| (Step::Add(o), false)).collect();
    let more = prop::collection::vec((arb_step(), prop::bool::weighted(0.2)), 120)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    steps.extend(more);
    run(steps, true).unwrap();
}
