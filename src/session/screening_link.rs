//! How sessions get screening results: a [`Screener`] matches names against the lists, and the
//! session's screening decisions turn matches into cleared or confirmed hits. The engine then
//! receives one [`Screening`] per order.

use super::audit::party_key;
use super::model::{Resolution, ScreeningRecord};
use crate::rules::{CountryCode, Hit, HitState, Order, PartyRole, Screening};
use std::collections::HashMap;
use std::sync::Arc;

/// Matches names against restricted-party lists. Implementations cache by name: a book screens
/// the same few consignees many times.
pub trait Screener: Send + Sync + std::fmt::Debug {
    /// The vintage of the lists, e.g. "2026-07-31".
    fn vintage(&self) -> &str;
    /// Matches of `name` at or above `threshold`, best first. `country` (the party's
    /// headquarters) can support a match, never filter one out. Roles and states are filled in by
    /// the caller; returned hits are `Open`.
    fn matches(&self, name: &str, country: Option<CountryCode>, threshold: f64) -> Arc<Vec<Hit>>;
    /// How many listed entries have an address in `country`, when the screener knows.
    fn listed_in(&self, _country: CountryCode) -> Option<&ListedHere> {
        None
    }
}

/// The listed entries with an address in one country: context for a destination (an address is
/// not a headquarters, and nobody is screened by country).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedHere {
    pub total: usize,
    /// (list's short name, its full name, entries), in the lists' order.
    pub by_list: Vec<(String, String, usize)>,
}

/// An order's screening: both parties' matches, with what people decided about each.
pub fn screen_order(screener: &dyn Screener, order: &Order, record: &ScreeningRecord) -> Screening {
    let mut hits = Vec::new();
    for (role, name) in order.party_names() {
        let country = match role {
            PartyRole::Consignee => Some(order.consignee_hq),
            PartyRole::Parent => order.parent_hq,
        };
        for m in screener.matches(name, country, record.threshold).iter() {
            let mut h = m.clone();
            h.role = role;
            h.party = name.to_string();
            h.state = state_of(&h, record);
            hits.push(h);
        }
    }
    Screening {
        list_vintage: screener.vintage().to_string(),
        hits,
    }
}

/// The decision recorded for this party against this entry, if any.
fn state_of(h: &Hit, record: &ScreeningRecord) -> HitState {
    let key = party_key(&h.party);
    let entry = entry_key(h);
    record
        .decisions
        .iter()
        .rev()
        .find(|d| party_key(&d.party) == key && d.list == h.list.short && d.entry == entry)
        .map_or(HitState::Open, |d| match d.resolution {
            Resolution::Cleared => HitState::Cleared {
                by: d.by.clone(),
                reason: d.reason.clone(),
            },
            Resolution::Confirmed => HitState::Confirmed {
                by: d.by.clone(),
                reason: d.reason.clone(),
            },
        })
}

/// How a decision names a list entry: its entity number when it has one, else its name.
pub fn entry_key(h: &Hit) -> String {
    h.entity_number
        .clone()
        .unwrap_or_else(|| h.entry_name.clone())
}

/// What an order's screening depends on besides the lists and the record: its parties' names
/// and headquarters (a headquarters can support a match).
type PartiesKey<'a> = (&'a str, CountryCode, Option<&'a str>, Option<CountryCode>);

fn parties_key(o: &Order) -> PartiesKey<'_> {
    (
        o.consignee.as_str(),
        o.consignee_hq,
        o.parent.as_deref(),
        o.parent_hq,
    )
}

/// Screens every order; orders with the same parties share one result.
pub fn screen_book(
    screener: &dyn Screener,
    orders: &[Order],
    record: &ScreeningRecord,
) -> Vec<Arc<Screening>> {
    let mut seen: HashMap<PartiesKey, Arc<Screening>, foldhash::fast::RandomState> =
        HashMap::default();
    orders
        .iter()
        .map(|o| {
            seen.entry(parties_key(o))
                .or_insert_with(|| Arc::new(screen_order(screener, o, record)))
                .clone()
        })
        .collect()
}

/// Screens the orders at `indices` into their slots of `out` (aligned with `orders`); orders
/// with the same parties share one result, as in [`screen_book`].
pub fn screen_orders(
    screener: &dyn Screener,
    orders: &[Order],
    indices: &[usize],
    record: &ScreeningRecord,
    out: &mut [Arc<Screening>],
) {
    let mut seen: HashMap<PartiesKey, Arc<Screening>, foldhash::fast::RandomState> =
        HashMap::default();
    for &i in indices {
        let o = &orders[i];
        out[i] = seen
            .entry(parties_key(o))
            .or_insert_with(|| Arc::new(screen_order(screener, o, record)))
            .clone();
    }
}

/// The parties of an order whose name matched nothing: for "screened, clear" lines.
pub fn roles(order: &Order) -> Vec<PartyRole> {
    order.party_names().map(|(r, _)| r).collect()
}
