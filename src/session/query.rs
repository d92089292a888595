//! Filtering, sorting and totals of the order book (pure; the table view caches the result).

use crate::rules::{CountryCode, Decision, Engine, Order, ScreeningStatus, Tier, Verdict};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortColumn {
    Id,
    #[default]
    Date,
    Destination,
    Consignee,
    Item,
    Quantity,
    Tpp,
    Screening,
    Verdict,
    Authority,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct BookFilter {
    pub verdict: Option<Verdict>,
    /// Orders with this screening status (e.g. possible matches: the holds).
    pub screening: Option<ScreeningStatus>,
    pub tier: Option<Tier>,
    pub country: Option<CountryCode>,
    /// Case-insensitive text matched against id, consignee, item and destination name.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub orders: usize,
    pub units: u64,
    pub tpp: u64,
    pub h100e: f64,
}

/// Indices of the orders passing `filter`, sorted by `sort` (ties keep book order).
pub fn query(
    engine: &Engine,
    orders: &[Order],
    decisions: &[Decision],
    filter: &BookFilter,
    sort: SortColumn,
    ascending: bool,
) -> Vec<usize> {
    let text = filter.text.trim().to_lowercase();
    let mut rows: Vec<usize> = (0..orders.len().min(decisions.len()))
        .filter(|&i| {
            let (o, d) = (&orders[i], &decisions[i]);
            filter.verdict.is_none_or(|v| v == d.verdict)
                && filter.screening.is_none_or(|s| d.screening == Some(s))
                && filter.tier.is_none_or(|t| t == d.tier)
                && filter.country.is_none_or(|c| c == o.destination)
                && (text.is_empty()
                    || o.id.to_lowercase().contains(&text)
                    || o.consignee.to_lowercase().contains(&text)
                    || o.item.id().to_lowercase().contains(&text)
                    || engine
                        .countries()
                        .name(o.destination)
                        .to_lowercase()
                        .contains(&text))
        })
        .collect();
    let cmp = |a: &usize, b: &usize| -> Ordering {
        let (oa, ob) = (&orders[*a], &orders[*b]);
        let (da, db) = (&decisions[*a], &decisions[*b]);
        match sort {
            SortColumn::Id => oa.id.cmp(&ob.id),
            SortColumn::Date => oa.date.cmp(&ob.date),
            SortColumn::Destination => engine
                .countries()
                .name(oa.destination)
                .cmp(engine.countries().name(ob.destination)),
            SortColumn::Consignee => oa.consignee.cmp(&ob.consignee),
            SortColumn::Item => oa.item.id().cmp(ob.item.id()),
            SortColumn::Quantity => oa.quantity.cmp(&ob.quantity),
            SortColumn::Tpp => da.tpp.cmp(&db.tpp),
            SortColumn::Screening => da.screening.cmp(&db.screening),
            SortColumn::Verdict => da.verdict.cmp(&db.verdict),
            SortColumn::Authority => da.authority.cmp(&db.authority),
        }
    };
    rows.sort_by(|a, b| {
        let o = cmp(a, b);
        if ascending { o } else { o.reverse() }
    });
    rows
}

pub fn totals(engine: &Engine, orders: &[Order], decisions: &[Decision], rows: &[usize]) -> Totals {
    let mut t = Totals {
        orders: rows.len(),
        ..Totals::default()
    };
    for &i in rows {
        t.units = t.units.saturating_add(orders[i].quantity);
        t.tpp = t.tpp.saturating_add(decisions[i].tpp);
    }
    t.h100e = engine.ruleset().h100e(t.tpp);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::demo::demo_workspace;
    use std::sync::Arc;

    #[test]
    fn filters_sort_and_totals() {
        let ws = demo_workspace(Arc::new(Engine::embedded()));
        let e = &ws.engine;
        let all = query(
            e,
            ws.orders(),
            ws.decisions(),
            &BookFilter::default(),
            SortColumn::Date,
            true,
        );
        assert_eq!(all.len(), ws.orders().len());
        assert!(
            all.windows(2)
                .all(|w| ws.orders()[w[0]].date <= ws.orders()[w[1]].date)
        );
        let denied = BookFilter {
            verdict: Some(Verdict::PresumptionOfDenial),
            ..Default::default()
        };
        let rows = query(
            e,
            ws.orders(),
            ws.decisions(),
            &denied,
            SortColumn::Tpp,
            false,
        );
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|&i| ws.decisions()[i].verdict == Verdict::PresumptionOfDenial)
        );
        let by_text = BookFilter {
            text: "malaysia".into(),
            ..Default::default()
        };
        let rows = query(
            e,
            ws.orders(),
            ws.decisions(),
            &by_text,
            SortColumn::Id,
            true,
        );
        assert!(
            rows.iter()
                .all(|&i| ws.orders()[i].destination == crate::cc!("MY"))
        );
        let t = totals(e, ws.orders(), ws.decisions(), &rows);
        assert_eq!(t.orders, rows.len());
        assert_eq!(
            t.tpp,
            rows.iter().map(|&i| ws.decisions()[i].tpp).sum::<u64>()
        );
    }
}
