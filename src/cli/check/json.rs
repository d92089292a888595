//! A lean JSON writer into a byte buffer, producing exactly what `serde_json` produces for the
//! same values (the decision lines' contract was defined by it): strings escape `"`, `\` and
//! control characters only (`\n`-style where JSON has one, else `\u00XX` in lower-case hex), and
//! numbers are formatted by the same crates `serde_json` uses (`itoa`, `zmij`).

/// Bytes that must be escaped inside a JSON string.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of the 8 bytes of `w` needs escaping, tested all at once ("SWAR": a byte below
/// 0x20, or equal to `"` or `\`, leaves its high bit set in the result).
fn word_needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    (below(w, 0x20) | zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')))) != 0
}

/// The index of the first byte of `bytes` that needs escaping.
fn first_escape(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        if word_needs_escape(w) {
            break;
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| needs_escape(b))
        .map(|p| i + p)
}

/// Appends `s` escaped for use inside a JSON string (no quotes). Most strings need no escaping:
/// they are checked eight bytes at a time and copied in one go.
pub fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let Some(first) = first_escape(bytes) else {
        out.extend_from_slice(bytes);
        return;
    };
    out.extend_from_slice(&bytes[..first]);
    let mut run_start = first;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        if !needs_escape(b) {
            continue;
        }
        out.extend_from_slice(&bytes[run_start..i]);
        run_start = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
            }
        }
    }
    out.extend_from_slice(&bytes[run_start..]);
}

/// Appends `s` as a JSON string.
pub fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape_into(out, s);
    out.push(b'"');
}

/// Appends a string known to need no escaping (the contract's fixed words: verdicts, codes…).
pub fn plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!s.bytes().any(needs_escape), "{s:?} needs escaping");
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

pub fn uint(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

pub fn opt_uint(out: &mut Vec<u8>, v: Option<u64>) {
    match v {
        Some(v) => uint(out, v),
        None => out.extend_from_slice(b"null"),
    }
}

/// A number as `serde_json` writes an `f64`: shortest round-trip form, `null` if not finite.
pub fn float(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

pub fn boolean(out: &mut Vec<u8>, v: bool) {
    out.extend_from_slice(if v { b"true" } else { b"false" });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_serde<T: serde::Serialize>(v: T, write: impl Fn(&mut Vec<u8>, &T)) {
        let mut out = Vec::new();
        write(&mut out, &v);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(&v).unwrap()
        );
    }

    #[test]
    fn strings_escape_as_serde_json_does() {
        for s in [
            "",
            "plain",
            "São Paulo AI — “Institut”",
            "quote \" back \\ slash / solidus",
            "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} end",
            "\"",
            "tab\tat\tmany\tplaces",
        ] {
            same_as_serde(s, |o, s| string(o, s));
        }
    }

    /// Every byte value, at every position of a word, is found by the eight-at-a-time test.
    #[test]
    fn the_word_test_finds_every_byte_that_needs_escaping() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                assert_eq!(
                    word_needs_escape(u64::from_le_bytes(word)),
                    needs_escape(b),
                    "{b:#x} at {at}"
                );
            }
            let mut text = vec![b'x'; 20];
            text[13] = b;
            let want = needs_escape(b).then_some(13);
            assert_eq!(first_escape(&text), want, "{b:#x}");
        }
    }

    #[test]
    fn numbers_format_as_serde_json_does() {
        for v in [0u64, 7, 15_832_000, u64::MAX] {
            same_as_serde(v, |o, v| uint(o, *v));
        }
        for v in [
            0.0,
            1000.0,
            1.5,
            0.001,
            1234567.891,
            1e21,
            1e-7,
            f64::NAN,
            -3.25,
        ] {
            same_as_serde(v, |o, v| float(o, *v));
        }
    }
}
