//! `diffusion-desk check`: evaluate an orders CSV or a session file, one JSON decision per line.

use crate::rules::{
    BookContext, CountryCode, Decision, DecisionOverride, Engine, Licence, Order, Scenario,
};
use crate::session::csv_io::{self, CsvRow};
use crate::session::file::load_session;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Orders rendered per batch (split across threads, then written in order).
const BATCH: usize = 4096;

/// Exit status: every row evaluated.
pub const EXIT_OK: i32 = 0;
/// Exit status: some rows invalid (still printed).
pub const EXIT_INVALID_ROWS: i32 = 1;
/// Exit status: the input as a whole is unusable.
pub const EXIT_UNUSABLE: i32 = 2;

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'static str,
    severity: &'static str,
    cite: &'a str,
    confidence: &'static str,
    message: String,
}

#[derive(Serialize)]
struct DrawJson {
    ledger: &'static str,
    limit_tpp: Option<u64>,
    remaining_before_tpp: Option<u64>,
    amount_tpp: u64,
    remaining_after_tpp: Option<u64>,
}

#[derive(Serialize)]
struct DecisionJson<'a> {
    id: &'a str,
    tier: Option<u8>,
    verdict: &'static str,
    authority: &'static str,
    eccn: Option<&'static str>,
    tpp: u64,
    h100e: f64,
    counts_against_allocation: bool,
    allocation_remaining_tpp: Option<u64>,
    findings: Vec<FindingJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    draw: Option<DrawJson>,
}

/// One row's outcome, in input order.
enum Outcome {
    Decided(usize),
    Invalid { id: String, message: String },
}

/// Renders a decision as the contract's JSON object.
pub fn decision_json(engine: &Engine, order: &Order, d: &Decision) -> String {
    let mut buf = Vec::with_capacity(1024);
    write_decision_json(&mut buf, engine, order, d, (&[], &[]));
    String::from_utf8(buf).expect("JSON is UTF-8")
}

/// Appends the decision's JSON object (no newline) to `buf`. `record` holds a session's
/// licences and overrides, which findings name.
fn write_decision_json(
    buf: &mut Vec<u8>,
    engine: &Engine,
    order: &Order,
    d: &Decision,
    record: (&[Licence], &[DecisionOverride]),
) {
    let rs = engine.ruleset();
    let ctx = crate::rules::FindingContext {
        licences: record.0,
        overrides: record.1,
        ..crate::rules::FindingContext::new(engine, order)
    };
    let findings = d
        .findings
        .iter()
        .map(|f| {
            let b = f.basis(&ctx);
            FindingJson {
                code: f.code_str(),
                severity: f.severity.as_str(),
                cite: b.cite,
                confidence: b.confidence.label(),
                message: f.message(&ctx),
            }
        })
        .collect();
    let draw = d.draw.map(|dr| DrawJson {
        ledger: dr.ledger.as_str(),
        limit_tpp: dr.limit,
        remaining_before_tpp: dr.remaining_before(),
        amount_tpp: dr.amount,
        remaining_after_tpp: dr.remaining_after(),
    });
    let json = DecisionJson {
        id: &order.id,
        tier: Some(d.tier.number()),
        verdict: d.verdict.as_str(),
        authority: d.authority.as_str(),
        eccn: d.eccn.map(|e| e.as_str()),
        tpp: d.tpp,
        h100e: (rs.h100e(d.tpp) * 1000.0).round() / 1000.0,
        counts_against_allocation: d.counts_against_allocation(),
        allocation_remaining_tpp: d.allocation_remaining_tpp,
        findings,
        message: None,
        draw,
    };
    serde_json::to_writer(buf, &json).expect("decisions serialise");
}

fn write_invalid_json(buf: &mut Vec<u8>, id: &str, message: &str) {
    let json = DecisionJson {
        id,
        tier: None,
        verdict: "invalid",
        authority: "none",
        eccn: None,
        tpp: 0,
        h100e: 0.0,
        counts_against_allocation: false,
        allocation_remaining_tpp: None,
        findings: Vec::new(),
        message: Some(message.to_string()),
        draw: None,
    };
    serde_json::to_writer(buf, &json).expect("decisions serialise");
}

/// Parses `--g2g CC,CC…`: known Tier 2 countries only (a Tier 1 or Tier 3 country has no
/// allocation, so an arrangement for it would silently do nothing).
pub fn parse_g2g(engine: &Engine, list: &str) -> Result<Vec<CountryCode>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match CountryCode::parse(s) {
            Some(c) if engine.countries().get(c).is_some() => {
                crate::session::scenario_edit::check_g2g_country(engine, c)
                    .map(|()| c)
                    .map_err(|e| format!("--g2g: {e}"))
            }
            _ => Err(format!(
                "--g2g: `{s}` is not a known ISO 3166-1 alpha-2 code"
            )),
        })
        .collect()
}

/// Runs the command, writing decisions to `out`; returns the exit status. Errors that make the
/// input unusable go to `err` as one line.
pub fn run(
    engine: &Engine,
    input: &Path,
    g2g: &[CountryCode],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let is_session = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    let mut scenario = Scenario::default();
    // A session's licences and approved overrides decide too (orders shipped under a licence
    // are authorized under LICENSE).
    let mut licences: Vec<Licence> = Vec::new();
    let mut overrides: Vec<DecisionOverride> = Vec::new();
    let mut orders: Vec<Order> = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    if is_session {
        match load_session(input, engine) {
            Ok(s) => {
                scenario = s.scenario;
                licences = s.licences;
                overrides = s.overrides;
                outcomes = (0..s.orders.len()).map(Outcome::Decided).collect();
                orders = s.orders;
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_UNUSABLE;
            }
        }
    } else {
        let file = match std::fs::File::open(input) {
            Ok(f) => f,
            Err(e) => {
                let _ = writeln!(err, "error: {}: cannot read: {e}", input.display());
                return EXIT_UNUSABLE;
            }
        };
        let rows: Vec<CsvRow> =
            match csv_io::read_rows(&input.display().to_string(), std::io::BufReader::new(file)) {
                Ok(r) => r,
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    return EXIT_UNUSABLE;
                }
            };
        for row in &rows {
            match csv_io::validate_row(engine, row) {
                Ok(o) => {
                    outcomes.push(Outcome::Decided(orders.len()));
                    orders.push(o);
                }
                Err(errors) => outcomes.push(Outcome::Invalid {
                    id: row.raw.id.trim().to_string(),
                    message: csv_io::row_message(row, &errors),
                }),
            }
        }
    }
    scenario.g2g.extend(g2g.iter().copied());
    // Evaluation is sequential (each decision sees the ledger left by the ones before it);
    // rendering is pure per decision, so it runs on every core, in chunks kept in input order.
    let ctx = BookContext {
        licences: &licences,
        overrides: &overrides,
        ..BookContext::new(&scenario)
    };
    let decisions = engine.evaluate_book_in(&ctx, &orders);
    let record = (licences.as_slice(), overrides.as_slice());
    let any_invalid = outcomes
        .iter()
        .any(|o| matches!(o, Outcome::Invalid { .. }));
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let render = |part: &[Outcome], buf: &mut Vec<u8>| {
        buf.clear();
        for o in part {
            match o {
                Outcome::Decided(i) => {
                    write_decision_json(buf, engine, &orders[*i], &decisions[*i], record)
                }
                Outcome::Invalid { id, message } => write_invalid_json(buf, id, message),
            }
            buf.push(b'\n');
        }
    };
    // Batches keep the buffers small and reused: the output is ~1.6 KB per order.
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); threads];
    for batch in outcomes.chunks(BATCH) {
        let per_thread = batch.len().div_ceil(threads).max(1);
        std::thread::scope(|s| {
            for (part, buf) in batch.chunks(per_thread).zip(buffers.iter_mut()) {
                s.spawn(move || render(part, buf));
            }
        });
        for buf in buffers.iter().take(batch.len().div_ceil(per_thread)) {
            if out.write_all(buf).is_err() {
                return EXIT_UNUSABLE;
            }
        }
    }
    let _ = out.flush();
    if any_invalid {
        EXIT_INVALID_ROWS
    } else {
        EXIT_OK
    }
}
