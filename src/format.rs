//! Number formatting shared by findings, views, reports and the command line: TPP, H100-equivalents,
//! thousands, shares and operation counts. One place, so "≈ N H100e" reads the same everywhere.

/// 1234567 → "1,234,567".
///
/// ```
/// assert_eq!(diffusion_desk::format::thousands(1_234_567), "1,234,567");
/// assert_eq!(diffusion_desk::format::thousands(12), "12");
/// ```
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A TPP figure, compact: millions and billions with up to two decimals, smaller figures in full.
///
/// ```
/// use diffusion_desk::format::tpp;
/// assert_eq!(tpp(26_900_000), "26.9M");
/// assert_eq!(tpp(790_000_000), "790M");
/// assert_eq!(tpp(1_580_000_000), "1.58B");
/// assert_eq!(tpp(15_832), "15,832");
/// ```
pub fn tpp(tpp: u64) -> String {
    let v = tpp as f64;
    if tpp >= 1_000_000_000 {
        format!("{}B", trim_decimals(v / 1e9))
    } else if tpp >= 1_000_000 {
        format!("{}M", trim_decimals(v / 1e6))
    } else {
        thousands(tpp)
    }
}

/// H100-equivalents of a TPP amount, rounded to whole units (display only: caps are kept in TPP).
pub fn h100e_count(tpp: u64, h100_tpp: u64) -> u64 {
    if h100_tpp == 0 {
        return 0;
    }
    (tpp as f64 / h100_tpp as f64).round() as u64
}

/// "≈ 1,699 H100e".
///
/// ```
/// assert_eq!(diffusion_desk::format::h100e(26_900_000, 15_832), "≈ 1,699 H100e");
/// ```
pub fn h100e(tpp: u64, h100_tpp: u64) -> String {
    format!("≈ {} H100e", thousands(h100e_count(tpp, h100_tpp)))
}

/// "26.9M TPP ≈ 1,699 H100e".
pub fn tpp_and_h100e(amount: u64, h100_tpp: u64) -> String {
    format!("{} TPP {}", tpp(amount), h100e(amount, h100_tpp))
}

/// A share 0..=1 as a percentage with one decimal, "7.2 %".
pub fn pct(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// A share given as a whole-percent limit, "75 %" (one decimal only when needed).
///
/// ```
/// assert_eq!(diffusion_desk::format::pct_limit(0.75), "75 %");
/// assert_eq!(diffusion_desk::format::pct_limit(0.075), "7.5 %");
/// ```
pub fn pct_limit(share: f64) -> String {
    format!("{} %", trim_decimals(share * 100.0))
}

/// An operation count in scientific notation, "1e26", "2.5e25".
///
/// ```
/// assert_eq!(diffusion_desk::format::ops(1e26), "1e26");
/// assert_eq!(diffusion_desk::format::ops(2.5e25), "2.5e25");
/// ```
pub fn ops(ops: f64) -> String {
    format!("{ops:e}")
}

/// Two decimals at most, trailing zeros dropped: 26.90 → "26.9", 790.00 → "790".
fn trim_decimals(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "1 order", "12,000 orders".
pub fn count(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", thousands(n as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h100e_rounds_and_guards_zero() {
        assert_eq!(h100e_count(790_000_000, 15_832), 49_899);
        assert_eq!(h100e_count(5, 0), 0);
        assert_eq!(tpp_and_h100e(26_900_000, 15_832), "26.9M TPP ≈ 1,699 H100e");
    }

    #[test]
    fn shares() {
        assert_eq!(pct(0.072), "7.2 %");
        assert_eq!(pct_limit(0.5), "50 %");
        assert_eq!(count(1, "order"), "1 order");
        assert_eq!(count(12_000, "order"), "12,000 orders");
    }
}
