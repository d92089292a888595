//! Deterministic synthetic order books for benchmarks and property-style tests.

use crate::rules::{CountryCode, Engine, Item, Order, VeuStatus};
use jiff::civil::Date;

/// A small linear congruential generator: reproducible without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `n` valid orders spread over 2025–2027, across all tiers, items and VEU statuses.
pub fn synthetic_orders(engine: &Engine, n: usize, seed: u64) -> Vec<Order> {
    let mut rng = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
    let countries: Vec<CountryCode> = engine.countries().all().iter().map(|c| c.alpha2).collect();
    let chips: Vec<String> = engine
        .chips()
        .chips
        .iter()
        .filter(|c| c.orderable)
        .map(|c| c.id.clone())
        .collect();
    let start = Date::new(2025, 1, 13).expect("valid date");
    let consignees: Vec<String> = (0..500).map(|i| format!("Consignee {i:03}")).collect();
    (0..n)
        .map(|i| {
            let destination = countries[rng.below(countries.len())];
            let hq = if rng.below(4) == 0 {
                countries[rng.below(countries.len())]
            } else {
                destination
            };
            let item = if rng.below(50) == 0 {
                Item::ModelWeights {
                    training_ops: [5e25, 2e26][rng.below(2)],
                    open_weights: rng.below(3) == 0,
                }
            } else {
                Item::Chip(chips[rng.below(chips.len())].clone())
            };
            let quantity = if matches!(item, Item::ModelWeights { .. }) {
                1
            } else {
                [8, 64, 256, 1000, 4000][rng.below(5)]
            };
            let veu = [
                VeuStatus::None,
                VeuStatus::None,
                VeuStatus::None,
                VeuStatus::Uveu,
                VeuStatus::Nveu,
            ][rng.below(5)];
            Order {
                id: format!("SYN-{i:06}"),
                date: start
                    .checked_add(jiff::Span::new().days(rng.below(1080) as i64))
                    .expect("inside 2025–2027"),
                destination,
                consignee: consignees[rng.below(consignees.len())].clone(),
                consignee_hq: hq,
                parent: None,
                parent_hq: None,
                veu,
                item,
                quantity,
                licence: None,
            }
        })
        .collect()
}
