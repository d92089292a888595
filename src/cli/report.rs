//! `diffusion-desk report --session FILE --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.pdf|FILE.csv
//! [--screening-list FILE]`: the period report of a session, headless. The orders are screened
//! (the shipped Consolidated Screening List, or `--screening-list`), so holds appear as the app
//! shows them. Exit status: 0 written; 2 unusable input (a bad date or range, a session that does
//! not load, an unknown output format) or an I/O failure, with one line on `err`.

use crate::report::period::{self, Format};
use crate::rules::Engine;
use crate::screening::IndexScreener;
use crate::session::Workspace;
use crate::session::file::load_session;
use jiff::civil::Date;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// What the command was asked for.
pub struct ReportArgs<'a> {
    pub session: &'a Path,
    pub from: &'a str,
    pub to: &'a str,
    pub out: &'a Path,
    pub screening_list: Option<&'a Path>,
}

fn date(flag: &str, text: &str) -> Result<Date, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{flag} `{text}`: expected a date as YYYY-MM-DD"))
}

/// Runs the command; returns the exit status.
pub fn run(args: &ReportArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match write(args) {
        Ok(summary) => {
            let _ = writeln!(out, "{}", summary.describe());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            2
        }
    }
}

fn write(args: &ReportArgs) -> Result<period::ExportSummary, String> {
    let from = date("--from", args.from)?;
    let to = date("--to", args.to)?;
    if to < from {
        return Err(format!("--to {to} is before --from {from}"));
    }
    // Checked before the slow parts (loading, screening, rendering).
    Format::of(args.out)?;
    let engine = Arc::new(Engine::embedded());
    let session = load_session(args.session, &engine).map_err(|e| e.to_string())?;
    let index = super::screen::load_index(args.screening_list)?;
    let mut ws = Workspace::new(engine, session);
    ws.path = Some(args.session.to_path_buf());
    ws.set_screener(Arc::new(IndexScreener::new(index)));
    period::export(&ws, from, to, args.out, &period::generated_now())
}
