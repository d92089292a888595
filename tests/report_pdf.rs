//! PDF reports and decks: every block type, page breaks with repeated table headers, the PDF
//! parsed back, text extracted with poppler's `pdftotext` (skipped with a note when poppler-utils
//! is missing), and real view images rendered headlessly.
//!
//! Set `REPORT_SAMPLES_DIR=/some/dir` to keep the sample PDFs for a look (`pdftoppm -png -r 60`).

use diffusion_desk::cli::screenshot::{ViewRenderer, png_bytes, render_ui_image, render_view_png};
use diffusion_desk::fleets::training::CalculatorSettings;
use diffusion_desk::report::{
    Align, Block, Column, Document, Image, PageSize, SlidePage, Table, page_count, render_pdf,
    write_pdf,
};
use diffusion_desk::rules::Engine;
use diffusion_desk::session::demo::demo_workspace;
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::calculator_view::CalculatorView;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const SYMBOLS: &str = "é ã → ≈ ≤ ≥ – — · × ⚠ ✔ •";

fn orders_table(rows: usize) -> Table {
    let countries = [
        "Brazil",
        "India",
        "Saudi Arabia",
        "Viet Nam",
        "Côte d'Ivoire",
        "Malaysia",
    ];
    Table {
        columns: vec![
            Column::new("Order", 0.12, Align::Left),
            Column::new("Consignee and destination", 0.41, Align::Left),
            Column::new("Item", 0.18, Align::Left),
            Column::new("TPP", 0.14, Align::Right),
            Column::new("Verdict", 0.15, Align::Center),
        ],
        rows: (0..rows)
            .map(|i| {
                let long = if i % 7 == 3 {
                    " — a consignee with a long legal name that wraps onto a second line"
                } else {
                    ""
                };
                vec![
                    format!("Q4-{:03}", i + 1),
                    format!(
                        "Datacentre {}{long} · {}",
                        i + 1,
                        countries[i % countries.len()]
                    ),
                    "H100 SXM × 64".into(),
                    "1,013,248".into(),
                    if i % 5 == 0 { "⚠ licence" } else { "✔ LPP" }.into(),
                ]
            })
            .collect(),
        caption: "Orders shipped in the period, oldest first. TPP = dense TFLOPS × bit length."
            .into(),
    }
}

fn plots_png() -> Vec<u8> {
    let ws = demo_workspace(Arc::new(Engine::embedded()));
    render_view_png(ws, "plots", (1100, 640), false).expect("the plots view renders")
}

fn sample_report(view_png: Vec<u8>) -> Document {
    let mut doc = Document::new("Compliance report — Q4 2026", PageSize::A4Portrait);
    doc.subtitle = "Diffusion Desk · demo session (São Paulo desk)".into();
    doc.generated_at =
        "Generated 2026-12-01 14:03 UTC from demo.ron (ruleset sha256 1a2b3c4d)".into();
    doc.push(Block::KeyValues(vec![
        ("Period".into(), "2026-10-01 → 2026-12-31".into()),
        ("Ruleset".into(), "AI Diffusion IFR, 90 FR 4544 (2025-01-15)".into()),
        ("Orders".into(), "84 (61 authorized, 17 licence required, 6 held)".into()),
    ]))
    .push(Block::Heading(1, "Summary".into()))
    .push(Block::Paragraph(format!(
        "Symbols the app prints: {SYMBOLS}. One Tier 2 country's whole 2025–27 allocation \
         (790,000,000 TPP ≈ 49,898 H100) could train a 1e26-operation model in ≈ 58.6 days at \
         40 % utilisation. Caps are cumulative: an order's verdict depends on every order before it."
    )))
    .push(Block::Note(
        "Estimates from public sources; not legal advice. UNCONFIRMED values are marked ⚠.".into(),
    ))
    .push(Block::Heading(2, "Caps beside purchases".into()))
    .push(Block::Image(Image {
        png_bytes: view_png,
        caption: "The plots view as rendered by the app (caps vs purchases, H100e by TPP).".into(),
        max_height: Some(330.0),
    }))
    .push(Block::Heading(1, "Orders".into()))
    .push(Block::Table(orders_table(90)))
    .push(Block::PageBreak)
    .push(Block::Heading(1, "Holds and overrides".into()))
    .push(Block::Table(Table {
        columns: vec![
            Column::new("Order", 0.2, Align::Left),
            Column::new("Reason", 0.8, Align::Left),
        ],
        rows: vec![
            vec!["Q4-006".into(), "Cleared by J. Doe: end user verified ≥ 2 sources.".into()],
            vec!["Q4-011".into(), "Held: destination's allocation ≤ 5 % left.".into()],
        ],
        caption: String::new(),
    }));
    doc
}

fn sample_deck(view_png: Vec<u8>, calculator_png: Vec<u8>) -> Document {
    let slides = vec![
        SlidePage {
            title: "What a cap buys".into(),
            caption: "One Tier 2 country's 2025–27 allocation ≈ 49,898 H100: a 1e26 model in ≈ 58.6 days at 40 % utilisation.".into(),
            image_png: calculator_png,
        },
        SlidePage {
            title: "The LPP room is a different story".into(),
            caption: "26.9M TPP a year buys 1,699 H100 → ≈ 1,722 days for the same model.".into(),
            image_png: view_png,
        },
        SlidePage {
            title: "A slide without an image".into(),
            caption: String::new(),
            image_png: Vec::new(),
        },
    ];
    Document::deck("Diffusion Desk — briefing", "Generated 2026-12-01", slides)
}

fn samples_dir() -> Option<PathBuf> {
    std::env::var_os("REPORT_SAMPLES_DIR").map(PathBuf::from)
}

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        eprintln!("note: `{name}` not found (Debian: poppler-utils); skipping that check");
    }
    found
}

fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// Page sizes of a PDF as parsed back.
fn parsed_pages(bytes: &[u8]) -> Vec<(f32, f32)> {
    let pdf = hayro_syntax::Pdf::new(bytes.to_vec()).expect("the PDF parses back");
    pdf.pages().iter().map(|p| p.base_dimensions()).collect()
}

#[test]
fn report_with_every_block_type_parses_back_with_its_text() {
    let doc = sample_report(plots_png());
    let bytes = render_pdf(&doc).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pages = parsed_pages(&bytes);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert_eq!(pages.len(), page_count(&doc).unwrap());
    for (w, h) in &pages {
        assert!(
            (w - 595.3).abs() < 0.5 && (h - 841.9).abs() < 0.5,
            "A4 portrait: {w}×{h}"
        );
    }

    let dir = samples_dir().unwrap_or_else(std::env::temp_dir);
    let path = dir.join("diffusion-desk-sample-report.pdf");
    write_pdf(&doc, &path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "writing adds nothing");
    if !tool("pdftotext") {
        return;
    }
    let text = pdftotext(&path, None);
    for s in SYMBOLS.split(' ') {
        assert!(text.contains(s), "{s} not extractable");
    }
    for needle in [
        "Compliance report — Q4 2026",
        "São Paulo",
        "Côte d'Ivoire",
        "2026-10-01 → 2026-12-31",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    let n = pages.len();
    for p in 1..=n {
        let page = pdftotext(&path, Some(p));
        assert!(page.contains(&format!("page {p} of {n}")), "page {p}");
        assert!(page.contains("Generated 2026-12-01 14:03 UTC"), "page {p}");
    }
    // The orders table runs over several pages, each with its header.
    let with_header = (1..=n)
        .filter(|&p| pdftotext(&path, Some(p)).contains("Consignee and destination"))
        .count();
    assert!(with_header >= 2, "header on {with_header} pages");
    for i in [1, 45, 90] {
        assert!(text.contains(&format!("Q4-{i:03}")), "row {i}");
    }
    if tool("pdffonts") {
        let out = Command::new("pdffonts").arg(&path).output().unwrap();
        let list = String::from_utf8_lossy(&out.stdout);
        assert!(list.contains("DejaVuSans"), "{list}");
        assert!(
            list.lines().skip(2).all(|l| l.contains(" yes ")),
            "every font embedded:\n{list}"
        );
    }
}

#[test]
fn deck_has_one_landscape_page_per_slide() {
    // One renderer for both images: the offscreen renderer is reused between views.
    let ws = demo_workspace(Arc::new(Engine::embedded()));
    let mut r = ViewRenderer::new(DeskApp::new(ws), (1280, 720), false);
    let map = r.render("map").unwrap();
    assert_eq!(map.dimensions(), (1280, 720));
    // A view the app shell does not host yet renders through render_ui_image.
    let ws = r.into_app().ws;
    let calc = render_ui_image(
        (CalculatorView::new(&ws), ws, CalculatorSettings::default()),
        (1100, 760),
        false,
        |ui, (view, ws, settings)| {
            egui::CentralPanel::default().show(ui, |ui| view.ui(ui, ws, settings));
        },
    )
    .unwrap();
    assert_eq!(calc.dimensions(), (1100, 760));
    let doc = sample_deck(png_bytes(&map).unwrap(), png_bytes(&calc).unwrap());
    let bytes = render_pdf(&doc).unwrap();
    let pages = parsed_pages(&bytes);
    assert_eq!(pages, vec![(960.0, 540.0); 3]);
    let dir = samples_dir().unwrap_or_else(std::env::temp_dir);
    let path = dir.join("diffusion-desk-sample-deck.pdf");
    write_pdf(&doc, &path).unwrap();
    if tool("pdftotext") {
        let p1 = pdftotext(&path, Some(1));
        assert!(
            p1.contains("What a cap buys") && p1.contains("≈ 58.6 days"),
            "{p1}"
        );
        // pdftotext closes up the spaces of "1 / 3".
        let squeezed: String = p1.split_whitespace().collect();
        assert!(squeezed.contains("1/3"), "{p1}");
    }
    // A4 landscape prints the same slides.
    let mut a4 = doc.clone();
    a4.page_size = PageSize::A4Landscape;
    let pages = parsed_pages(&render_pdf(&a4).unwrap());
    assert_eq!(pages.len(), 3);
    assert!(pages[0].0 > pages[0].1, "landscape");
}
