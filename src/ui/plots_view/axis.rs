//! Axis scales and tick labels. egui_plot has no log axis: log plots draw log10 values and label
//! the ticks 1, 10, 100, 1k, 10k … so readers see the real numbers.

use crate::session::PlotScale;
use egui_plot::{GridInput, GridMark};

/// The plot coordinate of a value (log10 on a log scale; values below 1 sit at 0).
pub fn to_plot(v: f64, scale: PlotScale) -> f64 {
    match scale {
        PlotScale::Linear => v,
        PlotScale::Log => v.max(1.0).log10(),
    }
}

/// 1234 → "1.2k", 50000 → "50k", 790000000 → "790M": compact tick labels.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e12 {
        (v / 1e12, "T")
    } else if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = if (scaled - scaled.round()).abs() < 1e-9 {
        format!("{}", scaled.round() as i64)
    } else {
        let s = format!("{scaled:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!("{s}{suffix}")
}

/// Label for a tick at plot coordinate `x` on a log axis: whole decades, and the 2× and 5×
/// ticks too when `span` (the decades visible) is small enough for them to fit.
pub fn log_tick(x: f64, span: f64) -> String {
    if (x - x.round()).abs() > 1e-6 && span > 2.5 {
        return String::new();
    }
    let v = 10f64.powf(x);
    // Snap to the 1/2/5 values the grid produces, so 10^0.30103 reads "2", not "1.99".
    let decade = 10f64.powi(x.floor() as i32);
    let snapped = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .min_by(|a, b| (a - v).abs().total_cmp(&(b - v).abs()))
        .unwrap_or(v);
    compact(snapped)
}

pub fn tick_label(
    mark: GridMark,
    range: &std::ops::RangeInclusive<f64>,
    scale: PlotScale,
) -> String {
    match scale {
        PlotScale::Linear => {
            if mark.value < -1e-9 {
                String::new()
            } else {
                compact(mark.value)
            }
        }
        PlotScale::Log => log_tick(mark.value, range.end() - range.start()),
    }
}

/// Grid marks for a log axis: every decade, plus 2× and 5× when few decades are visible.
pub fn log_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let mut marks = Vec::new();
    let minor = hi - lo <= 6.0;
    let mut k = lo.floor() as i64;
    while (k as f64) <= hi && marks.len() < 200 {
        let x = k as f64;
        if x >= lo {
            marks.push(GridMark {
                value: x,
                step_size: 1.0,
            });
        }
        if minor {
            for m in [2f64.log10(), 5f64.log10()] {
                let v = x + m;
                if v >= lo && v <= hi {
                    // About the gap to the next minor mark, which sets when labels fit.
                    marks.push(GridMark {
                        value: v,
                        step_size: 0.3,
                    });
                }
            }
        }
        k += 1;
    }
    marks
}

/// One mark per category row, so each row gets its label.
pub fn category_marks(n: usize) -> impl Fn(GridInput) -> Vec<GridMark> {
    move |_| {
        (0..n)
            .map(|i| GridMark {
                value: i as f64,
                step_size: 1.0,
            })
            .collect()
    }
}

/// The category label at a mark, if the mark sits on a row.
pub fn category_label(labels: &[String], value: f64) -> String {
    let i = value.round();
    if (value - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// A presentation plot: fixed bounds from the settings, no pan, zoom or crosshair, so a unit or
/// scale switch shows at once and slides look the same every time.
pub(super) fn fixed(plot: egui_plot::Plot<'_>) -> egui_plot::Plot<'_> {
    plot.allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(1_699.0), "1.7k");
        assert_eq!(compact(50_000.0), "50k");
        assert_eq!(compact(150_000.0), "150k");
        assert_eq!(compact(1_500_000.0), "1.5M");
        assert_eq!(compact(790_000_000.0), "790M");
        assert_eq!(compact(5_066_240_000.0), "5.07B");
    }

    #[test]
    fn log_ticks_read_as_real_numbers() {
        assert_eq!(log_tick(0.0, 6.0), "1");
        assert_eq!(log_tick(2.0, 6.0), "100");
        assert_eq!(log_tick(3.0, 6.0), "1k");
        assert_eq!(log_tick(5.0, 6.0), "100k");
        assert_eq!(log_tick(9.0, 6.0), "1B");
        assert_eq!(log_tick(3.0 + 2f64.log10(), 6.0), "");
        assert_eq!(log_tick(8.0 + 2f64.log10(), 1.5), "200M");
        assert_eq!(log_tick(8.0 + 5f64.log10(), 1.5), "500M");
        assert!((to_plot(1_000.0, PlotScale::Log) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn log_marks_cover_the_decades() {
        let marks = log_marks(GridInput {
            bounds: (2.5, 5.5),
            base_step_size: 0.01,
        });
        let decades: Vec<f64> = marks
            .iter()
            .filter(|m| m.step_size == 1.0)
            .map(|m| m.value)
            .collect();
        assert_eq!(decades, [3.0, 4.0, 5.0]);
        assert!(marks.iter().any(|m| m.step_size < 1.0));
    }
}
