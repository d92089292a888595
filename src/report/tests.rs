//! Layout tests on the drawing operations (the PDF itself is checked in tests/report_pdf.rs).

use super::fonts::Fonts;
use super::layout::{Op, layout};
use super::*;

/// A 2×1 PNG, for image blocks.
pub(crate) fn tiny_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([0x56, 0xB4, 0xE9, 0xFF]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn texts(ops: &[Op]) -> Vec<&str> {
    ops.iter()
        .filter_map(|o| match o {
            Op::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn long_table(rows: usize) -> Table {
    Table {
        columns: vec![
            Column::new("Order", 0.2, Align::Left),
            Column::new("Destination", 0.5, Align::Left),
            Column::new("TPP", 0.3, Align::Right),
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    format!("ORD-{i:04}"),
                    format!(
                        "Consignee {i} in São Paulo — a name long enough to wrap onto two lines"
                    ),
                    format!("{} TPP", 15_832 * (i + 1)),
                ]
            })
            .collect(),
        caption: "Orders in the period".into(),
    }
}

#[test]
fn long_tables_repeat_their_header_on_every_page() {
    let mut doc = Document::new("Quarterly report", PageSize::A4Portrait);
    doc.generated_at = "Generated 2026-12-01 12:00 UTC".into();
    doc.push(Block::Table(long_table(120)));
    let fonts = Fonts::new();
    let laid = layout(&doc, &fonts).unwrap();
    assert!(laid.pages.len() >= 3, "{} pages", laid.pages.len());
    let total = laid.pages.len();
    for (i, page) in laid.pages.iter().enumerate() {
        let t = texts(&page.ops);
        assert_eq!(
            t.iter().filter(|s| **s == "Destination").count(),
            1,
            "page {i}"
        );
        assert!(
            t.contains(&format!("page {} of {total}", i + 1).as_str()),
            "page {i}: {t:?}"
        );
        assert!(t.contains(&"Generated 2026-12-01 12:00 UTC"));
        assert_eq!(t.contains(&"(table continued)"), i > 0, "page {i}");
    }
    // Every row is there exactly once, in order.
    let all: Vec<&str> = laid.pages.iter().flat_map(|p| texts(&p.ops)).collect();
    let orders: Vec<&&str> = all.iter().filter(|s| s.starts_with("ORD-")).collect();
    assert_eq!(orders.len(), 120);
    assert!(orders.windows(2).all(|w| w[0] < w[1]));
    // Nothing is drawn below the footer line or off the page.
    let (w, h) = laid.size;
    for page in &laid.pages {
        for op in &page.ops {
            if let Op::Text { x, y, .. } = op {
                assert!(*x >= 0.0 && *x < w && *y > 0.0 && *y < h, "{op:?}");
            }
        }
    }
}

#[test]
fn a_row_taller_than_a_page_is_split_not_lost() {
    let mut doc = Document::new("Split", PageSize::A4Landscape);
    let huge = (0..2000)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    doc.push(Block::Table(Table {
        columns: vec![
            Column::new("A", 0.1, Align::Left),
            Column::new("B", 0.9, Align::Left),
        ],
        rows: vec![vec!["x".into(), huge]],
        caption: String::new(),
    }));
    let fonts = Fonts::new();
    let laid = layout(&doc, &fonts).unwrap();
    assert!(laid.pages.len() >= 2);
    let all: String = laid
        .pages
        .iter()
        .flat_map(|p| texts(&p.ops))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("word0 ") && all.contains("word1999"));
}

#[test]
fn bad_tables_and_images_are_refused() {
    let mut doc = Document::new("Bad", PageSize::A4Portrait);
    doc.push(Block::Table(Table {
        columns: vec![Column::new("A", 1.0, Align::Left)],
        rows: vec![vec!["1".into(), "2".into()]],
        caption: String::new(),
    }));
    assert!(matches!(render_pdf(&doc), Err(ReportError::Table(_))));
    let mut doc = Document::new("Bad", PageSize::A4Portrait);
    doc.push(Block::Image(Image {
        png_bytes: b"not a png".to_vec(),
        ..Default::default()
    }));
    assert!(matches!(render_pdf(&doc), Err(ReportError::Image(_))));
}

#[test]
fn decks_have_one_page_per_slide_and_no_title_page() {
    let slides = (1..=3)
        .map(|i| SlidePage {
            title: format!("Slide {i}"),
            caption: "One Tier 2 country's allocation trains a 1e26 model in ≈ 58.6 days".into(),
            image_png: tiny_png(160, 90),
        })
        .collect();
    let doc = Document::deck("What a cap buys", "Generated 2026-12-01", slides);
    let fonts = Fonts::new();
    let laid = layout(&doc, &fonts).unwrap();
    assert_eq!(laid.pages.len(), 3);
    assert_eq!(laid.size, (960.0, 540.0));
    let first = texts(&laid.pages[0].ops);
    assert!(
        first.contains(&"Slide 1") && first.contains(&"1 / 3"),
        "{first:?}"
    );
}

#[test]
fn missing_glyphs_are_reported() {
    let mut doc = Document::new("Consignees ⚠ → ≈", PageSize::A4Portrait);
    doc.push(Block::Paragraph("华为技术".into()));
    assert_eq!(missing_glyphs(&doc), vec!['为', '华', '技', '术']);
}

#[test]
fn output_is_deterministic() {
    let mut doc = Document::new("Same", PageSize::A4Portrait);
    doc.push(Block::Paragraph("Twice the same bytes.".into()));
    assert_eq!(render_pdf(&doc).unwrap(), render_pdf(&doc).unwrap());
}
