//! The period report a compliance officer hands an auditor: for the orders dated in a date range
//! (e.g. a quarter), totals by verdict and by authority, allocation drawn and left per country,
//! LPP use per consignee and year, holds and overrides with their reasons and who decided,
//! licences, voided orders, each order's timeline, and what the figures rest on (ruleset, list
//! vintage, history status).
//!
//! [`PeriodReport::compute`] is pure (no clock, no egui, no files): it reads the workspace's
//! session and the decisions the engine derived. `csv` and `document` turn it into a
//! spreadsheet-friendly CSV and a printable PDF; `export` renders the tier map and allocation
//! plot and writes the files.

mod csv;
mod document;
mod export;

pub use csv::to_csv;
pub use document::{Images, to_document};
pub use export::{ExportSummary, Format, export, generated_now, images_for};

use crate::rules::{
    Authority, Decision, HitState, LedgerKind, Order, OverrideVerdict, Tier, Verdict,
};
use crate::session::event_text;
use crate::session::licence_book::{self, LicenceUse};
use crate::session::timeline::{self, EntryKind};
use crate::session::{Resolution, Workspace};
use jiff::civil::Date;

/// Orders, units and TPP of one verdict or authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub orders: usize,
    pub units: u64,
    pub tpp: u64,
}

impl Totals {
    fn add(&mut self, o: &Order, d: &Decision) {
        self.orders += 1;
        self.units = self.units.saturating_add(o.quantity);
        self.tpp = self.tpp.saturating_add(d.tpp);
    }
}

/// A destination's allocation as of the period's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryRow {
    pub code: crate::rules::CountryCode,
    pub name: String,
    pub tier: Option<Tier>,
    /// Orders to it dated in the period.
    pub orders: usize,
    /// `None` outside Tier 2.
    pub allocation: Option<u64>,
    /// Drawn by orders dated in the period.
    pub drawn_in_period: u64,
    /// Drawn by every order dated up to the period's end (the allocation runs 2025–2027).
    pub drawn_to_end: u64,
}

impl CountryRow {
    pub fn left(&self) -> Option<u64> {
        self.allocation.map(|a| a.saturating_sub(self.drawn_to_end))
    }
}

/// One consignee's LPP room in one calendar year, as of the period's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LppRow {
    pub consignee: String,
    pub year: i16,
    /// Orders under LPP dated in the period.
    pub orders: usize,
    pub used_in_period: u64,
    /// Used by orders of that year dated up to the period's end.
    pub used_to_end: u64,
    pub room: u64,
}

impl LppRow {
    pub fn left(&self) -> u64 {
        self.room.saturating_sub(self.used_to_end)
    }
}

/// One restricted-party match of an order in the period.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldRow {
    pub order_id: String,
    pub party: String,
    /// "EL", "SDN", …
    pub list: String,
    pub entry: String,
    pub score: f64,
    pub why: String,
    /// "open", "cleared" or "confirmed".
    pub state: &'static str,
    pub by: String,
    /// RFC 3339, when a person decided.
    pub at: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideRow {
    pub order_id: String,
    pub verdict: OverrideVerdict,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    /// (by, at) once approved.
    pub approved: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceRow {
    /// Licence number once approved, else the application number.
    pub reference: String,
    pub application: String,
    pub order_id: String,
    pub applied: Date,
    /// "approved as D… on …", "application … denied on …", …
    pub record: String,
    pub conditions: String,
    pub usage: LicenceUse,
    /// Ids of the orders that shipped under it up to the period's end.
    pub shipments: Vec<String>,
    /// Ids of orders naming it that it did not authorize.
    pub not_authorized: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidedRow {
    pub order_id: String,
    pub date: Date,
    pub by: String,
    pub at: String,
    pub reason: String,
}

/// An order of the period with its decision and, when people acted on it, its timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    /// Index into the order book.
    pub index: usize,
    pub verdict: Verdict,
    pub authority: Authority,
    pub tpp: u64,
    /// What it draws, in words ("under D1182045: 0 of 21,000 units left").
    pub draws: String,
    /// The timeline when more than its creation happened to it; empty otherwise.
    pub timeline: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeriodReport {
    pub from: Date,
    pub to: Date,
    pub session_title: String,
    /// The session's file name, when it has one.
    pub session_file: Option<String>,
    /// Indexed by [`Verdict::index`].
    pub by_verdict: [Totals; Verdict::COUNT],
    /// Indexed by [`Authority::index`].
    pub by_authority: [Totals; Authority::COUNT],
    pub countries: Vec<CountryRow>,
    pub lpp: Vec<LppRow>,
    pub holds: Vec<HoldRow>,
    pub overrides: Vec<OverrideRow>,
    pub licences: Vec<LicenceRow>,
    pub voided: Vec<VoidedRow>,
    pub orders: Vec<OrderRow>,
    /// The screening list vintage, or `None` when the orders were not screened.
    pub list_vintage: Option<String>,
    pub ruleset_name: String,
    pub ruleset_version: String,
    pub ruleset_sha256: String,
    pub rule_citation: String,
    pub history_status: String,
    pub history_verified: bool,
    pub events: usize,
    /// Events recorded during the period.
    pub events_in_period: usize,
    pub h100_tpp: u64,
}

/// The calendar quarter containing `d`: (first day, last day).
pub fn quarter_of(d: Date) -> (Date, Date) {
    let first_month = (d.month() - 1) / 3 * 3 + 1;
    let from = Date::new(d.year(), first_month, 1).expect("valid month");
    let to = from
        .checked_add(jiff::Span::new().months(3))
        .and_then(|n| n.checked_sub(jiff::Span::new().days(1)))
        .expect("within jiff's range");
    (from, to)
}

/// "Q3 2025" when the range is exactly a calendar quarter, else "2025-07-01 to 2025-08-15".
pub fn period_label(from: Date, to: Date) -> String {
    let (qf, qt) = quarter_of(from);
    if qf == from && qt == to {
        format!("Q{} {}", (from.month() - 1) / 3 + 1, from.year())
    } else {
        format!("{from} to {to}")
    }
}

impl PeriodReport {
    /// The report of the orders dated `from` to `to` (inclusive). Figures "to the end" count
    /// every order dated up to `to`, since caps are cumulative.
    pub fn compute(ws: &Workspace, from: Date, to: Date) -> Result<Self, String> {
        if to < from {
            return Err(format!("the period ends ({to}) before it starts ({from})"));
        }
        let engine = &ws.engine;
        let rs = engine.ruleset();
        let (orders, decisions) = (ws.orders(), ws.decisions());
        let in_period = |o: &Order| o.date >= from && o.date <= to;
        let mut by_date = crate::rules::Engine::evaluation_order(orders);
        by_date.retain(|&i| in_period(&orders[i]));
        let mut by_verdict = [Totals::default(); Verdict::COUNT];
        let mut by_authority = [Totals::default(); Authority::COUNT];
        for &i in &by_date {
            let (o, d) = (&orders[i], &decisions[i]);
            by_verdict[d.verdict.index()].add(o, d);
            by_authority[d.authority.index()].add(o, d);
        }
        let events_in_period = ws
            .session
            .history
            .iter()
            .filter(|e| {
                event_text::day(&e.at)
                    .parse::<Date>()
                    .is_ok_and(|d| d >= from && d <= to)
            })
            .count();
        Ok(Self {
            from,
            to,
            session_title: ws.session.title.clone(),
            session_file: ws
                .path
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned()),
            by_verdict,
            by_authority,
            countries: countries(ws, from, to),
            lpp: lpp(ws, from, to),
            holds: holds(ws, &by_date),
            overrides: overrides(ws, from, to),
            licences: licences(ws, from, to),
            voided: voided(ws, from, to),
            orders: order_rows(ws, &by_date),
            list_vintage: ws.screener().map(|s| s.vintage().to_string()),
            ruleset_name: rs.name.clone(),
            ruleset_version: rs.version.clone(),
            ruleset_sha256: engine.loaded().sha256.clone(),
            rule_citation: format!("{} ({})", rs.rule_citation, rs.rule_date),
            history_status: ws.history_status().describe(),
            history_verified: ws.history_status().is_verified(),
            events: ws.session.history.len(),
            events_in_period,
            h100_tpp: rs.h100_tpp.value,
        })
    }

    /// Orders dated in the period.
    pub fn order_count(&self) -> usize {
        self.orders.len()
    }

    /// The Tier 2 country whose allocation the period's orders drew most (for the plot).
    pub fn most_drawn_country(&self) -> Option<crate::rules::CountryCode> {
        self.countries
            .iter()
            .filter(|c| c.allocation.is_some() && c.drawn_to_end > 0)
            .max_by_key(|c| (c.drawn_in_period, c.drawn_to_end))
            .map(|c| c.code)
    }

    /// "Q3 2025" or "2025-07-01 to 2025-08-15".
    pub fn label(&self) -> String {
        period_label(self.from, self.to)
    }
}

/// Destinations with an allocation (Tier 2) and orders in the period or allocation drawn up to
/// its end.
fn countries(ws: &Workspace, from: Date, to: Date) -> Vec<CountryRow> {
    let engine = &ws.engine;
    let scenario = &ws.session.scenario;
    let mut rows: Vec<CountryRow> = Vec::new();
    for (o, d) in ws.orders().iter().zip(ws.decisions()) {
        if o.date > to || engine.allocation_limit(scenario, o.destination).is_none() {
            continue;
        }
        let in_period = o.date >= from;
        if !in_period && d.allocation_draw == 0 {
            continue;
        }
        let i = match rows.iter().position(|r| r.code == o.destination) {
            Some(i) => i,
            None => {
                rows.push(CountryRow {
                    code: o.destination,
                    name: engine.countries().name(o.destination).to_string(),
                    tier: engine.countries().tier(o.destination),
                    orders: 0,
                    allocation: engine.allocation_limit(scenario, o.destination),
                    drawn_in_period: 0,
                    drawn_to_end: 0,
                });
                rows.len() - 1
            }
        };
        let r = &mut rows[i];
        r.drawn_to_end = r.drawn_to_end.saturating_add(d.allocation_draw);
        if in_period {
            r.orders += 1;
            r.drawn_in_period = r.drawn_in_period.saturating_add(d.allocation_draw);
        }
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

/// LPP room per consignee and year, for consignees with LPP orders in the period.
fn lpp(ws: &Workspace, from: Date, to: Date) -> Vec<LppRow> {
    let room = ws.engine.ruleset().lpp_room_tpp_per_year.value;
    let mut rows: Vec<LppRow> = Vec::new();
    let lpp_draw = |d: &Decision| match d.draw {
        Some(dr) => match dr.ledger {
            LedgerKind::Lpp { year } => Some((year, dr.amount)),
            _ => None,
        },
        None => None,
    };
    // First the rows the period touches, then what earlier orders of those years used.
    for (o, d) in ws.orders().iter().zip(ws.decisions()) {
        if let Some((year, amount)) = lpp_draw(d).filter(|_| o.date >= from && o.date <= to) {
            let r = match rows
                .iter_mut()
                .find(|r| r.consignee == o.consignee && r.year == year)
            {
                Some(r) => r,
                None => {
                    rows.push(LppRow {
                        consignee: o.consignee.clone(),
                        year,
                        orders: 0,
                        used_in_period: 0,
                        used_to_end: 0,
                        room,
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
            r.orders += 1;
            r.used_in_period = r.used_in_period.saturating_add(amount);
        }
    }
    for (o, d) in ws.orders().iter().zip(ws.decisions()) {
        if let Some((year, amount)) = lpp_draw(d).filter(|_| o.date <= to)
            && let Some(r) = rows
                .iter_mut()
                .find(|r| r.consignee == o.consignee && r.year == year)
        {
            r.used_to_end = r.used_to_end.saturating_add(amount);
        }
    }
    rows.sort_by(|a, b| (&a.consignee, a.year).cmp(&(&b.consignee, b.year)));
    rows
}

/// Every restricted-party match of the period's orders, with what a person decided.
fn holds(ws: &Workspace, in_period: &[usize]) -> Vec<HoldRow> {
    let mut rows = Vec::new();
    for &i in in_period {
        let Some(s) = ws.screening(i) else { continue };
        let order_id = &ws.orders()[i].id;
        for h in &s.hits {
            let (state, by, reason) = match &h.state {
                HitState::Open => ("open", String::new(), String::new()),
                HitState::Cleared { by, reason } => ("cleared", by.clone(), reason.clone()),
                HitState::Confirmed { by, reason } => ("confirmed", by.clone(), reason.clone()),
            };
            let resolution = match state {
                "cleared" => Some(Resolution::Cleared),
                "confirmed" => Some(Resolution::Confirmed),
                _ => None,
            };
            // When the decision was made, from the session's record of it.
            let at = ws
                .session
                .screening
                .decisions
                .iter()
                .rev()
                .find(|d| {
                    Some(d.resolution) == resolution
                        && d.entry_name == h.entry_name
                        && crate::session::audit::party_key(&d.party)
                            == crate::session::audit::party_key(&h.party)
                })
                .map(|d| d.at.clone())
                .unwrap_or_default();
            rows.push(HoldRow {
                order_id: order_id.clone(),
                party: h.party.clone(),
                list: h.list.short.clone(),
                entry: h.entry_name.clone(),
                score: h.score,
                why: h.why.clone(),
                state,
                by,
                at,
                reason,
            });
        }
    }
    rows
}

fn overrides(ws: &Workspace, from: Date, to: Date) -> Vec<OverrideRow> {
    let dated_in = |id: &str| {
        ws.orders()
            .iter()
            .find(|o| o.id == id)
            .is_some_and(|o| o.date >= from && o.date <= to)
    };
    ws.session
        .overrides
        .iter()
        .filter(|o| dated_in(&o.order_id))
        .map(|o| OverrideRow {
            order_id: o.order_id.clone(),
            verdict: o.verdict,
            reason: o.reason.clone(),
            requested_by: o.requested_by.clone(),
            requested_at: o.requested_at.clone(),
            approved: o.approved.as_ref().map(|a| (a.by.clone(), a.at.clone())),
        })
        .collect()
}

/// Licences applied for by, or drawn by, orders of the period; standing as of its end.
fn licences(ws: &Workspace, from: Date, to: Date) -> Vec<LicenceRow> {
    let orders = ws.orders();
    let uses = licence_book::licence_uses_through(&ws.session.licences, orders, ws.decisions(), to);
    let in_period = |i: usize| orders[i].date >= from && orders[i].date <= to;
    let ids = |v: &[usize]| v.iter().map(|&i| orders[i].id.clone()).collect();
    ws.session
        .licences
        .iter()
        .zip(uses)
        .filter(|(_, u)| {
            u.applying_order.is_some_and(in_period)
                || u.shipments.iter().any(|&i| in_period(i))
                || u.not_authorized.iter().any(|&i| in_period(i))
        })
        .map(|(l, u)| LicenceRow {
            reference: l.reference().to_string(),
            application: l.application.clone(),
            order_id: l.order_id.clone(),
            applied: l.applied,
            record: event_text::licence_state(l),
            conditions: match &l.outcome {
                crate::rules::LicenceOutcome::Approved { conditions, .. } => conditions.clone(),
                _ => String::new(),
            },
            shipments: ids(&u.shipments),
            not_authorized: ids(&u.not_authorized),
            usage: u,
        })
        .collect()
}

fn voided(ws: &Workspace, from: Date, to: Date) -> Vec<VoidedRow> {
    ws.session
        .voided
        .iter()
        .filter(|v| v.order.date >= from && v.order.date <= to)
        .map(|v| VoidedRow {
            order_id: v.order.id.clone(),
            date: v.order.date,
            by: v.by.clone(),
            at: v.at.clone(),
            reason: v.reason.clone(),
        })
        .collect()
}

fn order_rows(ws: &Workspace, in_period: &[usize]) -> Vec<OrderRow> {
    in_period
        .iter()
        .map(|&i| {
            let (o, d) = (&ws.orders()[i], &ws.decisions()[i]);
            let ctx = crate::rules::FindingContext {
                screening: ws.screening(i),
                licences: &ws.session.licences,
                overrides: &ws.session.overrides,
                ..crate::rules::FindingContext::new(&ws.engine, o)
            };
            let t = timeline::order_timeline(&ws.session.history, &o.id);
            // Only orders something happened to after their creation carry a timeline.
            let eventful = t.iter().any(|e| {
                e.kind != EntryKind::Own
                    || !e.text.starts_with("created by")
                        && !e.text.starts_with("imported from")
                        && !e.text.starts_with("in the session imported")
            });
            OrderRow {
                index: i,
                verdict: d.verdict,
                authority: d.authority,
                tpp: d.tpp,
                draws: crate::rules::finding::draw_summary(d, &ctx),
                timeline: if eventful {
                    timeline::sentence(&t)
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
