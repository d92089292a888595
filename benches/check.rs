//! `diffusion-desk check` end to end against Python's `csv` module merely parsing the same file.
//!
//! Quality bar (product.md): on a 100,000-row orders CSV, `check` takes no longer than
//! `python3 -c 'import csv,sys; [r for r in csv.reader(open(sys.argv[1], newline=""))]' FILE`,
//! in memory that does not grow with the input. Prints min and median wall times of both, the
//! ratio (check ÷ python, medians) and, when `/usr/bin/time` is installed, CPU time and peak RSS.
//! Also times `check --no-screening`: screening must cost no more than 1.5× (product.md). The
//! shipped list's index is read from the user's cache after the first run (see
//! `src/screening/stored_index.rs`); `cold` times `check` with that cache turned off, as a
//! first run after installing sees it.
//!
//! ```sh
//! cargo bench --bench check
//! CHECK_BENCH_BIN=/path/to/other/diffusion-desk cargo bench --bench check   # compare a build
//! ```
//! Environment: `CHECK_BENCH_ROWS` (default 100000), `CHECK_BENCH_RUNS` (default 9),
//! `CHECK_BENCH_BIN` (the binary to time; default this build's), `CHECK_BENCH_KEEP` (a path to
//! keep the generated CSV at, e.g. for hyperfine or perf).

use diffusion_desk::rules::{Engine, Scenario};
use diffusion_desk::session::csv_io::write_orders_csv;
use diffusion_desk::session::synthetic::synthetic_orders;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PYTHON_PARSE: &str =
    "import csv,sys; [r for r in csv.reader(open(sys.argv[1], newline=\"\"))]";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The same book as `benches/engine.rs` (seed 11): orders written with their decision columns,
/// as the app exports them, so figures compare with earlier measurements.
fn write_book(path: &Path, rows: usize) -> u64 {
    let engine = Engine::embedded();
    let orders = synthetic_orders(&engine, rows, 11);
    let decisions = engine.evaluate_book(&Scenario::default(), &orders);
    let bytes = write_orders_csv(&engine, &orders, &decisions).expect("csv");
    std::fs::write(path, &bytes).expect("write the book");
    bytes.len() as u64
}

/// Wall time of each of `runs` runs of `cmd`, stdout to /dev/null; panics unless it succeeds.
fn time_runs(runs: usize, mut cmd: impl FnMut() -> Command) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let status = cmd()
                .stdout(Stdio::null())
                .status()
                .expect("the command runs");
            let elapsed = t.elapsed();
            assert!(status.success(), "{status}");
            elapsed
        })
        .collect();
    times.sort();
    times
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// `(wall s, user s, sys s, max RSS KiB)` of one run under `/usr/bin/time`, if installed.
fn time_v(cmd: &mut Command) -> Option<(f64, f64, f64, u64)> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let prog = cmd.get_program().to_owned();
    let mut timed = Command::new(time);
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => timed.env(key, v),
            None => timed.env_remove(key),
        };
    }
    let out = timed
        .args(["-f", "%e %U %S %M"])
        .arg(prog)
        .args(cmd.get_args())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let mut f = text.lines().last()?.split_whitespace();
    Some((
        f.next()?.parse().ok()?,
        f.next()?.parse().ok()?,
        f.next()?.parse().ok()?,
        f.next()?.parse().ok()?,
    ))
}

fn report(name: &str, times: &[Duration], cmd: &mut Command) -> f64 {
    let min = secs(times[0]);
    let median = secs(times[times.len() / 2]);
    print!("{name:<8} min {min:.3} s, median {median:.3} s");
    if let Some((wall, user, sys, rss)) = time_v(cmd) {
        print!(
            "; one run under /usr/bin/time: {wall:.2} s wall, {:.2} s CPU, peak RSS {:.1} MiB",
            user + sys,
            rss as f64 / 1024.0
        );
    }
    println!();
    median
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument (e.g. a filter) that excludes us: skip.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"check".contains(&a))
    {
        return;
    }
    let rows: usize = env_or("CHECK_BENCH_ROWS", 100_000);
    let runs: usize = env_or::<usize>("CHECK_BENCH_RUNS", 9).max(1);
    let bin: PathBuf = std::env::var_os("CHECK_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_diffusion-desk")));
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = std::env::var_os("CHECK_BENCH_KEEP")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("orders.csv"));
    let bytes = write_book(&csv, rows);
    println!(
        "check bench: {rows} rows, {:.1} MB at {}; {runs} runs each; {} logical CPUs",
        bytes as f64 / 1e6,
        csv.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let python = || {
        let mut c = Command::new("python3");
        c.args(["-c", PYTHON_PARSE]).arg(&csv);
        c
    };
    let check = || {
        let mut c = Command::new(&bin);
        c.arg("check").arg(&csv);
        c
    };
    let unscreened = || {
        let mut c = Command::new(&bin);
        c.args(["check", "--no-screening"]).arg(&csv);
        c
    };
    let cold = || {
        let mut c = check();
        c.env("DIFFUSION_DESK_INDEX_CACHE", "off");
        c
    };
    // Warm the page cache, the programs and the stored index once before timing.
    let _ = time_runs(1, python);
    let _ = time_runs(1, check);
    let _ = time_runs(1, unscreened);
    // Interleave them so that load from other processes hits them alike.
    let mut py_times = Vec::new();
    let mut check_times = Vec::new();
    let mut unscreened_times = Vec::new();
    let mut cold_times = Vec::new();
    for _ in 0..runs {
        py_times.extend(time_runs(1, python));
        check_times.extend(time_runs(1, check));
        unscreened_times.extend(time_runs(1, unscreened));
        cold_times.extend(time_runs(1, cold));
    }
    py_times.sort();
    check_times.sort();
    unscreened_times.sort();
    cold_times.sort();
    println!("binary: {}", bin.display());
    let py = report("python", &py_times, &mut python());
    let ck = report("check", &check_times, &mut check());
    let bare = report("no-scr", &unscreened_times, &mut unscreened());
    let first = report("cold", &cold_times, &mut cold());
    println!(
        "ratio check / python-csv-parse: {:.2} (medians), {:.2} (minimums); bar: ≤ 1",
        ck / py,
        secs(check_times[0]) / secs(py_times[0])
    );
    println!(
        "ratio check / check --no-screening: {:.2} (medians), {:.2} (minimums); bar: ≤ 1.5",
        ck / bare,
        secs(check_times[0]) / secs(unscreened_times[0])
    );
    println!(
        "ratio cold check (index built, not read from the cache) / check --no-screening: {:.2} \
         (medians)",
        first / bare
    );
}
