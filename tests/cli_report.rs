//! `diffusion-desk report`: the shipped quarter as PDF (parsed back; its text read with poppler's
//! `pdftotext`, skipped with a note when poppler-utils is missing) and CSV, and the exit status 2
//! with one message line for unusable input.
//!
//! Set `REPORT_SAMPLES_DIR=/some/dir` to keep the PDF for a look (`pdftoppm -png -r 60`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
}

fn quarter() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/compliance-quarter.ron")
}

fn report(session: &Path, from: &str, to: &str, out: &Path) -> Output {
    bin()
        .arg("report")
        .arg("--session")
        .arg(session)
        .args(["--from", from, "--to", to])
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let out = match Command::new("pdftotext").arg(pdf).arg("-").output() {
        Ok(o) => o,
        Err(_) => {
            eprintln!(
                "note: `pdftotext` not found (Debian: poppler-utils); skipping the text check"
            );
            return None;
        }
    };
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn the_quarter_as_pdf_has_its_tables_pictures_and_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("REPORT_SAMPLES_DIR").map(PathBuf::from);
    let pdf = keep
        .unwrap_or_else(|| dir.path().to_path_buf())
        .join("compliance-q3-2025.pdf");
    let out = report(&quarter(), "2025-07-01", "2025-09-30", &pdf);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "Wrote the Q3 2025 report (35 orders) to compliance-q3-2025.pdf"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let parsed = hayro_syntax::Pdf::new(bytes.clone()).expect("the PDF parses back");
    let pages = parsed.pages().len();
    assert!((4..=12).contains(&pages), "{pages} pages");
    // Two pictures: the tier map and the allocation plot.
    let images = bytes.windows(14).filter(|w| w == b"/Subtype/Image").count()
        + bytes
            .windows(15)
            .filter(|w| w == b"/Subtype /Image")
            .count();
    assert!(images >= 2, "{images} images");
    let Some(text) = pdftotext(&pdf) else { return };
    for needle in [
        "Compliance report — Q3 2025",
        "History verified — 67 events recorded",
        "U.S. Consolidated Screening List of 2026-07-31",
        "Allocation by destination",
        "United Arab Emirates's allocation over time",
        "LPP use by consignee and year",
        "D1190377",
        "approved as D1190377",
        "used up",
        "expired",
        "denied",
        "Sophgo Technologies Pte. Ltd.",
        "Namesake: a Munich analytics firm",
        "waiting for a person",
        "approved by snakamura",
        "Cancelled by the customer",
        "Q3-021 — created by ralvarez",
    ] {
        assert!(text.contains(needle), "`{needle}` not in the PDF text");
    }
}

#[test]
fn the_quarter_as_csv_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("q3.csv");
    let out = report(&quarter(), "2025-07-01", "2025-09-30", &csv);
    assert_eq!(out.status.code(), Some(0));
    let mut rd = csv::Reader::from_path(&csv).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let orders: u64 = rows
        .iter()
        .filter(|r| &r[0] == "verdict" && &r[3] == "orders")
        .map(|r| r[4].parse::<u64>().unwrap())
        .sum();
    assert_eq!(orders, 35);
    assert!(rows.iter().any(|r| &r[0] == "hold" && &r[4] == "confirmed"));
}

#[test]
fn unusable_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let cases: [(&Path, &str, &str, PathBuf, &str); 5] = [
        (
            &quarter(),
            "2025-13-01",
            "2025-09-30",
            pdf.clone(),
            "--from `2025-13-01`",
        ),
        (
            &quarter(),
            "2025-09-30",
            "2025-07-01",
            pdf.clone(),
            "is before --from",
        ),
        (
            &quarter(),
            "2025-07-01",
            "2025-09-30",
            dir.path().join("r.txt"),
            ".pdf or .csv",
        ),
        (
            Path::new("/no/such.ron"),
            "2025-07-01",
            "2025-09-30",
            pdf.clone(),
            "/no/such.ron",
        ),
        (
            &quarter(),
            "2025-07-01",
            "2025-09-30",
            dir.path().join("no/dir/r.csv"),
            "cannot write",
        ),
    ];
    for (session, from, to, out_path, expect) in cases {
        let out = report(session, from, to, &out_path);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: ") && err.contains(expect), "{err}");
        assert!(!out_path.exists());
    }
}
