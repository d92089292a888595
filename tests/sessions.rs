//! Session files and orders CSV without a GUI: round trips, shipped sessions, bad files (rejected
//! with a clear message and left byte-for-byte as they were), interrupted saves, CSV import.

use diffusion_desk::cc;
use diffusion_desk::rules::{
    CountryCode, Engine, Item, Order, Scenario, ScreeningStatus, Verdict, VeuStatus,
};
use diffusion_desk::screening::{IndexScreener, adapter::embedded_index};
use diffusion_desk::session::audit::{self, Action};
use diffusion_desk::session::csv_io::{self, MAX_CSV_BYTES};
use diffusion_desk::session::file::{
    self, MAX_SESSION_BYTES, SessionError, load_session, load_session_limited,
    prepare_atomic_write, save_session, save_session_limited,
};
use diffusion_desk::session::{
    MapOverlay, MapViewState, Party, PlotId, PlotScale, PlotSettings, PlotUnit, RulesetRef,
    Session, ViewId, ViewState, Workspace,
};
use diffusion_desk::session::{history_query, licence_book, timeline};
use jiff::civil::Date;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, LazyLock};
use std::time::SystemTime;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::embedded);

fn engine() -> &'static Engine {
    &ENGINE
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_diffusion-desk"))
}

fn shipped_sessions() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

fn compliance_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/compliance-quarter.ron")
}

// ---- round trip -------------------------------------------------------------------------------

fn country() -> impl Strategy<Value = CountryCode> {
    let codes: Vec<CountryCode> = engine()
        .countries()
        .all()
        .iter()
        .map(|c| c.alpha2)
        .collect();
    proptest::sample::select(codes)
}

fn chip_id() -> impl Strategy<Value = String> {
    let ids: Vec<String> = engine()
        .chips()
        .chips
        .iter()
        .filter(|c| c.orderable)
        .map(|c| c.id.clone())
        .collect();
    proptest::sample::select(ids)
}

/// Names with the characters that need care in RON strings: quotes, backslashes, non-ASCII.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 .,'\"\\\\()&/é—üßø中-]{0,23}"
}

fn date() -> impl Strategy<Value = Date> {
    // The modelled period: 2025-01-13 (effective) to 2027-12-31.
    (0i64..=1082).prop_map(|d| {
        Date::new(2025, 1, 13)
            .unwrap()
            .checked_add(jiff::Span::new().days(d))
            .unwrap()
    })
}

fn veu() -> impl Strategy<Value = VeuStatus> {
    prop_oneof![
        Just(VeuStatus::None),
        Just(VeuStatus::Uveu),
        Just(VeuStatus::Nveu)
    ]
}

fn item_and_quantity() -> impl Strategy<Value = (Item, u64)> {
    prop_oneof![
        4 => (chip_id(), 1u64..=diffusion_desk::rules::order::MAX_QUANTITY)
            .prop_map(|(id, q)| (Item::Chip(id), q)),
        1 => (
            prop_oneof![Just(1e26), Just(3e26), Just(5e25), 1e20f64..1e30],
            any::<bool>()
        )
            .prop_map(|(training_ops, open_weights)| (
                Item::ModelWeights {
                    training_ops,
                    open_weights
                },
                1
            )),
    ]
}

fn order() -> impl Strategy<Value = Order> {
    (
        name(),
        date(),
        country(),
        name(),
        country(),
        proptest::option::of(country()),
        veu(),
        item_and_quantity(),
        proptest::option::of(name()),
    )
        .prop_map(
            |(
                id,
                date,
                destination,
                consignee,
                consignee_hq,
                parent_hq,
                veu,
                (item, quantity),
                parent,
            )| {
                Order {
                    id,
                    date,
                    destination,
                    consignee,
                    consignee_hq,
                    parent,
                    parent_hq,
                    veu,
                    item,
                    quantity,
                    licence: None,
                }
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        proptest::collection::btree_set(country(), 0..6),
        proptest::collection::btree_map(
            name(),
            proptest::collection::btree_map(country(), 0u64..10_000_000_000_000, 1..4),
            0..3,
        ),
    )
        .prop_map(|(g2g, installed_base)| Scenario {
            g2g,
            installed_base,
        })
}

fn view_state() -> impl Strategy<Value = ViewState> {
    (
        proptest::sample::select(diffusion_desk::ui::view::ids()),
        0.05f32..64.0,
        -3.0f32..3.0,
        -2.0f32..2.0,
        any::<bool>(),
        proptest::option::of(country()),
        proptest::sample::select(diffusion_desk::ui::plots_view::plot_ids()),
        proptest::sample::select(vec![
            PlotUnit::H100eByTpp,
            PlotUnit::Tpp,
            PlotUnit::SourceUnits,
        ]),
        any::<bool>(),
        proptest::collection::vec(name(), 0..3),
        proptest::option::of(country()),
    )
        .prop_map(
            |(view, zoom, x, y, alloc, selected, kind, unit, log, figures, plot_country)| {
                ViewState {
                    view: ViewId::new(view),
                    what_if: None,
                    calculator: Default::default(),
                    map: MapViewState {
                        zoom,
                        center: [x, y],
                        overlay: if alloc {
                            MapOverlay::AllocationUse
                        } else {
                            MapOverlay::Tier
                        },
                        selected,
                    },
                    plots: PlotSettings {
                        kind: PlotId::new(kind),
                        unit,
                        scale: if log {
                            PlotScale::Log
                        } else {
                            PlotScale::Linear
                        },
                        selected_figures: figures,
                        country: plot_country,
                    },
                }
            },
        )
}

fn party() -> impl Strategy<Value = Party> {
    (name(), country(), proptest::option::of(country()), veu()).prop_map(
        |(name, hq, parent_hq, veu)| Party {
            name,
            hq,
            parent: None,
            parent_hq,
            veu,
        },
    )
}

fn session() -> impl Strategy<Value = Session> {
    (
        "\\PC{0,40}",
        "(\\PC|\n|\t){0,120}",
        scenario(),
        proptest::collection::vec(party(), 0..4),
        proptest::collection::vec(order(), 0..25),
        view_state(),
    )
        .prop_map(|(title, notes, scenario, parties, orders, view)| {
            let mut s = Session::new(&title, RulesetRef::of(engine().loaded()));
            s.notes = notes;
            s.scenario = scenario;
            s.parties = parties;
            s.orders = orders;
            s.view = view;
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_session_saves_and_loads_identically(s in session()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.ron");
        save_session(&path, &s).unwrap();
        let loaded = load_session(&path, engine()).unwrap();
        prop_assert_eq!(&loaded, &s);
        // Decisions are not stored; derived again from the loaded file they are the same.
        prop_assert_eq!(
            engine().evaluate_book(&loaded.scenario, &loaded.orders),
            engine().evaluate_book(&s.scenario, &s.orders)
        );
    }
}

#[test]
fn saved_files_hold_no_decisions_and_rederive_the_same_ones() {
    let engine = Arc::new(Engine::embedded());
    let s = load_session(&compliance_path(), &engine).unwrap();
    let ws = Workspace::new(engine.clone(), s.clone());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.ron");
    save_session(&path, &ws.session).unwrap();
    // The history records the outcomes each event changed, and an override names the verdict a
    // person asked for: both are part of the record. Nothing else stores a decision.
    let mut bare = ws.session.clone();
    bare.history.clear();
    bare.overrides.clear();
    let text = diffusion_desk::session::file::to_ron(&bare);
    for word in ["verdict", "authority", "findings", "LicenseRequired"] {
        assert!(!text.contains(word), "a saved session stores `{word}`");
    }
    let reopened = Workspace::new(engine.clone(), load_session(&path, &engine).unwrap());
    assert_eq!(reopened.session, ws.session);
    assert_eq!(reopened.decisions(), ws.decisions());
    assert_eq!(reopened.summary(), ws.summary());
}

// ---- shipped sessions -------------------------------------------------------------------------

#[test]
fn every_shipped_session_loads_and_checks_with_exit_0() {
    let files = shipped_sessions();
    assert!(files.len() >= 2, "presenter demo and compliance quarter");
    for path in files {
        let s = load_session(&path, engine())
            .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
        let out = bin().arg("check").arg(&path).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let lines = String::from_utf8(out.stdout).unwrap();
        assert_eq!(lines.lines().count(), s.orders.len(), "{}", path.display());
    }
}

#[test]
fn shipped_sessions_pin_the_current_ruleset_or_none() {
    // A pinned hash that no longer matches means the ruleset changed: re-check the session's
    // notes against its decisions, then update the hash.
    for path in shipped_sessions() {
        let s = load_session(&path, engine()).unwrap();
        assert!(
            s.ruleset.sha256.is_empty() || s.ruleset.sha256 == engine().loaded().sha256,
            "{} was checked against another ruleset",
            path.display()
        );
    }
}

/// The shipped quarter as the app opens it: screened against the embedded list.
fn compliance_workspace() -> Workspace {
    let engine = Arc::new(Engine::embedded());
    let s = load_session(&compliance_path(), &engine).unwrap();
    let mut ws = Workspace::new(engine, s);
    ws.set_screener(Arc::new(IndexScreener::new(embedded_index())));
    ws
}

#[allow(dead_code)] // Only `build` and the file comment are used here.
#[path = "../examples/build_compliance_quarter.rs"]
mod generator;

#[test]
fn compliance_quarter_is_what_its_generator_builds() {
    // The file is built through the Workspace API; edits by hand would break its history.
    let built = generator::build();
    let text = format!(
        "{}{}",
        generator::FILE_COMMENT,
        diffusion_desk::session::file::to_ron(&built)
    );
    let shipped = std::fs::read_to_string(compliance_path()).unwrap();
    assert!(
        text == shipped,
        "saved_sessions/compliance-quarter.ron is out of date: run \
         `cargo run --example build_compliance_quarter`"
    );
}

#[test]
fn compliance_quarter_history_verifies_and_replays_to_the_book() {
    let ws = compliance_workspace();
    assert!(
        ws.history_status().is_verified(),
        "{:?}",
        ws.history_status()
    );
    let h = &ws.session.history;
    assert!(matches!(h[0].action, Action::Created));
    let replayed = audit::replay(h).unwrap();
    assert!(audit::same_audited_state(&ws.session, &replayed));
    // Replayed, the book decides the same.
    let mut again = Workspace::new(Arc::clone(&ws.engine), {
        let mut s = replayed;
        s.history = h.clone();
        s
    });
    again.set_screener(Arc::new(IndexScreener::new(embedded_index())));
    assert_eq!(again.decisions(), ws.decisions());
    // Two people, and every change at or after the one before.
    assert_eq!(history_query::users(h), ["ralvarez", "snakamura"]);
    assert!(h.windows(2).all(|w| w[0].at <= w[1].at));
    // Every decision traces back to the events that produced it: each order was created, and an
    // order whose outcome differs from the rules alone has the event that changed it.
    for o in ws.orders() {
        let t = timeline::order_timeline(h, &o.id);
        assert!(t[0].text.starts_with("created by ralvarez"), "{}", o.id);
    }
    let q21 = timeline::sentence(&timeline::order_timeline(h, "Q3-021"));
    assert!(
        q21.contains(
            "decision changed on 2025-08-15 because order Q3-011 was back-dated \
             (authorized under LPP → license required)"
        ),
        "{q21}"
    );
    let q33 = timeline::sentence(&timeline::order_timeline(h, "Q3-033"));
    assert!(
        q33.contains("match confirmed by snakamura on 2025-09-24"),
        "{q33}"
    );
    assert!(
        q33.contains("match cleared by snakamura on 2025-09-24"),
        "{q33}"
    );
    let q04 = timeline::sentence(&timeline::order_timeline(h, "Q3-004"));
    assert!(
        q04.contains("licence approved as D1182045 on 2025-07-02"),
        "{q04}"
    );
    assert_eq!(ws.session.voided.len(), 1);
    assert_eq!(ws.session.voided[0].by, "ralvarez");
    // Tampering with any event of the quarter is found at that event.
    for i in 0..h.len() {
        let mut s = ws.session.clone();
        s.history[i].reason.push('.');
        let status = diffusion_desk::session::workspace::HistoryStatus::check(&s);
        match status {
            diffusion_desk::session::workspace::HistoryStatus::Broken(b) => {
                assert_eq!(b.position(), i + 1, "{b}")
            }
            other => panic!("event {}: {other:?}", i + 1),
        }
    }
}

#[test]
fn compliance_quarter_verdicts_are_what_its_notes_say() {
    use Verdict::*;
    use diffusion_desk::rules::Authority::{self, *};
    let ws = compliance_workspace();
    let expected: &[(&str, Verdict, Authority)] = &[
        ("Q3-001", Authorized, Aia),
        ("Q3-002", Authorized, Lpp),
        ("Q3-003", Authorized, Aia),
        ("Q3-004", Authorized, License),
        ("Q3-005", Authorized, Uveu),
        ("Q3-006", Authorized, Nveu),
        ("Q3-007", PresumptionOfDenial, None),
        ("Q3-008", NotControlled, None),
        ("Q3-009", Authorized, Aca),
        ("Q3-010", Authorized, Lpp),
        ("Q3-011", Authorized, Lpp),
        ("Q3-012", Authorized, License),
        ("Q3-013", PresumptionOfDenial, None),
        ("Q3-014", PresumptionOfDenial, None),
        ("Q3-015", Authorized, Aia),
        ("Q3-016", Authorized, License),
        ("Q3-017", PresumptionOfDenial, None),
        ("Q3-018", NotControlled, None),
        ("Q3-019", NotControlled, None),
        ("Q3-020", LicenseRequired, None),
        ("Q3-021", LicenseRequired, None),
        ("Q3-022", Authorized, License),
        ("Q3-023", LicenseRequired, None),
        ("Q3-024", PresumptionOfDenial, None),
        ("Q3-025", Authorized, Lpp),
        ("Q3-026", LicenseRequired, None),
        ("Q3-027", Authorized, Lpp),
        ("Q3-028", LicenseRequired, None),
        ("Q3-029", LicenseRequired, None),
        ("Q3-030", Authorized, Lpp),
        ("Q3-031", PresumptionOfDenial, None),
        ("Q3-032", LicenseRequired, None),
        ("Q3-033", PresumptionOfDenial, None),
        ("Q3-034", Authorized, Aia),
        ("Q3-036", Hold, None),
    ];
    let ids: Vec<&str> = ws.orders().iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, expected.iter().map(|e| e.0).collect::<Vec<_>>());
    let decisions = ws.decisions();
    for (d, (id, v, a)) in decisions.iter().zip(expected) {
        assert_eq!((d.verdict, d.authority), (*v, *a), "{id}");
    }
    // Every verdict other than `invalid` (a file cannot hold invalid orders) and every authority.
    for v in Verdict::ALL.into_iter().filter(|v| *v != Invalid) {
        assert!(decisions.iter().any(|d| d.verdict == v), "{v:?}");
    }
    for a in Authority::ALL {
        assert!(decisions.iter().any(|d| d.authority == a), "{a:?}");
    }
}

#[test]
fn compliance_quarter_figures_are_what_its_notes_say() {
    let ws = compliance_workspace();
    let ids: Vec<&str> = ws.orders().iter().map(|o| o.id.as_str()).collect();
    let decisions = ws.decisions();
    let by_id = |id: &str| &decisions[ids.iter().position(|x| *x == id).unwrap()];
    let codes = |id: &str| -> Vec<&'static str> {
        by_id(id).findings.iter().map(|f| f.code_str()).collect()
    };
    let remaining_after = |id: &str| by_id(id).draw.and_then(|d| d.remaining_after());
    assert_eq!(
        remaining_after("Q3-011"),
        Some(3_152_000),
        "Bharat LPP room"
    );
    assert_eq!(remaining_after("Q3-027"), Some(777_200), "Bharat LPP room");
    assert_eq!(remaining_after("Q3-016"), Some(0), "D1182045 used up");
    assert_eq!(
        remaining_after("Q3-022"),
        Some(280_000_000),
        "D1190377 left"
    );
    assert_eq!(remaining_after("Q3-012"), Some(256), "D1179530 left");
    assert_eq!(by_id("Q3-004").allocation_draw, 756_000_000);
    assert_eq!(by_id("Q3-022").allocation_draw, 1_000_000_000);
    assert_eq!(by_id("Q3-022").allocation_remaining_tpp, Some(580_000_000));
    assert_eq!(
        by_id("Q3-029").allocation_remaining_tpp,
        Some(1_600_000),
        "Malaysia's allocation left"
    );
    assert_eq!(by_id("Q3-029").allocation_draw, 32_400_000);
    assert!(!by_id("Q3-024").counts_against_allocation());
    assert!(!by_id("Q3-025").counts_against_allocation());
    assert!(
        !by_id("Q3-026").counts_against_allocation(),
        "denied: released"
    );
    assert!(by_id("Q3-020").counts_against_allocation(), "override");
    assert!(codes("Q3-029").contains(&"LICENSE_USED_UP"));
    assert!(codes("Q3-032").contains(&"LICENSE_EXPIRED"));
    assert!(codes("Q3-028").contains(&"LICENSE_PENDING"));
    assert!(codes("Q3-026").contains(&"LICENSE_DENIED"));
    assert!(codes("Q3-020").contains(&"OVERRIDE_APPLIED"));
    assert!(codes("Q3-005").contains(&"UVEU_SHARES_HOLD"));
    assert!(codes("Q3-023").contains(&"UVEU_SHARE_BREACHED"));
    assert!(codes("Q3-022").contains(&"NVEU_EXCEEDS_SCHEDULE"));
    assert!(codes("Q3-030").contains(&"UVEU_INELIGIBLE"));
    assert!(codes("Q3-012").contains(&"TIER3_LINK"));
    // Holds: confirmed, cleared, and one still open.
    let status = |id: &str| by_id(id).screening.unwrap();
    assert_eq!(status("Q3-033"), ScreeningStatus::ConfirmedMatch);
    assert_eq!(status("Q3-034"), ScreeningStatus::Cleared);
    assert_eq!(status("Q3-036"), ScreeningStatus::PossibleMatch);
    assert_eq!(status("Q3-001"), ScreeningStatus::Clear);
}

#[test]
fn compliance_quarter_has_licences_in_every_state() {
    let ws = compliance_workspace();
    let decisions = ws.decisions();
    // On the quarter's last day.
    let uses = licence_book::licence_uses(
        &ws.session.licences,
        ws.orders(),
        decisions,
        "2025-09-30".parse().unwrap(),
    );
    let standing = |n: &str| {
        let i = ws
            .session
            .licences
            .iter()
            .position(|l| l.is_named(n))
            .unwrap();
        uses[i].standing
    };
    use licence_book::Standing;
    assert_eq!(standing("D1182045"), Standing::UsedUp);
    assert_eq!(standing("D1190377"), Standing::Drawing);
    assert_eq!(standing("D1179530"), Standing::Expired);
    assert_eq!(standing("Z1060214"), Standing::Applied);
    assert_eq!(standing("Z1049987"), Standing::Denied);
}

#[test]
fn check_prints_orders_shipped_under_a_licence() {
    let out = bin().arg("check").arg(compliance_path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let licensed: Vec<&str> = lines
        .iter()
        .filter(|j| j["authority"] == "LICENSE")
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(licensed, ["Q3-004", "Q3-012", "Q3-016", "Q3-022"]);
    let q22 = lines.iter().find(|j| j["id"] == "Q3-022").unwrap();
    assert_eq!(q22["verdict"], "authorized");
    let messages = q22["findings"].to_string();
    assert!(
        messages.contains("Shipped under licence D1190377: 280M of 1B TPP left"),
        "{messages}"
    );
}

#[test]
fn a_version_1_session_opens_with_a_history_that_begins_with_its_import() {
    let engine = Arc::new(Engine::embedded());
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compliance-quarter-v1.ron");
    let s = load_session(&path, &engine).unwrap();
    let orders = s.orders.clone();
    let ws = Workspace::new(engine, s);
    assert_eq!(
        ws.session.format_version,
        diffusion_desk::session::FORMAT_VERSION
    );
    let h = &ws.session.history;
    assert_eq!(h.len(), 1);
    match &h[0].action {
        Action::Imported {
            from_version,
            snapshot,
        } => {
            assert_eq!(*from_version, 1);
            assert_eq!(snapshot.orders, orders);
        }
        other => panic!("{other:?}"),
    }
    assert!(ws.history_status().is_verified());
    assert!(audit::same_audited_state(
        &ws.session,
        &audit::replay(h).unwrap()
    ));
    // Its orders' timelines say where they came from.
    let t = timeline::order_timeline(h, "Q3-001");
    assert!(
        t[0].text
            .starts_with("in the session imported from version 1"),
        "{t:?}"
    );
}

// ---- bad files --------------------------------------------------------------------------------

/// A file's bytes and modification time, to prove a failed load left it alone.
struct Untouched {
    path: PathBuf,
    bytes: Vec<u8>,
    modified: SystemTime,
}

impl Untouched {
    fn write(dir: &Path, name: &str, bytes: &[u8]) -> Self {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        // An old mtime makes any rewrite visible even on coarse-grained filesystems.
        let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        Self {
            path,
            bytes: bytes.to_vec(),
            modified: old,
        }
    }

    fn assert_untouched(&self) {
        assert_eq!(
            std::fs::read(&self.path).unwrap(),
            self.bytes,
            "bytes changed"
        );
        assert_eq!(
            std::fs::metadata(&self.path).unwrap().modified().unwrap(),
            self.modified,
            "mtime changed"
        );
        // Nothing was written beside it either (no temporary or backup files).
        let dir = self.path.parent().unwrap();
        let others: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with('.'))
            .collect();
        assert!(others.is_empty(), "stray files: {others:?}");
    }

    /// `check FILE` exits 2 with one line on stderr naming the file, and prints nothing.
    fn assert_check_refuses(&self, expect: &str) {
        let out = bin().arg("check").arg(&self.path).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(&self.path.display().to_string()), "{err}");
        assert!(err.contains(expect), "`{expect}` not in {err}");
        self.assert_untouched();
    }
}

const ORDER_LINE: &str = r#"(id: "A-1", date: "2025-07-01", destination: "IN", consignee: "Bharat Compute Pvt", consignee_hq: "IN", item: Chip("h100-sxm"), quantity: 100),"#;

fn session_text(version: u32, orders: &[&str]) -> String {
    format!(
        "(\n  format_version: {version},\n  title: \"Test\",\n  orders: [\n    {}\n  ],\n)\n",
        orders.join("\n    ")
    )
}

#[test]
fn malformed_ron_is_reported_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    // Line 6 (the second order) has `12 34` where a number should be.
    let text = session_text(
        1,
        &[
            ORDER_LINE,
            r#"(id: "A-2", date: "2025-07-02", destination: "IN", consignee: "X", consignee_hq: "IN", item: Chip("h100-sxm"), quantity: 12 34),"#,
        ],
    );
    let f = Untouched::write(dir.path(), "broken.ron", text.as_bytes());
    match load_session(&f.path, engine()).unwrap_err() {
        SessionError::Parse { line, column, .. } => {
            assert_eq!(line, 6);
            assert!(column > 100, "column {column}");
        }
        e => panic!("{e}"),
    }
    let msg = load_session(&f.path, engine()).unwrap_err().to_string();
    assert!(
        msg.starts_with(&format!("{}:6:", f.path.display())),
        "{msg}"
    );
    f.assert_untouched();
    f.assert_check_refuses(":6:");
}

#[test]
fn truncated_file_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read(compliance_path()).unwrap();
    let f = Untouched::write(dir.path(), "truncated.ron", &full[..full.len() * 2 / 3]);
    let e = load_session(&f.path, engine()).unwrap_err();
    assert!(matches!(e, SessionError::Parse { .. }), "{e}");
    f.assert_check_refuses("not a valid session");
    // Cut at the very end: the closing parenthesis is missing.
    let g = Untouched::write(dir.path(), "cut.ron", &full[..full.len() - 3]);
    let e = load_session(&g.path, engine()).unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");
    g.assert_untouched();
}

#[test]
fn newer_format_version_is_reported_as_newer() {
    let dir = tempfile::tempdir().unwrap();
    // Same shape, higher number.
    let f = Untouched::write(
        dir.path(),
        "v99.ron",
        session_text(99, &[ORDER_LINE]).as_bytes(),
    );
    assert_eq!(
        load_session(&f.path, engine()).unwrap_err(),
        SessionError::NewerVersion {
            file: f.path.display().to_string(),
            found: 99,
            supported: diffusion_desk::session::FORMAT_VERSION
        }
    );
    f.assert_check_refuses("format version 99 is newer");
    // A field this version does not know does not hide the real reason.
    let text = session_text(diffusion_desk::session::FORMAT_VERSION + 1, &[ORDER_LINE]).replace(
        "title: \"Test\",",
        "title: \"Test\",\n  approvals: [(by: \"CFO\")],",
    );
    let g = Untouched::write(dir.path(), "v2.ron", text.as_bytes());
    assert!(matches!(
        load_session(&g.path, engine()).unwrap_err(),
        SessionError::NewerVersion { found: 3, .. }
    ));
    g.assert_untouched();
}

#[test]
fn oversized_file_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let text = session_text(1, &[ORDER_LINE]);
    let f = Untouched::write(dir.path(), "big.ron", text.as_bytes());
    let limit = text.len() as u64 - 1;
    assert_eq!(
        load_session_limited(&f.path, engine(), limit).unwrap_err(),
        SessionError::TooLarge {
            file: f.path.display().to_string(),
            size: text.len() as u64,
            limit
        }
    );
    f.assert_untouched();
    // The real limit, through the command line: a sparse file costs no disk space.
    let big = dir.path().join("huge.ron");
    let h = std::fs::File::create(&big).unwrap();
    h.set_len(MAX_SESSION_BYTES + 1).unwrap();
    drop(h);
    let before = std::fs::metadata(&big).unwrap().modified().unwrap();
    let out = bin().arg("check").arg(&big).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1);
    assert!(err.contains("over the 268435456-byte limit"), "{err}");
    let meta = std::fs::metadata(&big).unwrap();
    assert_eq!(meta.len(), MAX_SESSION_BYTES + 1);
    assert_eq!(meta.modified().unwrap(), before);
}

#[test]
fn unknown_countries_and_items_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            ORDER_LINE.replace(r#"destination: "IN""#, r#"destination: "ZZ""#),
            "order 1 (`A-1`): destination: `ZZ` is not a known",
        ),
        (
            ORDER_LINE.replace("h100-sxm", "h900"),
            "order 1 (`A-1`): item: `h900` is not in the chip catalogue",
        ),
        (
            ORDER_LINE.replace(r#"destination: "IN""#, r#"destination: "IND""#),
            "`IND` is not a two-letter country code",
        ),
        (
            ORDER_LINE.replace("2025-07-01", "2031-01-01"),
            "order 1 (`A-1`): date: 2031-01-01 is after the modelled period",
        ),
        (
            ORDER_LINE.replace(
                r#"Chip("h100-sxm"), quantity: 100"#,
                "ModelWeights(training_ops: 3e26, open_weights: false), quantity: 2",
            ),
            "quantity: must be 1 for model weights",
        ),
    ];
    for (i, (line, expect)) in cases.iter().enumerate() {
        let f = Untouched::write(
            dir.path(),
            &format!("bad{i}.ron"),
            session_text(1, &[line]).as_bytes(),
        );
        let e = load_session(&f.path, engine()).unwrap_err().to_string();
        assert!(e.contains(expect), "`{expect}` not in {e}");
        f.assert_check_refuses(expect);
    }
    let scenario = session_text(1, &[ORDER_LINE]).replace(
        "title: \"Test\",",
        "title: \"Test\",\n  scenario: (g2g: [\"QQ\"]),",
    );
    let f = Untouched::write(dir.path(), "g2g.ron", scenario.as_bytes());
    f.assert_check_refuses("scenario.g2g: unknown country `QQ`");
}

#[test]
fn binary_and_non_session_files_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let f = Untouched::write(
        dir.path(),
        "image.ron",
        &[0x89, b'P', b'N', b'G', 0xff, 0x00],
    );
    assert!(matches!(
        load_session(&f.path, engine()).unwrap_err(),
        SessionError::NotText { offset: 0, .. }
    ));
    f.assert_check_refuses("not a text file");
    let g = Untouched::write(dir.path(), "json.ron", br#"{"orders": []}"#);
    g.assert_check_refuses("not a valid session");
    let missing = dir.path().join("missing.ron");
    let e = load_session(&missing, engine()).unwrap_err();
    assert!(matches!(e, SessionError::Io { .. }), "{e}");
}

#[test]
fn version_0_files_are_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let text = session_text(0, &[ORDER_LINE]);
    let f = Untouched::write(dir.path(), "v0.ron", text.as_bytes());
    let s = load_session(&f.path, engine()).unwrap();
    assert_eq!(s.format_version, diffusion_desk::session::FORMAT_VERSION);
    assert_eq!(s.orders.len(), 1);
    f.assert_untouched();
    let v1 = load_session(
        &Untouched::write(
            dir.path(),
            "v1.ron",
            session_text(1, &[ORDER_LINE]).as_bytes(),
        )
        .path,
        engine(),
    )
    .unwrap();
    assert_eq!(s, v1);
    // Saving writes the current version.
    let out = dir.path().join("saved.ron");
    save_session(&out, &s).unwrap();
    assert!(std::fs::read_to_string(&out).unwrap().contains(&format!(
        "format_version: {},",
        diffusion_desk::session::FORMAT_VERSION
    )));
}

// ---- saving -----------------------------------------------------------------------------------

#[test]
fn interrupted_save_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.ron");
    let old = load_session(&compliance_path(), engine()).unwrap();
    save_session(&path, &old).unwrap();
    let old_bytes = std::fs::read(&path).unwrap();
    let mut new = old.clone();
    // The last order (no licence or override refers to it).
    new.orders.pop();
    new.title = "Edited".into();

    // Everything up to the rename: the new content sits complete in a temporary file beside it.
    let pending = prepare_atomic_write(&path, file::to_ron(&new).as_bytes()).unwrap();
    assert_eq!(pending.temp_path().parent(), path.parent());
    assert_eq!(
        load_session(pending.temp_path(), engine()).unwrap().title,
        "Edited"
    );
    assert_eq!(std::fs::read(&path).unwrap(), old_bytes);
    // The process dies here: the temporary file is left behind, never renamed.
    let leftover = pending.temp_path().to_path_buf();
    std::mem::forget(pending);
    assert_eq!(std::fs::read(&path).unwrap(), old_bytes);
    assert_eq!(load_session(&path, engine()).unwrap(), old);
    let name = leftover.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(".q.ron.") && name.ends_with(".tmp"),
        "{name}"
    );
    std::fs::remove_file(leftover).unwrap();

    // An abandoned write (an error before the rename) cleans up after itself.
    let pending = prepare_atomic_write(&path, b"half").unwrap();
    let tmp = pending.temp_path().to_path_buf();
    drop(pending);
    assert!(!tmp.exists());
    assert_eq!(std::fs::read(&path).unwrap(), old_bytes);

    // A completed save replaces the file whole.
    save_session(&path, &new).unwrap();
    assert_eq!(load_session(&path, engine()).unwrap(), new);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Sets a file's modification time `secs` seconds in the past.
fn age(path: &Path, secs: u64) {
    let t = SystemTime::now() - std::time::Duration::from_secs(secs);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn the_next_save_removes_stale_temps_of_that_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.ron");
    let s = Session::new("x", RulesetRef::default());
    save_session(&path, &s).unwrap();
    // Two interrupted saves of q.ron: one long ago, one that may be another instance's save in
    // progress right now.
    let stale = prepare_atomic_write(&path, b"stale").unwrap();
    let stale_path = stale.temp_path().to_path_buf();
    std::mem::forget(stale);
    age(&stale_path, 3600);
    let fresh = prepare_atomic_write(&path, b"fresh").unwrap();
    let fresh_path = fresh.temp_path().to_path_buf();
    std::mem::forget(fresh);
    // Old temps of other files, including one whose name starts with `q.ron.`.
    let others = [
        ".q.ron.x.ron.Ab12Cd.tmp",
        ".other.ron.Ab12Cd.tmp",
        "notes.tmp",
    ];
    for name in others {
        std::fs::write(dir.path().join(name), b"x").unwrap();
        age(&dir.path().join(name), 3600);
    }

    save_session(&path, &s).unwrap();
    assert!(
        !stale_path.exists(),
        "the interrupted save's temp was removed"
    );
    assert!(
        fresh_path.exists(),
        "a temp younger than a minute is left alone"
    );
    for name in others {
        assert!(dir.path().join(name).exists(), "{name} is not q.ron's");
    }
    assert_eq!(load_session(&path, engine()).unwrap(), s);
    // Once it is old too, the next save clears it.
    age(&fresh_path, file::STALE_TEMP_AGE.as_secs() + 1);
    save_session(&path, &s).unwrap();
    assert!(!fresh_path.exists());
}

#[test]
fn a_session_too_large_to_reopen_is_refused_at_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    let mut s = load_session(&compliance_path(), engine()).unwrap();
    let size = file::to_ron(&s).len() as u64;
    // Exactly at the limit: saved, and loads under the same limit.
    save_session_limited(&path, &s, None, size).unwrap();
    assert_eq!(load_session_limited(&path, engine(), size).unwrap(), s);
    let before = std::fs::read(&path).unwrap();
    // One order more and it would not load again: refused, and the old file is kept.
    s.orders.push(s.orders[0].clone());
    s.orders.last_mut().unwrap().id = "Q3-999".into();
    let e = save_session_limited(&path, &s, None, size).unwrap_err();
    let SessionError::WouldBeTooLarge {
        size: would, limit, ..
    } = &e
    else {
        panic!("{e}")
    };
    assert!(*would > size && *limit == size, "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!("{}: cannot save:", path.display()))
            && msg.contains("could not be opened again")
            && msg.contains("Nothing was written"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp left"
    );
}

/// Puts the default fields back into each order line, as files saved before they were omitted
/// have them.
fn verbose(text: &str) -> String {
    text.lines()
        .map(|l| {
            let mut l = l.to_string();
            if l.trim_start().starts_with("(id:") {
                if !l.contains("veu:") {
                    l = l.replacen(", item:", ", veu: None, item:", 1);
                }
                if !l.contains("parent_hq:") {
                    l = l.replacen(", veu:", ", parent_hq: None, veu:", 1);
                }
            }
            l + "\n"
        })
        .collect()
}

#[test]
fn large_sessions_omit_default_fields_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let mut s = Session::new("big", RulesetRef::of(engine().loaded()));
    s.orders = diffusion_desk::session::synthetic::synthetic_orders(engine(), n, 7);
    let path = dir.path().join("big.ron");
    save_session(&path, &s).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("parent_hq: None") && !text.contains("veu: None"));
    assert_eq!(load_session(&path, engine()).unwrap(), s);

    // Files in the old, verbose form still load, to the same session.
    let old = verbose(&text);
    assert_eq!(old.matches("parent_hq: None").count(), n);
    let old_path = dir.path().join("old.ron");
    std::fs::write(&old_path, &old).unwrap();
    assert_eq!(load_session(&old_path, engine()).unwrap(), s);

    // Smaller per order, enough that the 1.45M-order book of the report fits under the limit.
    let per_order = |t: &str| t.len() as f64 / n as f64;
    assert!(
        per_order(&old) - per_order(&text) >= 17.0,
        "{} → {} bytes per order",
        per_order(&old),
        per_order(&text)
    );
    assert!(
        1_450_000.0 * per_order(&text) < MAX_SESSION_BYTES as f64,
        "{} bytes per order",
        per_order(&text)
    );
}

#[test]
fn saving_into_a_missing_folder_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/folder/q.ron");
    let s = Session::new("x", RulesetRef::default());
    let e = save_session(&path, &s).unwrap_err();
    assert!(matches!(e, SessionError::Write { .. }), "{e}");
    assert!(e.to_string().contains("cannot save"));
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    let s = Session::new("x", RulesetRef::default());
    save_session(&path, &s).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    save_session(&path, &s).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o644
    );
}

// ---- CSV --------------------------------------------------------------------------------------

const CSV_GOOD_AND_BAD: &str = "\
id,date,destination,consignee,consignee_hq,item,quantity,training_ops,open_weights
Q3-001,2025-07-01,IN,Bharat Compute Pvt,IN,h100-sxm,100,,
N-2,2025-07-02,XX,Nowhere Ltd,IN,h100-sxm,10,,
N-3,2025-07-03,MY,Johor Hyperscale Sdn Bhd,MY,b200,abc,,
N-4,2025-07-04,JP,Sakura AI KK,JP,model-weights,1,3e26,false
N-4,2025-07-05,JP,Sakura AI KK,JP,h100-sxm,8,,
";

#[test]
fn csv_import_lists_bad_rows_with_numbers_and_renames_clashing_ids() {
    let dir = tempfile::tempdir().unwrap();
    let f = Untouched::write(dir.path(), "orders.csv", CSV_GOOD_AND_BAD.as_bytes());
    let book = load_session(&compliance_path(), engine()).unwrap();
    let plan = csv_io::plan_import_file(
        engine(),
        &f.path,
        MAX_CSV_BYTES,
        book.orders.iter().map(|o| o.id.as_str()),
    )
    .unwrap();
    f.assert_untouched();
    assert_eq!(plan.rows_read, 5);
    assert_eq!(
        plan.rejected.iter().map(|r| r.row).collect::<Vec<_>>(),
        [2, 3]
    );
    assert!(
        plan.rejected[0]
            .message
            .starts_with("row 2 (line 3): destination: `XX`"),
        "{}",
        plan.rejected[0].message
    );
    assert!(
        plan.rejected[1]
            .message
            .contains("row 3 (line 4): quantity: `abc`"),
        "{}",
        plan.rejected[1].message
    );
    let ids: Vec<&str> = plan.orders.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["Q3-001-2", "N-4", "N-4-2"]);
    assert_eq!(plan.renamed.len(), 2);
    assert_eq!(plan.renamed[0].from, "Q3-001");
    assert_eq!(plan.renamed[0].row, 1);

    // Applied as one undoable edit.
    let mut ws = Workspace::new(Arc::new(Engine::embedded()), book.clone());
    let n = ws.orders().len();
    let orders = plan.orders.clone();
    ws.import_orders("import.csv", orders).unwrap();
    assert_eq!(ws.orders().len(), n + 3);
    assert!(ws.undo());
    assert_eq!(ws.orders(), book.orders.as_slice());
}

#[test]
fn csv_without_orders_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = Untouched::write(dir.path(), "notes.csv", b"name,age\nann,3\n");
    let e = csv_io::plan_import_file(engine(), &f.path, MAX_CSV_BYTES, []).unwrap_err();
    assert!(e.to_string().contains("no header row"), "{e}");
    let e = csv_io::plan_import_file(engine(), &f.path, 4, []).unwrap_err();
    assert!(e.to_string().contains("over the 4-byte limit"), "{e}");
    f.assert_untouched();
}

#[test]
fn csv_export_writes_decisions_and_reimports_to_the_same_orders() {
    let dir = tempfile::tempdir().unwrap();
    let s = load_session(&compliance_path(), engine()).unwrap();
    let decisions = engine().evaluate_book(&s.scenario, &s.orders);
    let path = dir.path().join("out.csv");
    csv_io::export_orders_csv(&path, engine(), &s.orders, &decisions).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.lines().next().unwrap().contains("verdict,authority"));
    assert!(text.contains("Q3-024") && text.contains("presumption_of_denial"));
    let plan = csv_io::plan_import_file(engine(), &path, MAX_CSV_BYTES, []).unwrap();
    assert!(plan.rejected.is_empty());
    assert_eq!(plan.orders, s.orders);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn parties_with_unknown_headquarters_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new("x", RulesetRef::default());
    s.parties.push(Party {
        name: "Ghost".into(),
        hq: cc!("QZ"),
        parent: None,
        parent_hq: None,
        veu: VeuStatus::None,
    });
    let path = dir.path().join("p.ron");
    save_session(&path, &s).unwrap();
    let e = load_session(&path, engine()).unwrap_err().to_string();
    assert!(
        e.contains("party 1 (`Ghost`): hq: unknown country `QZ`"),
        "{e}"
    );
}
