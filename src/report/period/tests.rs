use super::*;
use crate::rules::Engine;
use crate::screening::{IndexScreener, adapter::embedded_index};
use crate::session::file::load_session;
use std::sync::Arc;

fn quarter() -> Workspace {
    let engine = Arc::new(Engine::embedded());
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/saved_sessions/compliance-quarter.ron"
    );
    let s = load_session(std::path::Path::new(path), &engine).unwrap();
    let mut ws = Workspace::new(engine, s);
    ws.set_screener(Arc::new(IndexScreener::new(embedded_index())));
    ws
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn quarters_and_labels() {
    assert_eq!(
        quarter_of(d("2025-08-14")),
        (d("2025-07-01"), d("2025-09-30"))
    );
    assert_eq!(
        quarter_of(d("2024-02-29")),
        (d("2024-01-01"), d("2024-03-31"))
    );
    assert_eq!(
        quarter_of(d("2025-12-31")),
        (d("2025-10-01"), d("2025-12-31"))
    );
    assert_eq!(period_label(d("2025-07-01"), d("2025-09-30")), "Q3 2025");
    assert_eq!(
        period_label(d("2025-07-01"), d("2025-08-15")),
        "2025-07-01 to 2025-08-15"
    );
}

#[test]
fn the_quarter_totals_are_the_books() {
    let ws = quarter();
    let r = PeriodReport::compute(&ws, d("2025-07-01"), d("2025-09-30")).unwrap();
    let (orders, decisions) = (ws.orders(), ws.decisions());
    assert_eq!(r.order_count(), orders.len(), "every order is dated in Q3");
    // Per verdict and per authority: the same counts, units and TPP as the book.
    for v in Verdict::ALL {
        let mut t = Totals::default();
        for (o, dd) in orders
            .iter()
            .zip(decisions)
            .filter(|(_, dd)| dd.verdict == v)
        {
            t.add(o, dd);
        }
        assert_eq!(r.by_verdict[v.index()], t, "{v:?}");
    }
    for a in Authority::ALL {
        let n = decisions.iter().filter(|dd| dd.authority == a).count();
        assert_eq!(r.by_authority[a.index()].orders, n, "{a:?}");
    }
    let sum = |f: fn(&Totals) -> u64| r.by_verdict.iter().map(f).sum::<u64>();
    assert_eq!(
        sum(|t| t.tpp),
        decisions.iter().map(|dd| dd.tpp).sum::<u64>()
    );
    assert_eq!(
        sum(|t| t.units),
        orders.iter().map(|o| o.quantity).sum::<u64>()
    );
    // Per country: what the book summary says is drawn and left.
    for c in &r.countries {
        let u = ws.summary().country(c.code);
        assert_eq!(c.drawn_to_end, u.drawn_tpp, "{}", c.code);
        assert_eq!(c.drawn_in_period, u.drawn_tpp, "{}", c.code);
        assert_eq!(c.left(), u.remaining_tpp(), "{}", c.code);
        assert_eq!(c.orders, u.orders.len(), "{}", c.code);
    }
    let my = r
        .countries
        .iter()
        .find(|c| c.code == crate::cc!("MY"))
        .unwrap();
    assert_eq!(my.left(), Some(1_600_000));
    assert_eq!(r.most_drawn_country(), Some(crate::cc!("AE")));
    // LPP: Bharat's 2025 room as the notes say.
    let bharat = r
        .lpp
        .iter()
        .find(|l| l.consignee == "Bharat Compute Pvt")
        .unwrap();
    assert_eq!(
        (bharat.year, bharat.orders, bharat.left()),
        (2025, 3, 777_200)
    );
    // Records: holds in all three states, the override, five licences, the voided order.
    let states: Vec<&str> = r.holds.iter().map(|h| h.state).collect();
    for s in ["open", "cleared", "confirmed"] {
        assert!(states.contains(&s), "{s}: {states:?}");
    }
    let confirmed = r.holds.iter().find(|h| h.state == "confirmed").unwrap();
    assert_eq!(confirmed.by, "snakamura");
    assert_eq!(confirmed.at, "2025-09-24T14:00:00Z");
    assert!(!confirmed.reason.is_empty());
    assert_eq!(r.overrides.len(), 1);
    assert_eq!(r.overrides[0].approved.as_ref().unwrap().0, "snakamura");
    assert_eq!(r.licences.len(), 5);
    let d1 = r
        .licences
        .iter()
        .find(|l| l.reference == "D1182045")
        .unwrap();
    assert_eq!(d1.shipments, ["Q3-004", "Q3-016"]);
    assert_eq!(d1.not_authorized, ["Q3-029"]);
    assert_eq!(r.voided.len(), 1);
    assert!(r.history_verified);
    assert_eq!(r.list_vintage.as_deref(), Some("2026-07-31"));
    // Timelines only for orders something happened to.
    let with = |id: &str| {
        let row = r
            .orders
            .iter()
            .find(|o| ws.orders()[o.index].id == id)
            .unwrap();
        row.timeline.clone()
    };
    assert!(with("Q3-021").contains("back-dated"));
    assert!(with("Q3-001").is_empty());
}

#[test]
fn a_month_counts_its_own_orders_and_what_came_before() {
    let ws = quarter();
    let r = PeriodReport::compute(&ws, d("2025-08-01"), d("2025-08-31")).unwrap();
    assert!(
        r.orders
            .iter()
            .all(|o| ws.orders()[o.index].date.month() == 8)
    );
    // Malaysia: July's licence approval drew 756M before August; August's orders drew nothing.
    let my = r
        .countries
        .iter()
        .find(|c| c.code == crate::cc!("MY"))
        .unwrap();
    assert_eq!((my.drawn_in_period, my.drawn_to_end), (0, 756_000_000));
    // The licence for Q3-022 (August) is in; Q3-028's (September) is not.
    let refs: Vec<&str> = r.licences.iter().map(|l| l.reference.as_str()).collect();
    assert!(
        refs.contains(&"D1190377") && !refs.contains(&"Z1060214"),
        "{refs:?}"
    );
    assert!(PeriodReport::compute(&ws, d("2025-09-01"), d("2025-08-01")).is_err());
}

#[test]
fn the_csv_is_one_long_table_whose_totals_add_up() {
    let ws = quarter();
    let r = PeriodReport::compute(&ws, d("2025-07-01"), d("2025-09-30")).unwrap();
    let bytes = to_csv(&r, &ws);
    let mut rd = ::csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(
        rd.headers().unwrap(),
        vec!["section", "key", "detail", "field", "value"]
    );
    let rows: Vec<::csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let value = |section: &str, key: &str, field: &str| -> String {
        rows.iter()
            .find(|r| &r[0] == section && &r[1] == key && &r[3] == field)
            .map(|r| r[4].to_string())
            .unwrap_or_else(|| panic!("{section},{key},{field}"))
    };
    let orders: u64 = rows
        .iter()
        .filter(|r| &r[0] == "verdict" && &r[3] == "orders")
        .map(|r| r[4].parse::<u64>().unwrap())
        .sum();
    assert_eq!(orders, ws.orders().len() as u64);
    assert_eq!(value("authority", "LICENSE", "orders"), "4");
    assert_eq!(value("allocation", "MY", "left_tpp"), "1600000");
    assert_eq!(value("licence", "D1190377", "left"), "280000000");
    assert_eq!(value("licence", "Z1049987", "state"), "denied");
    assert_eq!(value("report", "screening", "list_vintage"), "2026-07-31");
    assert_eq!(value("order", "Q3-036", "verdict"), "hold");
    // Text with commas and quotes survives the round trip.
    assert!(value("hold", "Q3-034", "reason").starts_with("Namesake: a Munich analytics firm,"));
}
