//! Property tests of the engine over arbitrary order books.

use diffusion_desk::rules::{
    Authority, CountryCode, Decision, Engine, Item, LedgerKind, Order, Scenario, VeuStatus,
};
use jiff::civil::Date;
use proptest::prelude::*;
use std::collections::HashMap;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::embedded);

/// A few destinations of every tier, so caps are actually reached.
const PLACES: [&str; 8] = ["IN", "BR", "AE", "DE", "US", "CN", "MO", "SG"];
const ITEMS: [&str; 5] = ["h100-sxm", "b200", "h20", "rtx-4090", "mi300x"];

fn arb_order() -> impl Strategy<Value = Order> {
    (
        0..PLACES.len(),
        0..PLACES.len(),
        0..ITEMS.len() + 1,
        1u64..60_000,
        0i64..1080,
        0..4usize,
        0..3usize,
    )
        .prop_map(|(dest, hq, item, qty, day, who, veu)| {
            let item = if item == ITEMS.len() {
                Item::ModelWeights {
                    training_ops: 2e26,
                    open_weights: false,
                }
            } else {
                Item::Chip(ITEMS[item].into())
            };
            let quantity = if matches!(item, Item::ModelWeights { .. }) {
                1
            } else {
                qty
            };
            Order {
                id: String::new(),
                date: Date::new(2025, 1, 13)
                    .unwrap()
                    .checked_add(jiff::Span::new().days(day))
                    .unwrap(),
                destination: CountryCode::parse(PLACES[dest]).unwrap(),
                consignee: format!("Consignee {who}"),
                consignee_hq: CountryCode::parse(PLACES[hq]).unwrap(),
                parent: None,
                parent_hq: None,
                veu: [VeuStatus::None, VeuStatus::Uveu, VeuStatus::Nveu][veu],
                item,
                quantity,
                licence: None,
            }
        })
}

fn arb_book() -> impl Strategy<Value = (Vec<Order>, bool)> {
    (prop::collection::vec(arb_order(), 0..60), any::<bool>()).prop_map(|(mut orders, g2g)| {
        for (i, o) in orders.iter_mut().enumerate() {
            o.id = format!("O{i}");
        }
        (orders, g2g)
    })
}

fn scenario(g2g: bool) -> Scenario {
    let mut s = Scenario::default();
    if g2g {
        s.g2g.insert(CountryCode::parse("AE").unwrap());
    }
    s
}

/// Sums of what each ledger took, by key.
fn draws(orders: &[Order], decisions: &[Decision]) -> HashMap<(String, LedgerKind), u64> {
    let mut m = HashMap::new();
    for (o, d) in orders.iter().zip(decisions) {
        if let Some(dr) = d.draw {
            let who = match dr.ledger {
                LedgerKind::CountryAllocation { .. } => String::new(),
                _ => o.consignee.clone(),
            };
            *m.entry((who, dr.ledger)).or_insert(0u64) += dr.amount;
        }
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Authorized and licensed draws never exceed any cap.
    #[test]
    fn draws_never_exceed_caps((orders, g2g) in arb_book()) {
        let s = scenario(g2g);
        let e = &*ENGINE;
        let rs = e.ruleset();
        let d = e.evaluate_book(&s, &orders);
        let last_nveu = rs.nveu_schedule.value.last().unwrap().cumulative_tpp;
        for ((_, ledger), total) in draws(&orders, &d) {
            match ledger {
                LedgerKind::Lpp { .. } => prop_assert!(total <= rs.lpp_room_tpp_per_year.value),
                LedgerKind::CountryAllocation { country } => {
                    prop_assert!(total <= e.allocation_limit(&s, country).unwrap())
                }
                LedgerKind::Nveu { .. } => prop_assert!(total <= last_nveu),
                // No licences in these books; the licence tests check licence arithmetic.
                LedgerKind::Uveu { .. } | LedgerKind::Licence { .. } => {}
            }
        }
        for (o, dec) in orders.iter().zip(&d) {
            if let Some(dr) = dec.draw {
                if let Some(limit) = dr.limit {
                    prop_assert!(dr.used_before + dr.amount <= limit, "{:?}", o);
                }
                if dr.ledger == (LedgerKind::Nveu { country: o.destination }) {
                    prop_assert!(dr.limit == Some(rs.nveu_limit_on(o.date)));
                }
            }
            // Presumptions of denial and non-controlled orders draw nothing.
            if dec.authority == Authority::None && !dec.counts_against_allocation() {
                prop_assert!(dec.draw.is_none());
            }
        }
    }

    /// Re-evaluating the same book gives the same decisions.
    #[test]
    fn evaluation_is_deterministic((orders, g2g) in arb_book()) {
        let s = scenario(g2g);
        prop_assert_eq!(ENGINE.evaluate_book(&s, &orders), ENGINE.evaluate_book(&s, &orders));
    }

    /// Splitting orders into pieces never lets a consignee take more than its LPP room in a year.
    #[test]
    fn splitting_never_gains_lpp_room((orders, g2g) in arb_book(), pieces in 2u64..6) {
        let s = scenario(g2g);
        let split: Vec<Order> = orders
            .iter()
            .flat_map(|o| {
                let n = if matches!(o.item, Item::ModelWeights { .. }) { 1 } else { pieces.min(o.quantity) };
                let base = o.quantity / n;
                (0..n).map(move |k| Order {
                    id: format!("{}-{k}", o.id),
                    quantity: if k == n - 1 { o.quantity - base * (n - 1) } else { base },
                    ..o.clone()
                })
            })
            .collect();
        let d = ENGINE.evaluate_book(&s, &split);
        let mut lpp: HashMap<(String, i16), u64> = HashMap::new();
        for (o, dec) in split.iter().zip(&d) {
            if let Some(LedgerKind::Lpp { year }) = dec.draw.map(|dr| dr.ledger) {
                *lpp.entry((o.consignee.clone(), year)).or_default() += dec.tpp;
            }
        }
        for total in lpp.values() {
            prop_assert!(*total <= ENGINE.ruleset().lpp_room_tpp_per_year.value);
        }
    }
}
