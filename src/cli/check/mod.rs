//! `diffusion-desk check`: evaluate an orders CSV or a session file, one JSON decision per line.
//!
//! The output contract ("Decision JSON" in product.md) is one object per row, in input order,
//! while the engine evaluates orders by date, each seeing the ledger left by the ones before it.
//! So no decision is known before the last row is read. The design keeps memory bounded by what
//! evaluation needs, not by the size of the file:
//!
//! - Rows are read one at a time ([`csv_io::CsvReader`]; a record over
//!   [`csv_io::MAX_RECORD_BYTES`] is an error naming its row and line, so a file of junk cannot
//!   make one record grow without bound).
//! - A valid row is kept packed ([`book`]): 40 bytes (dates, country codes, interned consignee
//!   and chip ids), 4 of evaluation order and about 40 in the index that finds repeated ids;
//!   with the growth room of those tables, **about 120 bytes a valid row** (measured without
//!   screening: 241 MiB peak for 800,000 rows, 193 MiB for 400,000), plus each distinct
//!   consignee name once.
//! - An invalid row keeps nothing in memory: its line is rendered when it is read, and written
//!   at once while no valid row is waiting, or spooled otherwise ([`spool`]: ids and such lines,
//!   in memory up to 16 MB, then in a temporary file).
//! - Decisions are held for at most [`stream::WINDOW`] rows (262,144), about 180 bytes each
//!   with their findings stored once per window ([`findings::FindingTable`]); a longer book is
//!   evaluated again for each further window. 100,000 rows peak at 101 MiB without screening and
//!   149 MiB with it (the screening index is about 40 MiB), a file of junk at 22–39 MiB.
//!
//! Rendering ([`render`]) writes each line with a small JSON writer ([`json`]) and takes finding
//! objects from a cache ([`findings`]), so each distinct message is formatted once.
//!
//! With two cores or more, each phase uses two threads and keeps the output order: reading
//! parses on one thread while the calling one validates and packs ([`read`]); evaluation, which
//! is sequential, hands decisions to a thread that stores their findings ([`evaluate`]);
//! rendering cuts the rows into jobs that workers render and the calling thread writes in order
//! ([`pool`]). On the 100,000-row bench book: 2.0 G instructions in all, about 1.1 G on the
//! longest path.
//!
//! Exit status: 0 every row evaluated; 1 some rows invalid (printed too); 2 the input is
//! unusable or the output cannot be written, with one line on stderr (none for a closed pipe,
//! whose reader chose to stop).

mod book;
mod evaluate;
mod findings;
mod fingerprint;
mod json;
mod pool;
mod read;
mod render;
mod spool;
mod stream;

use crate::rules::{
    BookContext, CountryCode, Decision, DecisionOverride, Engine, FindingContext, Licence, Scenario,
};
use crate::screening::shipped_index;
use crate::screening::{IndexScreener, ScreeningIndex, import_file};
use crate::session::csv_io;
use crate::session::file::load_session;
use crate::session::model::ScreeningRecord;
use crate::session::screening_link::Screener;
use book::RowRef;
use std::io::Write;
use std::path::Path;
use stream::{Collector, Sink};

/// Exit status: every row evaluated.
pub const EXIT_OK: i32 = 0;
/// Exit status: some rows invalid (still printed).
pub const EXIT_INVALID_ROWS: i32 = 1;
/// Exit status: the input as a whole is unusable, or the output cannot be written.
pub const EXIT_UNUSABLE: i32 = 2;

/// Why `check` stopped before the end.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The input cannot be used; the message names the file (and the row, where there is one).
    #[error("{0}")]
    Input(String),
    #[error("cannot write the output: {0}")]
    Write(#[source] std::io::Error),
    #[error("cannot keep rows in a temporary file: {0}")]
    Spool(#[source] std::io::Error),
}

impl From<csv_io::CsvError> for CheckError {
    fn from(e: csv_io::CsvError) -> Self {
        CheckError::Input(e.to_string())
    }
}

/// What decisions of a run depend on besides the orders.
pub struct RunContext<'e> {
    pub engine: &'e Engine,
    pub scenario: Scenario,
    /// A session's licences and overrides (none for a CSV).
    pub licences: Vec<Licence>,
    pub overrides: Vec<DecisionOverride>,
    /// The screening list's vintage for the whole run; `None` when orders are not screened.
    pub vintage: Option<String>,
}

impl<'e> RunContext<'e> {
    pub fn new(engine: &'e Engine) -> Self {
        Self {
            engine,
            scenario: Scenario::default(),
            licences: Vec::new(),
            overrides: Vec::new(),
            vintage: None,
        }
    }

    /// The engine's context (screenings are passed per order).
    pub fn book_context(&self) -> BookContext<'_> {
        BookContext {
            scenario: &self.scenario,
            licences: &self.licences,
            overrides: &self.overrides,
            screenings: &[],
        }
    }

    /// The context a finding of `order` is rendered in.
    pub fn finding_context<'a>(
        &'a self,
        order: &'a crate::rules::Order,
        screening: Option<&'a crate::rules::Screening>,
    ) -> FindingContext<'a> {
        FindingContext {
            engine: self.engine,
            order,
            screening,
            licences: &self.licences,
            overrides: &self.overrides,
        }
    }
}

/// Renders a decision as the contract's JSON object (no newline), in the context it was made.
pub fn decision_json(ctx: &FindingContext, d: &Decision) -> String {
    let (mut id, mut out) = (Vec::new(), Vec::new());
    json::escape_into(&mut id, &ctx.order.id);
    let mut table = findings::FindingTable::default();
    let ids: Vec<u32> = d.findings.iter().map(|f| table.intern(f)).collect();
    let run = RunContext {
        engine: ctx.engine,
        scenario: Scenario::default(),
        licences: ctx.licences.to_vec(),
        overrides: ctx.overrides.to_vec(),
        vintage: ctx.screening.map(|s| s.list_vintage.clone()),
    };
    let line = render::Line {
        id: &id,
        outcome: render::Outcome::Decided {
            decision: d,
            findings: &ids,
            ctx: run.finding_context(ctx.order, ctx.screening),
        },
        extra_findings: &[],
    };
    let mut cache = findings::FindingCache::new(&run, &table);
    render::write_line(&mut out, &run, &mut cache, &line);
    out.pop();
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Threads `check` may use: one per core the process may run on.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Parses `--g2g CC,CC…`.
pub fn parse_g2g(engine: &Engine, list: &str) -> Result<Vec<CountryCode>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match CountryCode::parse(s) {
            Some(c) if engine.countries().get(c).is_some() => {
                crate::session::scenario_edit::check_g2g_country(engine, c)
                    .map(|()| c)
                    .map_err(|e| format!("--g2g: {e}"))
            }
            _ => Err(format!(
                "--g2g: `{s}` is not a known ISO 3166-1 alpha-2 code"
            )),
        })
        .collect()
}

/// Which restricted-party list screens the orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lists {
    /// The Consolidated Screening List shipped in the binary.
    Shipped,
    /// A trade.gov `consolidated.json` (gzip allowed).
    File(std::path::PathBuf),
    /// No screening (`--no-screening`): decisions carry no `screening` object.
    Off,
}

/// Runs the command, writing decisions to `out`; returns the exit status. Errors go to `err` as
/// one line each (warnings too).
pub fn run(
    engine: &Engine,
    input: &Path,
    g2g: &[CountryCode],
    lists: &Lists,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match check(engine, input, g2g, lists, &mut Sink::new(out), err) {
        Ok(false) => EXIT_OK,
        Ok(true) => EXIT_INVALID_ROWS,
        Err(CheckError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_UNUSABLE,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_UNUSABLE
        }
    }
}

/// The list's index, built on another thread while the input is read.
type IndexJob = std::thread::JoinHandle<Result<std::sync::Arc<ScreeningIndex>, String>>;

fn start_index(lists: &Lists) -> Option<IndexJob> {
    let lists = lists.clone();
    match lists {
        Lists::Off => None,
        Lists::Shipped => Some(std::thread::spawn(|| Ok(shipped_index()))),
        Lists::File(path) => Some(std::thread::spawn(move || {
            let list = import_file(&path).map_err(|e| e.to_string())?;
            Ok(std::sync::Arc::new(ScreeningIndex::build(
                std::sync::Arc::new(list),
            )))
        })),
    }
}

/// Reads, evaluates and writes; `Ok(true)` when some rows were invalid.
fn check(
    engine: &Engine,
    input: &Path,
    g2g: &[CountryCode],
    lists: &Lists,
    sink: &mut Sink,
    err: &mut dyn Write,
) -> Result<bool, CheckError> {
    let is_session = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    let index = start_index(lists);
    let mut collector = Collector::new(engine);
    let mut run = RunContext::new(engine);
    let mut record = ScreeningRecord::default();
    let mut for_every_decision = None;
    if is_session {
        let session = load_session(input, engine).map_err(|e| CheckError::Input(e.to_string()))?;
        for_every_decision = ruleset_differs(engine, input, &session.ruleset, err);
        if !session.licences.is_empty() || !session.overrides.is_empty() {
            collector.book_mut().keep_ids();
        }
        for (i, order) in session.orders.iter().enumerate() {
            collector.valid(
                order,
                RowRef {
                    row: i + 1,
                    line: 0,
                },
            )?;
        }
        run.scenario = session.scenario;
        run.licences = session.licences;
        run.overrides = session.overrides;
        record = session.screening;
    } else {
        read::read_csv(engine, input, &mut collector, sink)?;
    }
    run.scenario.g2g.extend(g2g.iter().copied());
    if let Some(job) = index {
        let index = job
            .join()
            .map_err(|_| CheckError::Input("the screening list could not be indexed".into()))?
            .map_err(CheckError::Input)?;
        let screener = IndexScreener::new(index);
        run.vintage = Some(screener.vintage().to_string());
        collector.book_mut().screen(&screener, &record);
    }
    let any_invalid = collector.any_invalid();
    stream::emit(collector, &run, for_every_decision.as_deref(), sink)?;
    Ok(any_invalid)
}

/// A session made with another ruleset (as the GUI's status bar says): a warning on `err` and
/// the `RULESET_DIFFERS` finding to add to every decision.
fn ruleset_differs(
    engine: &Engine,
    input: &Path,
    made_with: &crate::session::RulesetRef,
    err: &mut dyn Write,
) -> Option<Vec<u8>> {
    // The same test as `Workspace::ruleset_differs`: a session that records no hash is trusted.
    let current = engine.loaded();
    if made_with.sha256.is_empty() || made_with.sha256 == current.sha256 {
        return None;
    }
    let rs = engine.ruleset();
    let short = |h: &str| h.chars().take(12).collect::<String>();
    let _ = writeln!(
        err,
        "warning: {}: made with ruleset “{}” v{} (SHA-256 {}…), not the current “{}” v{} ({}…): \
         decisions are re-derived with the current one",
        input.display(),
        made_with.name,
        made_with.version,
        short(&made_with.sha256),
        rs.name,
        rs.version,
        short(&current.sha256)
    );
    Some(render::input_finding(
        "RULESET_DIFFERS",
        "session: ruleset.sha256",
        &format!(
            "The session was made with ruleset “{}” v{} (SHA-256 {}…); this decision uses “{}” v{} \
             (SHA-256 {}…).",
            made_with.name,
            made_with.version,
            short(&made_with.sha256),
            rs.name,
            rs.version,
            short(&current.sha256)
        ),
    ))
}
