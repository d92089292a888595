//! A Tier 2 country's allocation over time against the session's cumulative draw-down, and when
//! the allocation would run out at the current pace.

use crate::format;
use crate::rules::ruleset::NveuStep;
use crate::rules::{CountryCode, Decision, Engine, Order, Scenario, Tier};
use jiff::civil::Date;

const EPOCH: Date = Date::constant(1970, 1, 1);

/// Days since 1970-01-01: the x coordinate of dates on plots.
pub fn day_number(d: Date) -> i64 {
    EPOCH.duration_until(d).as_secs() / 86_400
}

/// The date `days` after 1970-01-01, when representable.
pub fn date_from_day_number(days: i64) -> Option<Date> {
    EPOCH
        .checked_add(jiff::SignedDuration::from_hours(days.checked_mul(24)?))
        .ok()
}

/// One order that drew the allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawPoint {
    pub date: Date,
    pub order_id: String,
    pub tpp: u64,
    /// Drawn so far, this order included.
    pub cumulative_tpp: u64,
}

/// When the allocation runs out, as far as the session's orders tell.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOut {
    /// No order draws the allocation.
    NoDraws,
    /// The orders have used it all.
    UsedUp { on: Date },
    /// All drawing orders share one date: there is no pace to extrapolate.
    NoPace { date: Date },
    /// Linear extrapolation from the first to the last drawing order reaches the limit on `on`.
    Projected { on: Date, tpp_per_day: f64 },
    /// … but not within the modelled period.
    NotBefore { end: Date, tpp_per_day: f64 },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimelineError {
    #[error("{name} is in {tier}: only Tier 2 destinations have a country allocation")]
    NoAllocation { name: String, tier: Tier },
    #[error("{0} is not in the country table")]
    UnknownCountry(CountryCode),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AllocationTimeline {
    pub country: CountryCode,
    pub country_name: String,
    pub limit_tpp: u64,
    /// The limit is doubled by a government-to-government arrangement.
    pub g2g: bool,
    /// The modelled period: the rule's effective date to the end of 2027.
    pub start: Date,
    pub end: Date,
    pub draws: Vec<DrawPoint>,
    pub drawn_tpp: u64,
    pub nveu_steps: Vec<NveuStep>,
    pub run_out: RunOut,
}

impl AllocationTimeline {
    /// `decisions[i]` is the decision of `orders[i]`.
    pub fn new(
        engine: &Engine,
        scenario: &Scenario,
        orders: &[Order],
        decisions: &[Decision],
        country: CountryCode,
    ) -> Result<Self, TimelineError> {
        let countries = engine.countries();
        let name = countries
            .get(country)
            .ok_or(TimelineError::UnknownCountry(country))?
            .name
            .clone();
        let Some(limit_tpp) = engine.allocation_limit(scenario, country) else {
            return Err(TimelineError::NoAllocation {
                name,
                tier: countries.tier(country).unwrap_or(Tier::Two),
            });
        };
        let rs = engine.ruleset();
        // Evaluation order (date, then book order) is the order draws happened in.
        let mut idx: Vec<usize> = orders
            .iter()
            .zip(decisions)
            .enumerate()
            .filter(|(_, (o, d))| o.destination == country && d.counts_against_allocation())
            .map(|(i, _)| i)
            .collect();
        idx.sort_by_key(|&i| orders[i].date);
        let mut cumulative = 0u64;
        let draws: Vec<DrawPoint> = idx
            .into_iter()
            .map(|i| {
                let tpp = decisions[i].allocation_draw;
                cumulative = cumulative.saturating_add(tpp);
                DrawPoint {
                    date: orders[i].date,
                    order_id: orders[i].id.clone(),
                    tpp,
                    cumulative_tpp: cumulative,
                }
            })
            .collect();
        let end = rs.dates.modelled_until.value;
        let run_out = run_out(&draws, limit_tpp, end);
        Ok(Self {
            country,
            country_name: name,
            limit_tpp,
            g2g: scenario.g2g.contains(&country),
            start: rs.dates.effective.value,
            end,
            drawn_tpp: cumulative,
            draws,
            nveu_steps: rs.nveu_schedule.value.clone(),
            run_out,
        })
    }

    pub fn remaining_tpp(&self) -> u64 {
        self.limit_tpp.saturating_sub(self.drawn_tpp)
    }

    /// One sentence for the plot: when the allocation runs out, or why that cannot be said.
    pub fn run_out_text(&self) -> String {
        let name = &self.country_name;
        let left = format!(
            "{} of {} TPP left",
            format::tpp(self.remaining_tpp()),
            format::tpp(self.limit_tpp)
        );
        match &self.run_out {
            RunOut::NoDraws => format!(
                "Runs out: no order in this session draws {name}'s allocation yet ({left})."
            ),
            RunOut::UsedUp { on } => {
                format!("Runs out: {name}'s allocation was used up on {on}.")
            }
            RunOut::NoPace { date } => format!(
                "Runs out: cannot say — every drawing order is dated {date}, so there is no pace to extrapolate ({left})."
            ),
            RunOut::Projected { on, tpp_per_day } => format!(
                "Runs out: {on} at the current pace ({} TPP a day from the first to the last drawing order; {left}).",
                pace(*tpp_per_day)
            ),
            RunOut::NotBefore { end, tpp_per_day } => format!(
                "Runs out: not at current pace before {end} ({} TPP a day; {left}).",
                pace(*tpp_per_day)
            ),
        }
    }
}

fn pace(tpp_per_day: f64) -> String {
    if tpp_per_day >= 1e6 {
        format::tpp(tpp_per_day.round() as u64)
    } else {
        format::thousands(tpp_per_day.round() as u64)
    }
}

fn run_out(draws: &[DrawPoint], limit: u64, end: Date) -> RunOut {
    let (Some(first), Some(last)) = (draws.first(), draws.last()) else {
        return RunOut::NoDraws;
    };
    if last.cumulative_tpp >= limit {
        let on = draws
            .iter()
            .find(|d| d.cumulative_tpp >= limit)
            .map_or(last.date, |d| d.date);
        return RunOut::UsedUp { on };
    }
    let days = day_number(last.date) - day_number(first.date);
    if days <= 0 {
        return RunOut::NoPace { date: last.date };
    }
    // The line through the first and last drawing orders' cumulative totals.
    let tpp_per_day = (last.cumulative_tpp - first.cumulative_tpp) as f64 / days as f64;
    let remaining = (limit - last.cumulative_tpp) as f64;
    let days_left = (remaining / tpp_per_day).ceil();
    let days_to_end = (day_number(end) - day_number(last.date)) as f64;
    if !days_left.is_finite() || days_left > days_to_end {
        return RunOut::NotBefore { end, tpp_per_day };
    }
    match date_from_day_number(day_number(last.date) + days_left as i64) {
        Some(on) => RunOut::Projected { on, tpp_per_day },
        None => RunOut::NotBefore { end, tpp_per_day },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Item, VeuStatus};
    use crate::{cc, rules::CountryCode};

    fn order(id: &str, date: &str, dest: CountryCode, item: &str, qty: u64) -> Order {
        Order {
            id: id.into(),
            date: date.parse().unwrap(),
            destination: dest,
            consignee: format!("Buyer {id}"),
            consignee_hq: dest,
            parent: None,
            parent_hq: None,
            veu: VeuStatus::None,
            item: Item::Chip(item.into()),
            quantity: qty,
            licence: None,
        }
    }

    fn timeline(orders: &[Order], scenario: &Scenario, c: CountryCode) -> AllocationTimeline {
        let engine = Engine::embedded();
        let decisions = engine.evaluate_book(scenario, orders);
        AllocationTimeline::new(&engine, scenario, orders, &decisions, c).unwrap()
    }

    #[test]
    fn day_numbers_round_trip() {
        let d: Date = "2025-08-11".parse().unwrap();
        assert_eq!(date_from_day_number(day_number(d)), Some(d));
        assert_eq!(day_number(EPOCH), 0);
    }

    #[test]
    fn draws_accumulate_in_date_order_and_project_a_run_out() {
        // 20,000 H100 = 316.64M TPP each; listed out of date order on purpose.
        let orders = [
            order("B", "2025-03-01", cc!("MY"), "h100-sxm", 20_000),
            order("A", "2025-01-30", cc!("MY"), "h100-sxm", 20_000),
            order("X", "2025-02-01", cc!("IN"), "h100-sxm", 20_000),
        ];
        let t = timeline(&orders, &Scenario::default(), cc!("MY"));
        assert_eq!(t.limit_tpp, 790_000_000);
        assert_eq!(
            t.draws
                .iter()
                .map(|d| d.order_id.as_str())
                .collect::<Vec<_>>(),
            ["A", "B"]
        );
        assert_eq!(t.drawn_tpp, 2 * 20_000 * 15_832);
        // 316.64M over 30 days; 156.72M left → 15 more days → 2025-03-16.
        match t.run_out {
            RunOut::Projected { on, .. } => assert_eq!(on.to_string(), "2025-03-16"),
            ref other => panic!("{other:?}"),
        }
        assert!(t.run_out_text().starts_with("Runs out: 2025-03-16"));
    }

    #[test]
    fn slow_pace_does_not_run_out_before_the_end_of_2027() {
        let orders = [
            // Above the LPP room, so they are licensed and draw the allocation.
            order("A", "2025-01-30", cc!("MY"), "h100-sxm", 2_000),
            order("B", "2025-12-30", cc!("MY"), "h100-sxm", 2_000),
        ];
        let t = timeline(&orders, &Scenario::default(), cc!("MY"));
        assert!(matches!(t.run_out, RunOut::NotBefore { .. }));
        assert!(
            t.run_out_text()
                .contains("not at current pace before 2027-12-31"),
            "{}",
            t.run_out_text()
        );
    }

    #[test]
    fn g2g_doubles_the_limit_and_single_dates_have_no_pace() {
        let mut scenario = Scenario::default();
        scenario.g2g.insert(cc!("MY"));
        let orders = [order("A", "2025-01-30", cc!("MY"), "h100-sxm", 20_000)];
        let t = timeline(&orders, &scenario, cc!("MY"));
        assert!(t.g2g);
        assert_eq!(t.limit_tpp, 1_580_000_000);
        assert!(matches!(t.run_out, RunOut::NoPace { .. }));
        let none = timeline(&[], &scenario, cc!("MY"));
        assert_eq!(none.run_out, RunOut::NoDraws);
    }

    #[test]
    fn used_up_allocation_names_the_date() {
        let engine = Engine::embedded();
        let scenario = Scenario::default();
        let orders = [
            order("A", "2025-02-01", cc!("MY"), "h100-sxm", 40_000),
            order("B", "2025-03-01", cc!("MY"), "h100-sxm", 2_000),
        ];
        let mut decisions = engine.evaluate_book(&scenario, &orders);
        // No chip's TPP divides 790M exactly, so set the drawn amount directly.
        decisions[1].allocation_draw = 790_000_000 - decisions[0].allocation_draw;
        let t =
            AllocationTimeline::new(&engine, &scenario, &orders, &decisions, cc!("MY")).unwrap();
        assert_eq!(t.remaining_tpp(), 0);
        assert_eq!(
            t.run_out,
            RunOut::UsedUp {
                on: "2025-03-01".parse().unwrap()
            }
        );
        assert!(t.run_out_text().contains("used up on 2025-03-01"));
    }

    #[test]
    fn tier_1_has_no_allocation() {
        let engine = Engine::embedded();
        let err = AllocationTimeline::new(&engine, &Scenario::default(), &[], &[], cc!("DE"))
            .unwrap_err();
        assert!(err.to_string().contains("Tier 1"), "{err}");
    }
}
