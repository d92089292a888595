//! Diffusion Desk: thin entry point. The app, the engine and the commands live in the library.

use clap::{Parser, Subcommand};
use diffusion_desk::cli;
use diffusion_desk::session::{Workspace, demo};
use diffusion_desk::ui::screening_loader::ListSource;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

// Many small strings (orders, findings, the screening index): mimalloc frees and reuses them
// faster than glibc's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "diffusion-desk",
    version,
    about = "Decision support for the US AI Diffusion export rule (90 FR 4544). Not legal advice."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The app screens orders with this trade.gov consolidated screening list JSON file
    /// (consolidated.json, gzip allowed) instead of the built-in snapshot.
    #[arg(long, value_name = "FILE")]
    screening_list: Option<PathBuf>,
    /// Open the app on a team ledger: postgres://USER@HOST[:PORT]/DB[?sslmode=…]. The password
    /// comes from PGPASSWORD, ~/.pgpass or the app's Connect dialog, never from a file.
    #[arg(long, value_name = "URL")]
    ledger: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the app on a session file.
    Open { file: PathBuf },
    /// Evaluate an orders CSV or a session .ron: one JSON decision per line.
    Check {
        input: PathBuf,
        /// A ruleset RON file instead of the built-in one.
        #[arg(long)]
        ruleset: Option<PathBuf>,
        /// Countries with a government-to-government arrangement (doubled allocation), e.g. IN,BR.
        #[arg(long, value_name = "CC,CC…")]
        g2g: Option<String>,
        /// Screen with this trade.gov consolidated screening list JSON file (consolidated.json,
        /// gzip allowed) instead of the built-in snapshot.
        #[arg(long, value_name = "FILE", conflicts_with = "no_screening")]
        screening_list: Option<PathBuf>,
        /// Do not screen parties: decisions carry no `screening` object (for timing or comparing
        /// with the engine alone).
        #[arg(long)]
        no_screening: bool,
    },
    /// Render a view headlessly to a PNG.
    Screenshot {
        /// A view of the app's view registry.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(diffusion_desk::ui::view::ids()))]
        view: String,
        /// A session file (default: the demo session).
        #[arg(long)]
        session: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// Size in points, WxH.
        #[arg(long, default_value = "1280x800")]
        size: String,
        /// Render with the dark theme.
        #[arg(long)]
        dark: bool,
    },
    /// Export a session's deck: one PDF page (FILE.pdf) or one PNG per slide (into DIR).
    Deck {
        /// The session file whose deck is exported.
        #[arg(long)]
        session: PathBuf,
        /// FILE.pdf for a PDF, otherwise a folder for slide-01.png, slide-02.png, …
        #[arg(long, value_name = "DIR|FILE.pdf")]
        out: PathBuf,
        /// Slide size in points, WxH.
        #[arg(long, default_value = "1600x900")]
        size: String,
        /// Render with the dark theme.
        #[arg(long)]
        dark: bool,
    },
    /// Screen a party name against the restricted-party lists (U.S. Consolidated Screening List).
    Screen {
        name: String,
        /// The party's country (ISO code): corroborates a match, never filters.
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// Score from 0 to 1 at or above which a listed name is reported.
        #[arg(long, default_value_t = diffusion_desk::screening::DEFAULT_THRESHOLD)]
        threshold: f64,
        /// A trade.gov consolidated screening list JSON file (consolidated.json, gzip allowed)
        /// instead of the built-in snapshot.
        #[arg(long, value_name = "FILE")]
        screening_list: Option<PathBuf>,
    },
    /// Write the period report of a session (orders dated from..=to) as PDF or CSV.
    Report {
        #[arg(long)]
        session: PathBuf,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// FILE.pdf or FILE.csv.
        #[arg(long)]
        out: PathBuf,
        /// A trade.gov consolidated screening list JSON file instead of the built-in snapshot.
        #[arg(long, value_name = "FILE")]
        screening_list: Option<PathBuf>,
    },
    /// Team ledger on PostgreSQL: init, import, export, add.
    Ledger {
        #[command(subcommand)]
        command: cli::ledger::LedgerCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => run_gui(None, cli.screening_list, cli.ledger),
        Some(Command::Open { file }) => run_gui(Some(file), cli.screening_list, cli.ledger),
        Some(Command::Check {
            input,
            ruleset,
            g2g,
            screening_list,
            no_screening,
        }) => {
            let lists = match (no_screening, screening_list) {
                (true, _) => cli::check::Lists::Off,
                (false, Some(path)) => cli::check::Lists::File(path),
                (false, None) => cli::check::Lists::Shipped,
            };
            run_check(&input, ruleset.as_deref(), g2g.as_deref(), &lists)
        }
        Some(Command::Screenshot {
            view,
            session,
            out,
            size,
            dark,
        }) => {
            let fail = |e: String| {
                eprintln!("error: {e}");
                ExitCode::from(2)
            };
            let size = match cli::screenshot::parse_size(&size) {
                Ok(s) => s,
                Err(e) => return fail(e),
            };
            let ws = match workspace(session) {
                Ok(ws) => ws,
                Err(e) => return fail(e),
            };
            match cli::screenshot::render_view(ws, &view, size, dark, &out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Some(Command::Deck {
            session,
            out,
            size,
            dark,
        }) => {
            let code = cli::deck::run(
                &session,
                &out,
                &size,
                dark,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            );
            ExitCode::from(code)
        }
        Some(Command::Screen {
            name,
            country,
            threshold,
            screening_list,
        }) => run_screen(&name, country.as_deref(), threshold, screening_list),
        Some(Command::Report {
            session,
            from,
            to,
            out,
            screening_list,
        }) => {
            let args = cli::report::ReportArgs {
                session: &session,
                from: &from,
                to: &to,
                out: &out,
                screening_list: screening_list.as_deref(),
            };
            let code = cli::report::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
            ExitCode::from(code as u8)
        }
        Some(Command::Ledger { command }) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let code = cli::ledger::run(command, &mut out, &mut std::io::stderr());
            ExitCode::from(code as u8)
        }
    }
}

fn run_check(
    input: &Path,
    ruleset: Option<&Path>,
    g2g: Option<&str>,
    lists: &cli::check::Lists,
) -> ExitCode {
    let engine = match cli::engine_for(ruleset) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let g2g = match g2g.map(|s| cli::check::parse_g2g(&engine, s)).transpose() {
        Ok(list) => list.unwrap_or_default(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = cli::check::run(
        &engine,
        input,
        &g2g,
        lists,
        &mut out,
        &mut std::io::stderr(),
    );
    ExitCode::from(code as u8)
}

fn run_screen(
    name: &str,
    country: Option<&str>,
    threshold: f64,
    screening_list: Option<PathBuf>,
) -> ExitCode {
    let fail = |e: String| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    };
    let country = match country.map(cli::screen::parse_country).transpose() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let index = match cli::screen::load_index(screening_list.as_deref()) {
        Ok(index) => index,
        Err(e) => return fail(e),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = cli::screen::run(
        &index,
        index.list(),
        name,
        country,
        threshold,
        &mut out,
        &mut std::io::stderr(),
    );
    ExitCode::from(code as u8)
}

/// The workspace for a session file, or the embedded demo.
fn workspace(file: Option<PathBuf>) -> Result<Workspace, String> {
    let engine = Arc::new(diffusion_desk::rules::Engine::embedded());
    match file {
        None => Ok(demo::demo_workspace(engine)),
        Some(path) => {
            let s = diffusion_desk::session::file::load_session(&path, &engine)
                .map_err(|e| e.to_string())?;
            let mut ws = Workspace::new(engine, s);
            ws.path = Some(path);
            Ok(ws)
        }
    }
}

fn run_gui(
    file: Option<PathBuf>,
    screening_list: Option<PathBuf>,
    ledger: Option<String>,
) -> ExitCode {
    let started = std::time::Instant::now();
    // With a file, the app opens it itself (an error is shown in the window, not on stderr),
    // starting from an empty session rather than the demo.
    let engine = Arc::new(diffusion_desk::rules::Engine::embedded());
    // On a ledger, the app waits for it on an empty session rather than showing the demo.
    let ws = match (&file, &ledger) {
        (None, None) => demo::demo_workspace(engine),
        _ => Workspace::empty(engine),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Diffusion Desk")
            .with_app_id("diffusion-desk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    match eframe::run_native(
        "Diffusion Desk",
        options,
        Box::new(|_cc| {
            // Recent files and autosaves live in the per-user app data folder; an autosave left
            // there by a run that did not exit cleanly is offered for restore on the first frame.
            let list = screening_list.map_or(ListSource::Embedded, ListSource::File);
            let mut app = diffusion_desk::ui::DeskApp::new(ws)
                .with_screening(list)
                .with_data_dir(eframe::storage_dir("diffusion-desk"));
            if let Some(path) = &file {
                app = app.with_startup_file(path);
            }
            if let Some(url) = &ledger {
                app = app.with_ledger(url);
            }
            // DIFFUSION_DESK_TRACE_STARTUP=1 prints the time from start to the first drawn frame.
            if std::env::var_os("DIFFUSION_DESK_TRACE_STARTUP").is_some() {
                app.trace_startup(started);
            }
            Ok(Box::new(app))
        }),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot open a window: {e}");
            ExitCode::from(1)
        }
    }
}
