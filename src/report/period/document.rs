//! The period report as a printable document (A4 portrait): what it covers and rests on, totals,
//! allocation with the tier map and the allocation plot, LPP, licences, holds, overrides, voided
//! orders, the orders and their timelines.

use super::PeriodReport;
use crate::format;
use crate::report::{Align, Block, Column, Document, Image, PageSize, Table};
use crate::rules::{Authority, Verdict};
use crate::session::Workspace;
use crate::session::event_text::time;

/// The pictures the document embeds, rendered from the session by the app's own views.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Images {
    /// The tier map with the allocation overlay.
    pub map_png: Vec<u8>,
    /// The allocation over time of `plot_country`.
    pub plot_png: Vec<u8>,
    pub plot_country: Option<crate::rules::CountryCode>,
}

fn col(header: &str, width: f32, align: Align) -> Column {
    Column::new(header, width, align)
}

fn table(columns: Vec<Column>, rows: Vec<Vec<String>>, caption: &str) -> Block {
    Block::Table(Table {
        columns,
        rows,
        caption: caption.to_string(),
    })
}

/// The document; `generated_at` is the footer line (the caller reads the clock).
pub fn to_document(
    r: &PeriodReport,
    ws: &Workspace,
    images: &Images,
    generated_at: &str,
) -> Document {
    let mut doc = Document::new(
        format!("Compliance report — {}", r.label()),
        PageSize::A4Portrait,
    );
    doc.subtitle = r.session_title.clone();
    doc.generated_at = generated_at.to_string();
    summary(&mut doc, r);
    totals(&mut doc, r);
    allocation(&mut doc, r, ws, images);
    lpp(&mut doc, r);
    licences(&mut doc, r);
    holds(&mut doc, r);
    overrides(&mut doc, r);
    voided(&mut doc, r);
    orders(&mut doc, r, ws);
    doc
}

fn summary(doc: &mut Document, r: &PeriodReport) {
    let vintage = r.list_vintage.as_deref().map_or_else(
        || "not screened in this run".to_string(),
        |v| format!("U.S. Consolidated Screening List of {v}"),
    );
    let voided = if r.voided.is_empty() {
        String::new()
    } else {
        format!(", {} voided", r.voided.len())
    };
    doc.push(Block::KeyValues(vec![
        (
            "Period".into(),
            format!("{} → {} (orders dated in it)", r.from, r.to),
        ),
        (
            "Session".into(),
            match &r.session_file {
                Some(f) => format!("{} ({f})", r.session_title),
                None => r.session_title.clone(),
            },
        ),
        (
            "Orders".into(),
            format!("{}{voided}", format::count(r.order_count(), "order")),
        ),
        (
            "Ruleset".into(),
            format!(
                "{} v{} (SHA-256 {})",
                r.ruleset_name, r.ruleset_version, r.ruleset_sha256
            ),
        ),
        ("Rule".into(), r.rule_citation.clone()),
        ("Screening".into(), vintage),
        (
            "History".into(),
            format!(
                "{} — {} recorded, {} during the period",
                capitalise(&r.history_status),
                format::count(r.events, "event"),
                r.events_in_period
            ),
        ),
    ]));
    doc.push(Block::Note(
        "Decision support, not legal advice: the decisions are Diffusion Desk's reading of the AI \
         Diffusion rule (90 FR 4544) as published, derived again from the session's orders, \
         licences, screening decisions and overrides when this report was made. Allocation and \
         LPP figures \"to the end\" count every order dated up to the period's last day."
            .into(),
    ));
}

fn totals_row(label: &str, t: super::Totals, h100_tpp: u64) -> Vec<String> {
    vec![
        label.to_string(),
        format::thousands(t.orders as u64),
        format::thousands(t.units),
        format::tpp(t.tpp),
        format::thousands(format::h100e_count(t.tpp, h100_tpp)),
    ]
}

fn totals(doc: &mut Document, r: &PeriodReport) {
    let cols = |first: &str| {
        vec![
            col(first, 0.36, Align::Left),
            col("Orders", 0.14, Align::Right),
            col("Units", 0.17, Align::Right),
            col("TPP", 0.17, Align::Right),
            col("≈ H100e", 0.16, Align::Right),
        ]
    };
    let mut sum = super::Totals::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for v in Verdict::ALL {
        let t = r.by_verdict[v.index()];
        if t.orders > 0 {
            rows.push(totals_row(v.label(), t, r.h100_tpp));
            sum.orders += t.orders;
            sum.units = sum.units.saturating_add(t.units);
            sum.tpp = sum.tpp.saturating_add(t.tpp);
        }
    }
    rows.push(totals_row("All orders", sum, r.h100_tpp));
    doc.push(Block::Heading(1, "Totals".into()));
    doc.push(table(
        cols("Verdict"),
        rows,
        "Orders dated in the period, by verdict.",
    ));
    let rows = Authority::ALL
        .into_iter()
        .filter(|a| r.by_authority[a.index()].orders > 0)
        .map(|a| {
            let label = match a {
                Authority::None => "none (no authorization)",
                other => other.as_str(),
            };
            totals_row(label, r.by_authority[a.index()], r.h100_tpp)
        })
        .collect();
    doc.push(table(
        cols("Authority"),
        rows,
        "By authority: AIA, LPP, ACA are licence exceptions; UVEU and NVEU validated end users; \
         LICENSE an approved individual licence.",
    ));
}

fn allocation(doc: &mut Document, r: &PeriodReport, ws: &Workspace, images: &Images) {
    // The table and the plot fit one page together; the map then heads the next.
    doc.push(Block::PageBreak);
    doc.push(Block::Heading(1, "Allocation by destination".into()));
    let period = ws.engine.ruleset().allocation_period();
    let opt = |v: Option<u64>| v.map_or("—".to_string(), format::tpp);
    let rows = r
        .countries
        .iter()
        .map(|c| {
            vec![
                format!("{} ({})", c.name, c.code),
                c.orders.to_string(),
                opt(c.allocation),
                format::tpp(c.drawn_in_period),
                format::tpp(c.drawn_to_end),
                opt(c.left()),
            ]
        })
        .collect();
    doc.push(table(
        vec![
            col("Destination", 0.33, Align::Left),
            col("Orders", 0.09, Align::Right),
            col(&format!("Allocation {period}"), 0.16, Align::Right),
            col("Drawn in period", 0.14, Align::Right),
            col("Drawn to period end", 0.14, Align::Right),
            col("Left", 0.14, Align::Right),
        ],
        rows,
        "TPP, Tier 2 destinations with orders in the period or allocation drawn before its end \
         (only Tier 2 has an allocation; doubled with a government-to-government arrangement). \
         Licensed orders draw it; an approved licence draws its whole amount once.",
    ));
    if let (Some(c), false) = (images.plot_country, images.plot_png.is_empty()) {
        let name = ws.engine.countries().name(c);
        doc.push(Block::Image(Image {
            png_bytes: images.plot_png.clone(),
            caption: format!(
                "{name}'s allocation over time against the session's cumulative draw \
                 (the destination whose allocation the period's orders drew most)."
            ),
            max_height: Some(320.0),
        }));
    }
    if !images.map_png.is_empty() {
        doc.push(Block::Image(Image {
            png_bytes: images.map_png.clone(),
            caption: "Tier map with the share of each Tier 2 allocation the session's orders draw."
                .into(),
            max_height: Some(300.0),
        }));
    }
}

fn lpp(doc: &mut Document, r: &PeriodReport) {
    doc.push(Block::Heading(1, "LPP use by consignee and year".into()));
    if r.lpp.is_empty() {
        doc.push(Block::Paragraph("No order of the period used LPP.".into()));
        return;
    }
    let rows = r
        .lpp
        .iter()
        .map(|l| {
            vec![
                l.consignee.clone(),
                l.year.to_string(),
                l.orders.to_string(),
                format::tpp(l.used_in_period),
                format::tpp(l.used_to_end),
                format::tpp(l.left()),
            ]
        })
        .collect();
    doc.push(table(
        vec![
            col("Consignee", 0.34, Align::Left),
            col("Year", 0.09, Align::Center),
            col("Orders", 0.10, Align::Right),
            col("Used in period", 0.16, Align::Right),
            col("Used to period end", 0.15, Align::Right),
            col("Room left", 0.16, Align::Right),
        ],
        rows,
        &format!(
            "TPP of the {} TPP a consignee may receive under LPP in a calendar year.",
            r.lpp.first().map_or("—".into(), |l| format::tpp(l.room))
        ),
    ));
}

fn licences(doc: &mut Document, r: &PeriodReport) {
    doc.push(Block::Heading(1, "Licences".into()));
    if r.licences.is_empty() {
        doc.push(Block::Paragraph(
            "No licence concerns an order of the period.".into(),
        ));
        return;
    }
    let rows = r
        .licences
        .iter()
        .map(|l| {
            let u = &l.usage;
            let amounts = match u.limit {
                Some(_) => format!("{} used; {}", u.amount_text(u.used), u.left_text()),
                None => "—".into(),
            };
            let mut shipped = l.shipments.join(", ");
            if !l.not_authorized.is_empty() {
                shipped.push_str(&format!(
                    "{}not under it: {}",
                    if shipped.is_empty() { "" } else { "; " },
                    l.not_authorized.join(", ")
                ));
            }
            let mut record = l.record.clone();
            if !l.conditions.is_empty() {
                record.push_str(&format!(". Conditions: {}", l.conditions));
            }
            vec![
                l.reference.clone(),
                l.order_id.clone(),
                u.standing.label().to_string(),
                record,
                amounts,
                shipped,
            ]
        })
        .collect();
    doc.push(table(
        vec![
            col("Licence", 0.12, Align::Left),
            col("For", 0.09, Align::Left),
            col("State", 0.12, Align::Left),
            col("Record", 0.33, Align::Left),
            col("Amounts", 0.17, Align::Left),
            col("Shipped", 0.17, Align::Left),
        ],
        rows,
        "State as of the period's last day. \"For\" is the order the application was made for; \
         shipments count orders dated up to the period's end.",
    ));
}

fn holds(doc: &mut Document, r: &PeriodReport) {
    doc.push(Block::Heading(1, "Holds".into()));
    if r.holds.is_empty() {
        let text = if r.list_vintage.is_some() {
            "No party of the period's orders matched a restricted-party list."
        } else {
            "The orders were not screened in this run."
        };
        doc.push(Block::Paragraph(text.into()));
    } else {
        let rows = r
            .holds
            .iter()
            .map(|h| {
                let decided = if h.by.is_empty() {
                    "waiting for a person".to_string()
                } else {
                    format!("{} by {}, {}: {}", h.state, h.by, time(&h.at), h.reason)
                };
                vec![
                    h.order_id.clone(),
                    format!("{} — {} “{}”", h.party, h.list, h.entry),
                    format!("{:.2}", h.score),
                    h.state.to_string(),
                    decided,
                ]
            })
            .collect();
        doc.push(table(
            vec![
                col("Order", 0.09, Align::Left),
                col("Party and list entry", 0.30, Align::Left),
                col("Score", 0.08, Align::Right),
                col("State", 0.11, Align::Left),
                col("Decision and reason", 0.42, Align::Left),
            ],
            rows,
            "Every match of the period's parties at or above the threshold; a person clears or \
             confirms each with a reason.",
        ));
    }
}

fn overrides(doc: &mut Document, r: &PeriodReport) {
    doc.push(Block::Heading(1, "Overrides".into()));
    if r.overrides.is_empty() {
        doc.push(Block::Paragraph(
            "No override concerns an order of the period.".into(),
        ));
    } else {
        let rows = r
            .overrides
            .iter()
            .map(|o| {
                let approved = match &o.approved {
                    Some((by, at)) => format!("approved by {by}, {}", time(at)),
                    None => "waiting for a reviewer (no effect yet)".into(),
                };
                vec![
                    o.order_id.clone(),
                    o.verdict.label().to_string(),
                    format!(
                        "{}, {}: {}",
                        o.requested_by,
                        time(&o.requested_at),
                        o.reason
                    ),
                    approved,
                ]
            })
            .collect();
        doc.push(table(
            vec![
                col("Order", 0.09, Align::Left),
                col("To", 0.16, Align::Left),
                col("Requested", 0.50, Align::Left),
                col("Approval", 0.25, Align::Left),
            ],
            rows,
            "An override makes a decision stricter; it takes effect once a second person approves it.",
        ));
    }
}

fn voided(doc: &mut Document, r: &PeriodReport) {
    if !r.voided.is_empty() {
        doc.push(Block::Heading(1, "Voided orders".into()));
        let rows = r
            .voided
            .iter()
            .map(|v| {
                vec![
                    v.order_id.clone(),
                    v.date.to_string(),
                    format!("{}, {}", v.by, time(&v.at)),
                    v.reason.clone(),
                ]
            })
            .collect();
        doc.push(table(
            vec![
                col("Order", 0.10, Align::Left),
                col("Dated", 0.14, Align::Left),
                col("Voided by", 0.26, Align::Left),
                col("Reason", 0.50, Align::Left),
            ],
            rows,
            "Voided orders leave the book and are kept in the session with who, when and why.",
        ));
    }
}

fn orders(doc: &mut Document, r: &PeriodReport, ws: &Workspace) {
    doc.push(Block::Heading(1, "Orders of the period".into()));
    let countries = ws.engine.countries();
    let rows = r
        .orders
        .iter()
        .map(|row| {
            let o = &ws.orders()[row.index];
            let outcome = if row.authority == Authority::None {
                row.verdict.label().to_string()
            } else {
                format!("{} ({})", row.verdict.label(), row.authority.as_str())
            };
            vec![
                o.id.clone(),
                o.date.to_string(),
                format!("{} · {}", countries.name(o.destination), o.consignee),
                format!("{} × {}", o.item.id(), format::thousands(o.quantity)),
                format::tpp(row.tpp),
                outcome,
            ]
        })
        .collect();
    doc.push(table(
        vec![
            col("Order", 0.085, Align::Left),
            col("Date", 0.13, Align::Left),
            col("Destination · consignee", 0.275, Align::Left),
            col("Item × qty", 0.19, Align::Left),
            col("TPP", 0.10, Align::Right),
            col("Decision", 0.22, Align::Left),
        ],
        rows,
        "In date order, as the engine evaluates them (each sees the caps left by those before it).",
    ));
    let eventful: Vec<&super::OrderRow> =
        r.orders.iter().filter(|o| !o.timeline.is_empty()).collect();
    if eventful.is_empty() {
        return;
    }
    doc.push(Block::Heading(2, "Timelines".into()));
    doc.push(Block::Note(
        "From the audit trail: every order whose decision a person or another change acted on, \
         oldest event first."
            .into(),
    ));
    for row in eventful {
        let o = &ws.orders()[row.index];
        doc.push(Block::Paragraph(format!("{} — {}", o.id, row.timeline)));
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
