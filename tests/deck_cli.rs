//! `diffusion-desk deck`: the demo deck exported headlessly gives one PDF page per slide (parsed
//! back) and one PNG per slide at the asked size; unusable input exits 2 with a message.
//!
//! Set `DECK_SAMPLES_DIR=/some/dir` to keep the PDF and PNGs for a look
//! (`pdftoppm -png -r 50 deck.pdf page`).

use diffusion_desk::rules::Engine;
use diffusion_desk::session::file::{load_session, save_session};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/presenter-demo.ron")
}

fn deck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
        .arg("deck")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn out_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("DECK_SAMPLES_DIR") {
        Some(d) => (None, PathBuf::from(d)),
        None => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    }
}

fn slides() -> usize {
    load_session(&demo(), &Engine::embedded())
        .unwrap()
        .deck
        .len()
}

#[test]
fn the_pdf_has_one_page_per_slide() {
    let (_keep, dir) = out_dir();
    let pdf = dir.join("deck.pdf");
    let out = deck(&[
        "--session",
        demo().to_str().unwrap(),
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = slides();
    assert!(n >= 4, "the demo tells its story in {n} slides");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!("Exported {n} slides to")),
        "{stdout}"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let parsed = hayro_syntax::Pdf::new(bytes).expect("the PDF parses back");
    let pages: Vec<(f32, f32)> = parsed.pages().iter().map(|p| p.base_dimensions()).collect();
    assert_eq!(pages.len(), n, "one page per slide");
    for (w, h) in pages {
        assert!(
            (w - 960.0).abs() < 0.5 && (h - 540.0).abs() < 0.5,
            "16:9: {w}×{h}"
        );
    }
}

#[test]
fn pngs_are_one_per_slide_at_the_asked_size() {
    let (_keep, dir) = out_dir();
    let pngs = dir.join("slides");
    let out = deck(&[
        "--session",
        demo().to_str().unwrap(),
        "--out",
        pngs.to_str().unwrap(),
        "--size",
        "1280x720",
        "--dark",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = slides();
    for i in 1..=n {
        let img = image::open(pngs.join(format!("slide-{i:02}.png"))).unwrap();
        assert_eq!((img.width(), img.height()), (1280, 720));
    }
    assert!(!pngs.join(format!("slide-{:02}.png", n + 1)).exists());
}

#[test]
fn unusable_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out_pdf = dir.path().join("x.pdf");
    let missing = dir.path().join("missing.ron");
    let empty = dir.path().join("empty.ron");
    let mut s = load_session(&demo(), &Engine::embedded()).unwrap();
    s.deck.slides.clear();
    save_session(&empty, &s).unwrap();
    for (session, size, why) in [
        (&missing, "1600x900", "missing.ron"),
        (&empty, "1600x900", "no slides"),
        (&demo(), "big", "--size"),
    ] {
        let out = deck(&[
            "--session",
            session.to_str().unwrap(),
            "--out",
            out_pdf.to_str().unwrap(),
            "--size",
            size,
        ]);
        assert_eq!(out.status.code(), Some(2), "{why}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("error: ") && err.contains(why), "{err}");
        assert!(!out_pdf.exists(), "nothing written for {why}");
    }
}
