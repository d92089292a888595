//! Tables: wrapped cells, zebra rows, and the header row repeated on every page the table
//! runs onto (with "(continued)" beside it), so a printed page stands on its own.

use super::ReportError;
use super::fonts::Weight;
use super::layout::{Flow, Op};
use super::model::{Align, Table};
use super::style;

/// One row's wrapped cells.
type Row = Vec<Vec<String>>;

struct Geometry {
    xs: Vec<f32>,
    widths: Vec<f32>,
    aligns: Vec<Align>,
}

pub fn table(flow: &mut Flow, t: &Table) -> Result<(), ReportError> {
    let geo = geometry(flow, t)?;
    let header: Row = t
        .columns
        .iter()
        .zip(&geo.widths)
        .map(|(c, w)| wrap_cell(flow, Weight::Bold, &c.header, *w))
        .collect();
    let header_h = row_height(&header);
    let mut rows: Vec<Row> = t
        .rows
        .iter()
        .map(|r| {
            geo.widths
                .iter()
                .enumerate()
                .map(|(i, w)| wrap_cell(flow, Weight::Regular, r.get(i).map_or("", |s| s), *w))
                .collect()
        })
        .collect();
    // The header and the first row (or as much of it as fits a page) start together.
    let first = rows.first().map_or(0.0, row_height);
    flow.ensure(header_h + first.min(flow.bottom - flow.top - header_h));
    draw_row(flow, &geo, &header, None, true);
    let mut zebra = false;
    let mut i = 0;
    while i < rows.len() {
        let h = row_height(&rows[i]);
        if h > flow.room() {
            let fresh = flow.y <= flow.top + header_h + 0.01;
            if fresh {
                // Taller than a whole page: draw what fits, carry the rest as a new row.
                let fit = lines_that_fit(flow.room());
                let rest = split_row(&mut rows[i], fit.max(1));
                rows.insert(i + 1, rest);
            } else {
                flow.new_page();
                draw_row(flow, &geo, &header, None, true);
                continued(flow);
                continue;
            }
        }
        draw_row(
            flow,
            &geo,
            &rows[i],
            zebra.then_some(style::ZEBRA_FILL),
            false,
        );
        zebra = !zebra;
        i += 1;
    }
    let (x1, x2, y) = (flow.left, flow.left + flow.width, flow.y);
    flow.page.ops.push(Op::Line {
        x1,
        y1: y,
        x2,
        y2: y,
        width: 0.8,
        color: style::RULE,
    });
    flow.y += 4.0;
    if !t.caption.is_empty() {
        flow.lines(
            &t.caption,
            style::CAPTION,
            Weight::Regular,
            style::MUTED,
            0.0,
        );
    }
    flow.y += style::BLOCK_GAP;
    Ok(())
}

fn geometry(flow: &Flow, t: &Table) -> Result<Geometry, ReportError> {
    if t.columns.is_empty() {
        return Err(ReportError::Table(
            "a table needs at least one column".into(),
        ));
    }
    if let Some((i, r)) = t
        .rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() > t.columns.len())
    {
        return Err(ReportError::Table(format!(
            "row {} has {} cells for {} columns",
            i + 1,
            r.len(),
            t.columns.len()
        )));
    }
    let total: f32 = t.columns.iter().map(|c| c.width.max(0.0)).sum();
    if !(total.is_finite() && total > 0.0) {
        return Err(ReportError::Table(
            "column widths must be positive fractions".into(),
        ));
    }
    let mut xs = Vec::with_capacity(t.columns.len());
    let mut widths = Vec::with_capacity(t.columns.len());
    let mut x = flow.left;
    for c in &t.columns {
        let w = flow.width * c.width.max(0.0) / total;
        xs.push(x);
        widths.push(w);
        x += w;
    }
    Ok(Geometry {
        xs,
        widths,
        aligns: t.columns.iter().map(|c| c.align).collect(),
    })
}

fn wrap_cell(flow: &Flow, weight: Weight, text: &str, width: f32) -> Vec<String> {
    let inner = (width - 2.0 * style::CELL_PAD_X).max(4.0);
    flow.fonts.wrap(weight, style::TABLE, text, inner)
}

fn leading() -> f32 {
    style::TABLE * style::LEADING
}

fn row_height(row: &Row) -> f32 {
    let lines = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * leading() + 2.0 * style::CELL_PAD_Y
}

fn lines_that_fit(room: f32) -> usize {
    ((room - 2.0 * style::CELL_PAD_Y) / leading())
        .floor()
        .max(0.0) as usize
}

/// Keeps the first `n` lines of every cell in `row` and returns the rest as a new row.
fn split_row(row: &mut Row, n: usize) -> Row {
    row.iter_mut()
        .map(|cell| {
            if cell.len() > n {
                cell.split_off(n)
            } else {
                Vec::new()
            }
        })
        .collect()
}

fn draw_row(flow: &mut Flow, geo: &Geometry, row: &Row, fill: Option<style::Rgb>, header: bool) {
    let h = row_height(row);
    let y = flow.y;
    let fill = if header {
        Some(style::HEADER_FILL)
    } else {
        fill
    };
    if let Some(fill) = fill {
        flow.page.ops.push(Op::Rect {
            x: flow.left,
            y,
            w: flow.width,
            h,
            fill,
        });
    }
    let weight = if header {
        Weight::Bold
    } else {
        Weight::Regular
    };
    for (c, lines) in row.iter().enumerate() {
        for (k, line) in lines.iter().enumerate() {
            let w = flow.fonts.width(weight, style::TABLE, line);
            let (x0, cw) = (geo.xs[c], geo.widths[c]);
            let x = match geo.aligns[c] {
                Align::Left => x0 + style::CELL_PAD_X,
                Align::Right => x0 + cw - style::CELL_PAD_X - w,
                Align::Center => x0 + (cw - w) / 2.0,
            };
            let baseline =
                y + style::CELL_PAD_Y + k as f32 * leading() + style::TABLE * style::ASCENT;
            flow.text(x, baseline, style::TABLE, weight, style::INK, line);
        }
    }
    if header {
        let (x1, x2, yb) = (flow.left, flow.left + flow.width, y + h);
        flow.page.ops.push(Op::Line {
            x1,
            y1: yb,
            x2,
            y2: yb,
            width: 0.8,
            color: style::ACCENT,
        });
    }
    flow.y += h;
}

/// "(continued)" in the header band's right corner of a continued table, above its header.
fn continued(flow: &mut Flow) {
    let size = style::NOTE;
    let text = "(table continued)";
    let w = flow.fonts.width(Weight::Regular, size, text);
    let header_top = flow.top;
    // Drawn just above the repeated header, inside the header band.
    let x = flow.left + flow.width - w;
    flow.text(
        x,
        header_top - 2.5,
        size,
        Weight::Regular,
        style::MUTED,
        text,
    );
}
