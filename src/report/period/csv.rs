//! The period report as one CSV in long format, for spreadsheets: every figure is a row
//! `section,key,detail,field,value`, so a pivot table or filter on `section` and `field` gives any
//! table of the PDF, and numbers are plain integers (TPP, units) a spreadsheet sums.
//!
//! | section | key | detail | fields |
//! | --- | --- | --- | --- |
//! | `report` | `period` / `session` / `ruleset` / `screening` / `history` | | `from`, `to`, `label`, `title`, `file`, `name`, `version`, `sha256`, `rule`, `list_vintage`, `status`, `events`, `events_in_period` |
//! | `verdict` | verdict (`authorized`, …) | | `orders`, `units`, `tpp` |
//! | `authority` | authority (`LPP`, `LICENSE`, …) | | `orders`, `units`, `tpp` |
//! | `allocation` | ISO code | country name | `tier`, `orders`, `allocation_tpp`, `drawn_in_period_tpp`, `drawn_to_end_tpp`, `left_tpp` |
//! | `lpp` | consignee | year | `orders`, `used_in_period_tpp`, `used_to_end_tpp`, `room_tpp`, `left_tpp` |
//! | `hold` | order id | `party × list entry` | `list`, `score`, `state`, `by`, `at`, `reason`, `why` |
//! | `override` | order id | requested at | `verdict`, `reason`, `requested_by`, `approved_by`, `approved_at` |
//! | `licence` | licence number or application | order id | `application`, `applied`, `state`, `record`, `unit`, `approved`, `used`, `left`, `allocation_tpp`, `shipments`, `not_authorized`, `conditions` |
//! | `voided` | order id | order date | `by`, `at`, `reason` |
//! | `order` | order id | | `date`, `destination`, `consignee`, `item`, `quantity`, `tpp`, `verdict`, `authority`, `draws`, `timeline` |
//!
//! Amounts "to the end" count every order dated up to the period's last day (caps are
//! cumulative); "in period" only the orders dated in it. Empty values are left empty.

use super::PeriodReport;
use crate::rules::{Authority, Verdict};
use crate::session::Workspace;

/// Rows in order; written by [`to_csv`].
struct Rows(Vec<[String; 5]>);

impl Rows {
    fn push(&mut self, section: &str, key: &str, detail: &str, field: &str, value: impl ToString) {
        self.0.push([
            section.to_string(),
            key.to_string(),
            detail.to_string(),
            field.to_string(),
            value.to_string(),
        ]);
    }

    fn opt(&mut self, section: &str, key: &str, detail: &str, field: &str, v: Option<u64>) {
        self.push(
            section,
            key,
            detail,
            field,
            v.map_or(String::new(), |v| v.to_string()),
        );
    }
}

/// The report as CSV bytes (UTF-8, header row, RFC 4180 quoting).
pub fn to_csv(r: &PeriodReport, ws: &Workspace) -> Vec<u8> {
    let mut rows = Rows(Vec::new());
    header(&mut rows, r);
    totals(&mut rows, r);
    for c in &r.countries {
        let (k, n) = (c.code.to_string(), c.name.as_str());
        let tier = c.tier.map_or(String::new(), |t| t.number().to_string());
        rows.push("allocation", &k, n, "tier", tier);
        rows.push("allocation", &k, n, "orders", c.orders);
        rows.opt("allocation", &k, n, "allocation_tpp", c.allocation);
        rows.push(
            "allocation",
            &k,
            n,
            "drawn_in_period_tpp",
            c.drawn_in_period,
        );
        rows.push("allocation", &k, n, "drawn_to_end_tpp", c.drawn_to_end);
        rows.opt("allocation", &k, n, "left_tpp", c.left());
    }
    for l in &r.lpp {
        let y = l.year.to_string();
        rows.push("lpp", &l.consignee, &y, "orders", l.orders);
        rows.push(
            "lpp",
            &l.consignee,
            &y,
            "used_in_period_tpp",
            l.used_in_period,
        );
        rows.push("lpp", &l.consignee, &y, "used_to_end_tpp", l.used_to_end);
        rows.push("lpp", &l.consignee, &y, "room_tpp", l.room);
        rows.push("lpp", &l.consignee, &y, "left_tpp", l.left());
    }
    records(&mut rows, r);
    orders(&mut rows, r, ws);
    write(rows)
}

fn header(rows: &mut Rows, r: &PeriodReport) {
    rows.push("report", "period", "", "from", r.from);
    rows.push("report", "period", "", "to", r.to);
    rows.push("report", "period", "", "label", r.label());
    rows.push("report", "session", "", "title", &r.session_title);
    rows.push(
        "report",
        "session",
        "",
        "file",
        r.session_file.as_deref().unwrap_or(""),
    );
    rows.push("report", "ruleset", "", "name", &r.ruleset_name);
    rows.push("report", "ruleset", "", "version", &r.ruleset_version);
    rows.push("report", "ruleset", "", "sha256", &r.ruleset_sha256);
    rows.push("report", "ruleset", "", "rule", &r.rule_citation);
    let vintage = r.list_vintage.as_deref().unwrap_or("not screened");
    rows.push("report", "screening", "", "list_vintage", vintage);
    rows.push("report", "history", "", "status", &r.history_status);
    rows.push("report", "history", "", "events", r.events);
    rows.push(
        "report",
        "history",
        "",
        "events_in_period",
        r.events_in_period,
    );
}

fn totals(rows: &mut Rows, r: &PeriodReport) {
    for v in Verdict::ALL {
        let t = r.by_verdict[v.index()];
        rows.push("verdict", v.as_str(), "", "orders", t.orders);
        rows.push("verdict", v.as_str(), "", "units", t.units);
        rows.push("verdict", v.as_str(), "", "tpp", t.tpp);
    }
    for a in Authority::ALL {
        let t = r.by_authority[a.index()];
        rows.push("authority", a.as_str(), "", "orders", t.orders);
        rows.push("authority", a.as_str(), "", "units", t.units);
        rows.push("authority", a.as_str(), "", "tpp", t.tpp);
    }
}

/// Holds, overrides, licences and voided orders.
fn records(rows: &mut Rows, r: &PeriodReport) {
    for h in &r.holds {
        let d = format!("{} × {}", h.party, h.entry);
        rows.push("hold", &h.order_id, &d, "list", &h.list);
        rows.push("hold", &h.order_id, &d, "score", format!("{:.3}", h.score));
        rows.push("hold", &h.order_id, &d, "state", h.state);
        rows.push("hold", &h.order_id, &d, "by", &h.by);
        rows.push("hold", &h.order_id, &d, "at", &h.at);
        rows.push("hold", &h.order_id, &d, "reason", &h.reason);
        rows.push("hold", &h.order_id, &d, "why", &h.why);
    }
    for o in &r.overrides {
        let (k, d) = (o.order_id.as_str(), o.requested_at.as_str());
        rows.push("override", k, d, "verdict", o.verdict.label());
        rows.push("override", k, d, "reason", &o.reason);
        rows.push("override", k, d, "requested_by", &o.requested_by);
        let (by, at) = o.approved.clone().unwrap_or_default();
        rows.push("override", k, d, "approved_by", by);
        rows.push("override", k, d, "approved_at", at);
    }
    for l in &r.licences {
        let (k, d, u) = (l.reference.as_str(), l.order_id.as_str(), &l.usage);
        rows.push("licence", k, d, "application", &l.application);
        rows.push("licence", k, d, "applied", l.applied);
        rows.push("licence", k, d, "state", u.standing.label());
        rows.push("licence", k, d, "record", &l.record);
        let unit = match u.limit {
            Some(_) if u.units => "units",
            Some(_) => "tpp",
            None => "",
        };
        rows.push("licence", k, d, "unit", unit);
        rows.opt("licence", k, d, "approved", u.limit);
        let used = u.limit.map(|_| u.used);
        rows.opt("licence", k, d, "used", used);
        rows.opt("licence", k, d, "left", u.left());
        rows.push("licence", k, d, "allocation_tpp", u.allocation_tpp);
        rows.push("licence", k, d, "shipments", l.shipments.join(" "));
        rows.push(
            "licence",
            k,
            d,
            "not_authorized",
            l.not_authorized.join(" "),
        );
        rows.push("licence", k, d, "conditions", &l.conditions);
    }
    for v in &r.voided {
        let d = v.date.to_string();
        rows.push("voided", &v.order_id, &d, "by", &v.by);
        rows.push("voided", &v.order_id, &d, "at", &v.at);
        rows.push("voided", &v.order_id, &d, "reason", &v.reason);
    }
}

fn orders(rows: &mut Rows, r: &PeriodReport, ws: &Workspace) {
    for row in &r.orders {
        let o = &ws.orders()[row.index];
        let k = o.id.as_str();
        rows.push("order", k, "", "date", o.date);
        rows.push("order", k, "", "destination", o.destination);
        rows.push("order", k, "", "consignee", &o.consignee);
        rows.push("order", k, "", "item", o.item.id());
        rows.push("order", k, "", "quantity", o.quantity);
        rows.push("order", k, "", "tpp", row.tpp);
        rows.push("order", k, "", "verdict", row.verdict.as_str());
        rows.push("order", k, "", "authority", row.authority.as_str());
        rows.push("order", k, "", "draws", &row.draws);
        rows.push("order", k, "", "timeline", &row.timeline);
    }
}

fn write(rows: Rows) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = ["section", "key", "detail", "field", "value"];
    // Writing to memory cannot fail.
    w.write_record(header).expect("in memory");
    for r in &rows.0 {
        w.write_record(r).expect("in memory");
    }
    w.into_inner().expect("in memory")
}
