//! Runs `diffusion-desk check` on CSV files and checks the JSON lines and exit codes.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn check(input: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
        .arg("check")
        .arg(input)
        .args(extra)
        .output()
        .expect("runs")
}

fn csv_file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

const HEADER: &str = "id,date,destination,consignee,consignee_hq,parent_hq,veu,item,quantity,training_ops,open_weights\n";

#[test]
fn good_rows_exit_zero_with_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "good.csv",
        &format!(
            "{HEADER}A1,2025-02-01,IN,Bharat Compute,IN,,none,h100-sxm,1000,,\n\
             A2,2025-03-01,IN,Bharat Compute,IN,,,h100-sxm,1000,,\n\
             A3,2025-03-01,DE,Berlin AI,DE,,,b200,10,,\n\
             A4,2025-03-01,SA,Riyadh Lab,SA,,,model-weights,1,3e26,false\n"
        ),
    );
    let out = check(&p, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = lines(&out);
    assert_eq!(v.len(), 4);
    for key in [
        "id",
        "tier",
        "verdict",
        "authority",
        "eccn",
        "tpp",
        "h100e",
        "counts_against_allocation",
        "allocation_remaining_tpp",
        "findings",
    ] {
        assert!(v[0].get(key).is_some(), "missing {key}");
    }
    assert_eq!(v[0]["verdict"], "authorized");
    assert_eq!(v[0]["authority"], "LPP");
    assert_eq!(v[0]["eccn"], "3A090.a");
    assert_eq!(v[0]["tpp"], 15_832_000);
    assert_eq!(v[0]["h100e"], 1000.0);
    assert_eq!(v[1]["verdict"], "license_required");
    assert_eq!(v[1]["counts_against_allocation"], true);
    assert_eq!(
        v[1]["allocation_remaining_tpp"],
        790_000_000u64 - 15_832_000
    );
    assert_eq!(v[2]["authority"], "AIA");
    assert_eq!(v[2]["allocation_remaining_tpp"], Value::Null);
    assert_eq!(v[3]["eccn"], "4E091");
    assert_eq!(v[3]["verdict"], "presumption_of_denial");
    let f = &v[0]["findings"][0];
    for key in ["code", "severity", "cite", "message"] {
        assert!(f.get(key).is_some(), "finding lacks {key}");
    }
}

#[test]
fn invalid_rows_are_reported_and_others_still_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "mixed.csv",
        &format!(
            "{HEADER}B1,2025-02-01,IN,Bharat,IN,,,h100-sxm,abc,,\n\
             B2,2025-02-01,IN,Bharat,IN,,,h100-sxm,0,,\n\
             B3,2025-02-01,IN,Bharat,IN,,,h100-sxm,-5,,\n\
             B4,2025-02-01,QQ,Bharat,IN,,,h100-sxm,5,,\n\
             B5,2025-02-01,IN,Bharat,IN,,,quantum-chip,5,,\n\
             B6,2025-02-30,IN,Bharat,IN,,,h100-sxm,5,,\n\
             B7,2025-02-01,SA,Lab,SA,,,model-weights,1,,\n\
             B8,2025-02-01,IN,Bharat,IN,,,h100-sxm,99999999999999999999999,,\n\
             B9,2025-02-01,IN,Bharat,IN,,,h100-sxm,10,,\n"
        ),
    );
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    let v = lines(&out);
    assert_eq!(v.len(), 9, "every row is printed, in input order");
    let expect_field = [
        "quantity",
        "quantity",
        "quantity",
        "destination",
        "item",
        "date",
        "training_ops",
        "quantity",
    ];
    for (i, field) in expect_field.iter().enumerate() {
        assert_eq!(v[i]["verdict"], "invalid", "row {}", i + 1);
        assert_eq!(v[i]["tier"], Value::Null);
        let msg = v[i]["message"].as_str().unwrap();
        assert!(msg.starts_with(&format!("row {}", i + 1)), "{msg}");
        assert!(
            msg.contains(field),
            "row {} message should name {field}: {msg}",
            i + 1
        );
    }
    assert_eq!(v[8]["id"], "B9");
    assert_eq!(v[8]["verdict"], "authorized");
}

#[test]
fn missing_required_column_makes_every_row_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "nocol.csv",
        "id,date,destination,consignee,consignee_hq,quantity\nC1,2025-02-01,IN,X,IN,5\n",
    );
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    let v = lines(&out);
    assert!(v[0]["message"].as_str().unwrap().contains("item"));
}

#[test]
fn columns_in_any_order_and_unknown_columns_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "order.csv",
        "quantity,notes,item,consignee_hq,consignee,destination,date,id\n5,hello,h100-sxm,IN,X,IN,2025-02-01,D1\n",
    );
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out)[0]["authority"], "LPP");
}

#[test]
fn g2g_flag_doubles_the_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "g2g.csv",
        &format!("{HEADER}E1,2025-02-01,AE,G42,AE,,,h100-sxm,60000,,\n"),
    );
    assert_eq!(
        lines(&check(&p, &[]))[0]["verdict"],
        "presumption_of_denial"
    );
    let v = lines(&check(&p, &["--g2g", "AE,IN"]));
    assert_eq!(v[0]["verdict"], "license_required");
    let bad = check(&p, &["--g2g", "ZZ"]);
    assert_eq!(bad.status.code(), Some(2));
    // A country without an allocation cannot have it doubled: refused, not silently ignored.
    let tier1 = check(&p, &["--g2g", "AE,FR"]);
    assert_eq!(tier1.status.code(), Some(2));
    assert!(tier1.stdout.is_empty());
    let err = String::from_utf8(tier1.stderr).unwrap();
    assert!(err.contains("--g2g: France (FR) is Tier 1"), "{err}");
}

#[test]
fn g2g_refuses_tier1_and_tier3_countries() {
    use diffusion_desk::cli::check::parse_g2g;
    let e = diffusion_desk::rules::Engine::embedded();
    assert_eq!(parse_g2g(&e, " ae, IN ").unwrap().len(), 2);
    for (list, expect) in [
        ("IN,FR", "France (FR) is Tier 1: only Tier 2 countries"),
        ("US", "(US) is Tier 1"),
        ("CN", "China (CN) is Tier 3"),
        ("AE,HK", "Hong Kong (HK) is Tier 3"),
        ("MO", "(MO) is Tier 3"),
        ("QQ", "`QQ` is not a known"),
    ] {
        let err = parse_g2g(&e, list).unwrap_err();
        assert!(
            err.starts_with("--g2g: ") && err.contains(expect),
            "{list}: {err}"
        );
    }
}

#[test]
fn unusable_inputs_exit_two_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    let out = check(&missing, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("nope.csv"));
    assert!(out.stdout.is_empty());

    let empty = csv_file(&dir, "empty.csv", "");
    assert_eq!(check(&empty, &[]).status.code(), Some(2));
    let no_header = csv_file(
        &dir,
        "noheader.csv",
        "A1,2025-02-01,IN,X,IN,,,h100-sxm,5,,\n",
    );
    let out = check(&no_header, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("no header"));
}

#[test]
fn bad_ruleset_is_reported_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let rs = csv_file(&dir, "rules.ron", "Ruleset(\n  name: 5,\n)");
    let input = csv_file(
        &dir,
        "x.csv",
        &format!("{HEADER}A1,2025-02-01,IN,X,IN,,,h100-sxm,5,,\n"),
    );
    let out = check(&input, &["--ruleset", rs.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("rules.ron:2:"), "{err}");
}

#[test]
fn demo_session_checks_clean() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/presenter-demo.ron");
    let out = check(&p, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!lines(&out).is_empty());
}

#[test]
fn no_screening_leaves_the_screening_object_out_and_holds_nothing() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/compliance-quarter.ron");
    let screened = lines(&check(&p, &[]));
    let out = check(&p, &["--no-screening"]);
    assert_eq!(out.status.code(), Some(0));
    let bare = lines(&out);
    assert_eq!(bare.len(), screened.len());
    assert!(screened.iter().all(|d| d.get("screening").is_some()));
    assert!(bare.iter().all(|d| d.get("screening").is_none()));
    let held = |ds: &[Value]| ds.iter().filter(|d| d["verdict"] == "hold").count();
    assert!(held(&screened) > 0, "the quarter has an open hold");
    assert_eq!(held(&bare), 0);

    let both = check(&p, &["--no-screening", "--screening-list", "x.json"]);
    assert_eq!(both.status.code(), Some(2), "the two options contradict");
}

// ---- The output contract, byte for byte -------------------------------------------------------

/// `check` as it was before it streamed (the `csv` crate, `Engine::evaluate_book`, serde_json
/// structs), kept as the oracle the streaming implementation must match byte for byte.
mod reference {
    use diffusion_desk::rules::{
        BookContext, Decision, Engine, Field, FindingContext, HitState, Order, RawOrder, Scenario,
        Screening,
    };
    use diffusion_desk::screening::IndexScreener;
    use diffusion_desk::screening::adapter::embedded_index;
    use diffusion_desk::session::csv_io::{CsvRow, row_message, validate_row};
    use diffusion_desk::session::model::ScreeningRecord;
    use diffusion_desk::session::screening_link::{Screener, screen_book};
    use serde::Serialize;
    use std::path::Path;
    use std::sync::Arc;

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
    struct MatchJson<'a> {
        party: &'a str,
        role: &'static str,
        list: &'a str,
        entry_name: &'a str,
        entity_number: Option<&'a str>,
        score: f64,
        why: &'a str,
        state: &'static str,
    }

    #[derive(Serialize)]
    struct ScreeningJson<'a> {
        status: &'static str,
        list_vintage: &'a str,
        matches: Vec<MatchJson<'a>>,
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
        #[serde(skip_serializing_if = "Option::is_none")]
        screening: Option<ScreeningJson<'a>>,
        findings: Vec<FindingJson<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        draw: Option<DrawJson>,
    }

    fn screening_json<'a>(d: &Decision, s: Option<&'a Screening>) -> Option<ScreeningJson<'a>> {
        let status = d.screening?;
        Some(ScreeningJson {
            status: status.as_str(),
            list_vintage: s.map_or("", |s| s.list_vintage.as_str()),
            matches: s
                .map(|s| &s.hits[..])
                .unwrap_or(&[])
                .iter()
                .map(|h| MatchJson {
                    party: &h.party,
                    role: h.role.as_str(),
                    list: &h.list.short,
                    entry_name: &h.entry_name,
                    entity_number: h.entity_number.as_deref(),
                    score: (h.score * 1000.0).round() / 1000.0,
                    why: &h.why,
                    state: match h.state {
                        HitState::Open => "open",
                        HitState::Cleared { .. } => "cleared",
                        HitState::Confirmed { .. } => "confirmed",
                    },
                })
                .collect(),
        })
    }

    fn decided<'a>(ctx: &FindingContext<'a>, d: &Decision) -> DecisionJson<'a> {
        let engine = ctx.engine;
        let o = ctx.order;
        let findings = d
            .findings
            .iter()
            .map(|f| {
                let b = f.basis(ctx);
                FindingJson {
                    code: f.code_str(),
                    severity: f.severity.as_str(),
                    cite: b.cite,
                    confidence: b.confidence.label(),
                    message: f.message(ctx),
                }
            })
            .collect();
        DecisionJson {
            id: &o.id,
            tier: Some(d.tier.number()),
            verdict: d.verdict.as_str(),
            authority: d.authority.as_str(),
            eccn: d.eccn.map(|e| e.as_str()),
            tpp: d.tpp,
            h100e: (engine.ruleset().h100e(d.tpp) * 1000.0).round() / 1000.0,
            counts_against_allocation: d.counts_against_allocation(),
            allocation_remaining_tpp: d.allocation_remaining_tpp,
            screening: screening_json(d, ctx.screening),
            findings,
            message: None,
            draw: d.draw.map(|dr| DrawJson {
                ledger: dr.ledger.as_str(),
                limit_tpp: dr.limit,
                remaining_before_tpp: dr.remaining_before(),
                amount_tpp: dr.amount,
                remaining_after_tpp: dr.remaining_after(),
            }),
        }
    }

    fn invalid<'a>(id: &'a str, message: String) -> DecisionJson<'a> {
        DecisionJson {
            id,
            tier: None,
            verdict: "invalid",
            authority: "none",
            eccn: None,
            tpp: 0,
            h100e: 0.0,
            counts_against_allocation: false,
            allocation_remaining_tpp: None,
            screening: None,
            findings: Vec::new(),
            message: Some(message),
            draw: None,
        }
    }

    const COLUMNS: [Field; 13] = Field::ALL;
    const REQUIRED: [Field; 7] = [
        Field::Id,
        Field::Date,
        Field::Destination,
        Field::Consignee,
        Field::ConsigneeHq,
        Field::Item,
        Field::Quantity,
    ];

    /// The rows as the `csv` crate read them before.
    fn csv_rows(text: &[u8]) -> Vec<CsvRow> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text);
        let headers = rdr.headers().unwrap().clone();
        let col = |f: Field| {
            headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(f.column()))
        };
        let missing: Vec<Field> = REQUIRED.into_iter().filter(|&f| col(f).is_none()).collect();
        let mut rows = Vec::new();
        for record in rdr.records() {
            let record = record.unwrap();
            if record.iter().all(str::is_empty) {
                continue;
            }
            let mut raw = RawOrder::default();
            for f in COLUMNS {
                let v = col(f).and_then(|p| record.get(p)).unwrap_or("").to_string();
                *f.text_mut(&mut raw) = v;
            }
            rows.push(CsvRow {
                row: rows.len() + 1,
                line: record.position().map_or(0, |p| p.line()),
                raw,
                missing_columns: missing.clone(),
            });
        }
        rows
    }

    /// The contract's output and exit status for `input` (CSV or session), with `g2g`
    /// countries, screened with the shipped list: the app's own evaluation, written with serde.
    pub fn check(engine: &Engine, input: &Path, g2g: &str) -> (String, i32) {
        let mut scenario = Scenario::default();
        let (mut licences, mut overrides, mut record) =
            (Vec::new(), Vec::new(), ScreeningRecord::default());
        let mut orders: Vec<Order> = Vec::new();
        // Each row: the index of its order, or its invalid (id, message).
        let mut outcomes: Vec<Result<usize, (String, String)>> = Vec::new();
        if input.extension().is_some_and(|e| e == "ron") {
            let s = diffusion_desk::session::file::load_session(input, engine).unwrap();
            scenario = s.scenario;
            licences = s.licences;
            overrides = s.overrides;
            record = s.screening;
            outcomes = (0..s.orders.len()).map(Ok).collect();
            orders = s.orders;
        } else {
            for row in csv_rows(&std::fs::read(input).unwrap()) {
                match validate_row(engine, &row) {
                    Ok(o) => {
                        outcomes.push(Ok(orders.len()));
                        orders.push(o);
                    }
                    Err(e) => {
                        outcomes.push(Err((row.raw.id.trim().to_string(), row_message(&row, &e))))
                    }
                }
            }
        }
        scenario
            .g2g
            .extend(diffusion_desk::cli::check::parse_g2g(engine, g2g).unwrap());
        let screener = IndexScreener::new(embedded_index());
        let screenings: Vec<Arc<Screening>> = screen_book(&screener, &orders, &record);
        let ctx = BookContext {
            scenario: &scenario,
            licences: &licences,
            overrides: &overrides,
            screenings: &screenings,
        };
        let decisions = engine.evaluate_book_in(&ctx, &orders);
        let _ = screener.vintage();
        let mut out = String::new();
        for o in &outcomes {
            let json = match o {
                Ok(i) => {
                    let fctx = FindingContext {
                        engine,
                        order: &orders[*i],
                        screening: Some(&screenings[*i]),
                        licences: &licences,
                        overrides: &overrides,
                    };
                    serde_json::to_string(&decided(&fctx, &decisions[*i]))
                }
                Err((id, m)) => serde_json::to_string(&invalid(id, m.clone())),
            };
            out.push_str(&json.unwrap());
            out.push('\n');
        }
        let code = i32::from(outcomes.iter().any(Result::is_err));
        (out, code)
    }
}

/// Runs the binary and the reference on the same input; the outputs must be identical.
fn assert_same_as_reference(input: &Path, g2g: &str) {
    let engine = diffusion_desk::rules::Engine::embedded();
    let (expected, code) = reference::check(&engine, input, g2g);
    let args: Vec<&str> = if g2g.is_empty() {
        vec![]
    } else {
        vec!["--g2g", g2g]
    };
    let out = check(input, &args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        got.lines().count(),
        expected.lines().count(),
        "{}",
        input.display()
    );
    for (i, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
        assert_eq!(g, e, "{}: line {}", input.display(), i + 1);
    }
    assert_eq!(got, expected);
}

#[test]
fn output_matches_the_reference_on_the_shipped_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions");
    for name in [
        "example-orders.csv",
        "compliance-quarter.ron",
        "presenter-demo.ron",
    ] {
        assert_same_as_reference(&dir.join(name), "");
    }
    assert_same_as_reference(&dir.join("compliance-quarter.ron"), "IN,MY");
}

/// A synthetic book as the app exports it, with what real files have: quoted names with commas,
/// quotes, backslashes and line breaks, non-ASCII text, CRLF line ends, blank lines, an extra
/// column, and invalid rows in between.
#[test]
fn output_matches_the_reference_on_a_synthetic_book() {
    use diffusion_desk::rules::{Engine, Scenario};
    use diffusion_desk::session::csv_io::write_orders_csv;
    use diffusion_desk::session::synthetic::synthetic_orders;
    let engine = Engine::embedded();
    let mut orders = synthetic_orders(&engine, 20_000, 23);
    for (i, o) in orders.iter_mut().enumerate() {
        match i % 97 {
            0 => o.consignee = format!("Lab \"{}\", Ltd", i % 13),
            1 => o.consignee = format!("São Paulo AI Institute {}", i % 7),
            2 => o.consignee = format!("Back\\slash\nNew line {}", i % 3),
            _ => {}
        }
    }
    let decisions = engine.evaluate_book(&Scenario::default(), &orders);
    let csv = String::from_utf8(write_orders_csv(&engine, &orders, &decisions).unwrap()).unwrap();
    let mut text = String::new();
    for (i, line) in csv.split_inclusive('\n').enumerate() {
        match i % 1000 {
            _ if i == 0 => text.push_str(&line.replace('\n', ",notes\n")),
            500 => text.push_str("BAD-1,2025-02-30,IN,X,IN,,,h100-sxm,abc,,\n"),
            600 => text.push_str(" , ,\n"),
            700 => text.push_str("\r\n"),
            900 => text.push_str(&line.replace('\n', "\r\n")),
            _ => text.push_str(line),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(&dir, "book.csv", &text);
    assert_same_as_reference(&p, "");
    assert_same_as_reference(&p, "AE,IN,SG");
}

// ---- What went wrong (issue 14, §3.4) ---------------------------------------------------------

fn valid_rows(n: usize) -> String {
    (1..=n)
        .map(|i| format!("R{i},2025-02-01,IN,Bharat,IN,,,h100-sxm,1,,\n"))
        .collect()
}

#[test]
fn a_write_error_exits_two_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(&dir, "w.csv", &format!("{HEADER}{}", valid_rows(3)));
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here: skipped");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
        .arg("check")
        .arg(&p)
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("error: cannot write the output"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_closed_pipe_stops_the_run_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    // Far more output than a pipe holds, so writing must fail once the reader has gone.
    let p = csv_file(&dir, "p.csv", &format!("{HEADER}{}", valid_rows(3000)));
    let mut child = Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
        .arg("check")
        .arg(&p)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"{\"id\":\"R1\""));
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_unterminated_quote_names_where_it_opened() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "q.csv",
        &format!(
            "{HEADER}A1,2025-02-01,IN,X,IN,,,h100-sxm,5,,\n\
             A2,2025-02-01,IN,\"Open Quote Ltd,IN,,,h100-sxm,5,,\n\
             A3,2025-02-01,IN,X,IN,,,h100-sxm,5,,\n"
        ),
    );
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("row 2 (line 3)"), "{err}");
    assert!(
        err.contains("unterminated quote") && err.contains("opened on line 3"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no row is swallowed into a decision");
}

#[test]
fn a_duplicate_header_column_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "dup.csv",
        "id,date,destination,consignee,consignee_hq,item,quantity,Date\n\
         A1,2025-02-01,IN,X,IN,h100-sxm,5,2025-03-01\n",
    );
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("column `Date` appears twice"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn duplicate_ids_get_a_warning_naming_the_first_row() {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(
        &dir,
        "ids.csv",
        &format!(
            "{HEADER}A1,2025-02-01,IN,X,IN,,,h100-sxm,5,,\n\
             A2,2025-02-01,IN,X,IN,,,h100-sxm,5,,\n\
             \n\
             A1,2025-01-20,IN,X,IN,,,h100-sxm,5,,\n\
             A1,2025-02-03,DE,Y,DE,,,b200,5,,\n"
        ),
    );
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(0));
    let v = lines(&out);
    let duplicates = |line: &Value| -> Vec<Value> {
        line["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "DUPLICATE_ID")
            .cloned()
            .collect()
    };
    assert!(duplicates(&v[0]).is_empty() && duplicates(&v[1]).is_empty());
    for later in &v[2..] {
        let d = duplicates(later);
        assert_eq!(d.len(), 1, "{later}");
        assert_eq!(d[0]["severity"], "warning");
        let msg = d[0]["message"].as_str().unwrap();
        assert!(msg.contains("row 1 (line 2)"), "{msg}");
    }
    // Still evaluated as orders of their own (the earlier-dated A1 first).
    assert_eq!(v[2]["verdict"], "authorized");
    assert_eq!(v[3]["authority"], "AIA");
}

#[test]
fn a_session_made_with_another_ruleset_warns_and_says_so_in_each_decision() {
    let dir = tempfile::tempdir().unwrap();
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/compliance-quarter.ron");
    let text = std::fs::read_to_string(shipped).unwrap();
    let current = diffusion_desk::rules::Engine::embedded()
        .loaded()
        .sha256
        .clone();
    assert!(
        text.contains(&current),
        "the shipped session records the current ruleset"
    );
    let p = dir.path().join("older.ron");
    std::fs::write(&p, text.replace(&current, &"0".repeat(64))).unwrap();
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(
        err.starts_with("warning:") && err.contains("ruleset"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let v = lines(&out);
    assert!(!v.is_empty());
    for line in &v {
        let last = line["findings"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["code"], "RULESET_DIFFERS", "{line}");
        assert_eq!(last["severity"], "warning");
        assert!(last["message"].as_str().unwrap().contains("000000000000"));
    }
}

#[test]
fn a_record_over_the_limit_is_an_error_naming_row_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(diffusion_desk::session::csv_io::MAX_RECORD_BYTES + 10);
    let p = csv_file(
        &dir,
        "long.csv",
        &format!("{HEADER}A1,2025-02-01,IN,X,IN,,,h100-sxm,5,,\n\nA2,{long}\n"),
    );
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "row 2 (line 4): record longer than {} bytes",
            diffusion_desk::session::csv_io::MAX_RECORD_BYTES
        )),
        "{err}"
    );
}

/// Runs `check` with stdout to a file; returns its exit status, stderr and peak RSS in KiB
/// (from `wait4`, on Linux). The stored screening index is not used, so every run builds the
/// index alike: whether a run read the cache or built and stored it must not decide a
/// comparison of their peaks.
fn check_measured(input: &Path, stdout: std::fs::File) -> (Option<i32>, String, Option<u64>) {
    check_measured_with(input, stdout, &[])
}

// The child is reaped by `wait4`, which std does not know about.
#[allow(clippy::zombie_processes)]
fn check_measured_with(
    input: &Path,
    stdout: std::fs::File,
    args: &[&str],
) -> (Option<i32>, String, Option<u64>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
        .env("DIFFUSION_DESK_INDEX_CACHE", "off")
        .arg("check")
        .args(args)
        .arg(input)
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    #[cfg(target_os = "linux")]
    {
        let mut status = 0;
        // SAFETY: `rusage` is plain data; wait4 fills it for this child, which nothing else
        // waits for (the `Child` handle is never waited on after this).
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let pid = child.id() as libc::pid_t;
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(r, pid, "wait4");
        let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
        (code, err, u64::try_from(usage.ru_maxrss).ok())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let status = child.wait().unwrap();
        (status.code(), err, None)
    }
}

/// Peak RSS allowed above checking a one-row file while reading tens of MB of junk: buffers and
/// the allocator's pools (the reader before the streaming one took about nine times the file). Measured against
/// that baseline, because the program itself (the screening index, the allocator's pools) is most
/// of the peak and differs between builds.
const JUNK_RSS_ABOVE_BASELINE_KIB: u64 = 64 * 1024;

/// Peak RSS (KiB) of checking a file of one valid row.
fn baseline_rss() -> Option<u64> {
    let dir = tempfile::tempdir().unwrap();
    let p = csv_file(&dir, "one.csv", &format!("{HEADER}{}", valid_rows(1)));
    let (code, err, rss) = check_measured(&p, tempfile::tempfile().unwrap());
    assert_eq!(code, Some(0), "{err}");
    rss
}

fn assert_bounded(rss: Option<u64>) {
    if let (Some(rss), Some(base)) = (rss, baseline_rss()) {
        println!("baseline (one row): {base} KiB");
        assert!(
            rss < base + JUNK_RSS_ABOVE_BASELINE_KIB,
            "peak RSS {rss} KiB against {base} KiB for one row"
        );
    }
}

#[test]
fn nul_bytes_after_a_valid_header_run_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sparse.csv");
    std::fs::write(&p, HEADER).unwrap();
    // A sparse file: 150 MB of NUL bytes that take no disk space.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .unwrap()
        .set_len(150_000_000)
        .unwrap();
    let (code, err, rss) = check_measured(&p, tempfile::tempfile().unwrap());
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("row 1 (line 2): record longer than"), "{err}");
    println!("peak RSS on 150 MB of NUL bytes: {rss:?} KiB");
    assert_bounded(rss);
}

#[test]
fn junk_lines_after_a_valid_row_are_invalid_rows_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 40 MB of junk lines of 3 KB: each an invalid row that quotes its text in its line, so
    // they are spooled to disk (a valid row is waiting for its decision), not kept in memory.
    let (p, rows) = junk_file(&dir, 40_000_000);
    let out_path = dir.path().join("out.jsonl");
    let (code, err, rss) = check_measured(&p, std::fs::File::create(&out_path).unwrap());
    assert_eq!(code, Some(1), "{err}");
    println!("peak RSS on 40 MB of junk lines: {rss:?} KiB");
    let out = std::io::BufReader::new(std::fs::File::open(&out_path).unwrap());
    let mut n = 0;
    for line in std::io::BufRead::lines(out) {
        let line = line.unwrap();
        n += 1;
        if n == 1 {
            assert!(line.starts_with("{\"id\":\"R1\""), "{line}");
        } else if n == 2 || n == rows + 1 {
            let v: Value = serde_json::from_str(&line).unwrap();
            assert_eq!(v["verdict"], "invalid");
            assert!(
                v["message"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("row {n} (line {})", n + 1))
            );
        }
    }
    assert_eq!(n, rows + 1);
    assert_bounded(rss);
    // Four times less junk peaks within a few MB of it: memory does not grow with the input.
    // Without screening, whose index is built alongside the reading and makes the peak depend
    // on how the two overlap (±25 MB between runs), not on the input.
    let unscreened =
        |p: &Path| check_measured_with(p, tempfile::tempfile().unwrap(), &["--no-screening"]).2;
    let (small, _) = junk_file(&dir, 10_000_000);
    if let (Some(big), Some(small)) = (unscreened(&p), unscreened(&small)) {
        println!(
            "peak RSS without screening: {big} KiB on 40 MB of junk lines, {small} KiB on 10 MB"
        );
        assert!(
            big < small + 16 * 1024,
            "{big} KiB for 40 MB against {small} KiB for 10 MB"
        );
    }
}

/// A file of one valid row and about `bytes` of junk lines; its path and the number of junk rows.
fn junk_file(dir: &tempfile::TempDir, bytes: usize) -> (std::path::PathBuf, usize) {
    use std::io::Write;
    let p = dir.path().join(format!("junk-{bytes}.csv"));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    f.write_all(format!("{HEADER}{}", valid_rows(1)).as_bytes())
        .unwrap();
    let junk = format!("{}\n", "\u{1}garbage;".repeat(300));
    let rows = bytes / junk.len();
    for _ in 0..rows {
        f.write_all(junk.as_bytes()).unwrap();
    }
    (p, rows)
}

/// Lines in messages are where the row starts in the file, with Windows line ends and after
/// blank lines too (the `csv` crate used before said "line 2" for the second row of a CRLF file,
/// counting from where it began reading, before the `\n` of the `\r\n` in front).
#[test]
fn messages_name_the_line_the_row_starts_on_with_crlf_and_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}A1,2025-02-01,IN,X,IN,,,h100-sxm,5,,\r\nB2,2025-02-01,IN,X,IN,,,h100-sxm,abc,,\r\n\r\n\r\nB3,2025-02-01,IN,X,IN,,,h100-sxm,-1,,\r\n",
        HEADER.replace('\n', "\r\n")
    );
    let p = csv_file(&dir, "crlf.csv", &text);
    let out = check(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    let v = lines(&out);
    assert!(
        v[1]["message"]
            .as_str()
            .unwrap()
            .starts_with("row 2 (line 3): quantity")
    );
    assert!(
        v[2]["message"]
            .as_str()
            .unwrap()
            .starts_with("row 3 (line 6): quantity")
    );
}
