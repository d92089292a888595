//! Runs `diffusion-desk screen` and checks its output and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn screen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
        .arg("screen")
        .args(args)
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A small list in trade.gov's shape, with a field the importer does not know.
fn list_file(dir: &tempfile::TempDir) -> PathBuf {
    let path = dir.path().join("csl-2026-08-15.json");
    std::fs::write(
        &path,
        r#"{"results": [
  {"name": "Inspur Group Co., Ltd.", "alt_names": ["Inspur Group", "IGL"], "entity_number": "E-1",
   "source": "Entity List (EL) - Bureau of Industry and Security",
   "addresses": [{"country": "CN", "city": "Jinan"}], "license_policy": "Presumption of denial.",
   "start_date": "2023-03-06"},
  {"name": "Rosoboronexport", "alt_names": ["Russian Defense Export Agency"],
   "source": "Specially Designated Nationals (SDN) - Treasury Department", "addresses": [{"country": "RU"}]}
]}"#,
    )
    .unwrap();
    path
}

#[test]
fn the_shipped_list_finds_a_listed_party() {
    let out = screen(&["Inspur Group", "--country", "CN"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("screening list vintage 2026-07-31 (embedded:"),
        "{stdout}"
    );
    assert!(
        lines.any(|l| l.contains(" EL ")
            && l.contains("Inspur Group Co., Ltd.")
            && l.contains("exact")),
        "{stdout}"
    );
}

#[test]
fn another_list_file_is_used_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = list_file(&dir);
    let out = screen(&[
        "Russian Defence Export Agency",
        "--screening-list",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("screening list vintage 2026-08-15 ("),
        "{stdout}"
    );
    assert!(
        stdout.contains("SDN    Rosoboronexport | alias 'Russian Defense Export Agency'"),
        "{stdout}"
    );
    assert!(stdout.contains("'defence' ≈ 'defense'"), "{stdout}");
    let out = screen(&[
        "Northwind Cloud Inc.",
        "--threshold",
        "0.5",
        "--screening-list",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).ends_with("no match above threshold 0.50\n"));
}

#[test]
fn unusable_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"results\": [\n  {\"name\": \"A\" \"source\": \"x\"}\n]}",
    )
    .unwrap();
    let out = screen(&["Inspur", "--screening-list", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad.json:2:") && stderr.contains("results[0]"),
        "{stderr}"
    );

    let missing = dir.path().join("missing.json");
    let out = screen(&["Inspur", "--screening-list", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read"));

    let path = list_file(&dir);
    let out = screen(&[
        "Inspur",
        "--country",
        "CHN",
        "--screening-list",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--country"));
    let out = screen(&["...", "--screening-list", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("no letters or digits"));
}

/// `screen` with the user's cache folder in `cache` (or the index cache turned off).
fn screen_with_cache(cache: Option<&std::path::Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_diffusion-desk"));
    cmd.arg("screen").args(args);
    match cache {
        Some(dir) => cmd.env("XDG_CACHE_HOME", dir),
        None => cmd.env("DIFFUSION_DESK_INDEX_CACHE", "off"),
    };
    cmd.output().expect("runs")
}

#[test]
fn the_stored_index_gives_what_a_fresh_build_gives_and_a_damaged_one_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("diffusion-desk");
    let stored_files = || -> Vec<PathBuf> {
        std::fs::read_dir(&folder)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default()
    };
    let names: [&[&str]; 3] = [
        &["Inspur Group", "--country", "CN"],
        &["Hua Wei Technologies"],
        &["Acme Widgets of Ohio"],
    ];
    for args in names {
        let fresh = screen_with_cache(None, args);
        assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh.stderr));
        // The first run stores the index, the second reads it back.
        for round in ["stores", "reads"] {
            let cached = screen_with_cache(Some(dir.path()), args);
            assert_eq!(
                text(&cached.stdout),
                text(&fresh.stdout),
                "{args:?}, run that {round} the index"
            );
            assert_eq!(
                stored_files().len(),
                1,
                "one stored index in {}",
                folder.display()
            );
        }
    }
    let stored = stored_files().remove(0);
    let name = stored.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("screening-index-") && name.ends_with(".bin"),
        "{name}"
    );

    let mut bytes = std::fs::read(&stored).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&stored, &bytes).unwrap();
    let after_damage = screen_with_cache(Some(dir.path()), names[0]);
    assert_eq!(
        text(&after_damage.stdout),
        text(&screen_with_cache(None, names[0]).stdout)
    );
    assert_ne!(
        std::fs::read(&stored).unwrap(),
        bytes,
        "the damaged file was replaced"
    );
}
