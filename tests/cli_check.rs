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
