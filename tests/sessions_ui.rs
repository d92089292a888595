//! Session files through the app, headless: menus, shortcuts, the unsaved-changes prompt, the
//! typed-path fallback, drag-and-drop, CSV import, recovery and closing. File dialogs are a fake
//! that hands out temporary paths; everything else is the real app and the real file system.

#[path = "support/desk_ui.rs"]
mod desk_ui;
use desk_ui::fill;

use diffusion_desk::rules::Engine;
use diffusion_desk::session::autosave::{AUTOSAVE_DIR, Autosaver};
use diffusion_desk::session::file::load_session;
use diffusion_desk::session::recent::RECENT_FILE;
use diffusion_desk::session::{MapOverlay, Workspace, demo};
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::dialogs::{FakeDialogs, Picked};
use diffusion_desk::ui::session_ui::SessionUi;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn engine() -> Arc<Engine> {
    Arc::new(Engine::embedded())
}

fn demo_ws() -> Workspace {
    demo::demo_workspace(engine())
}

/// A 31-order quarter (the shipped quarter as it was in format 1, kept as a fixture so these
/// file-handling tests do not change whenever the shipped example grows).
fn compliance_ws() -> Workspace {
    let e = engine();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compliance-quarter-v1.ron");
    let s = load_session(&path, &e).unwrap();
    Workspace::new(e, s)
}

/// The app with scripted dialogs and a temporary app data folder.
fn app(ws: Workspace, dialogs: &FakeDialogs, data: &Path) -> DeskApp {
    DeskApp::with_dialogs(ws, Box::new(dialogs.clone())).with_data_dir(Some(data.to_path_buf()))
}

fn harness(app: DeskApp) -> Harness<'static, DeskApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 700.0))
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h
}

/// Opens the File menu and clicks the item whose label starts with `item`.
fn file_menu(h: &mut Harness<'static, DeskApp>, item: &str) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains(item).click();
    h.run();
}

fn shortcut(h: &mut Harness<'static, DeskApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

fn visible(h: &Harness<'static, DeskApp>, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

/// The autosaved sessions in the data folder (not their meta files).
fn autosaves(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.join(AUTOSAVE_DIR)) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".ron") && !name.ends_with(".meta.ron")
        })
        .collect();
    v.sort();
    v
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn save_as_then_open_restores_orders_and_view() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &data));
    let original = h.state().ws.orders().to_vec();
    let decisions = h.state().ws.decisions().to_vec();

    // Change the view to Plots and the map overlay, then Save as….
    h.get_by_label("Plots").click();
    h.run();
    h.state_mut().ws.session.view.map.overlay = MapOverlay::AllocationUse;
    let path = dir.path().join("demo-copy.ron");
    dialogs.answer_save(Picked::Path(path.clone()));
    file_menu(&mut h, "Save as…");
    assert!(path.exists());
    assert_eq!(h.state().ws.path.as_deref(), Some(path.as_path()));
    assert!(!h.state().ws.dirty);
    assert!(h.state().title().starts_with("demo-copy.ron — "));
    assert!(visible(&h, "Saved demo-copy.ron (12 orders)"));

    // Reset: a new, empty session (no prompt: nothing unsaved).
    file_menu(&mut h, "New session");
    assert!(h.state().ws.orders().is_empty());
    assert_eq!(h.state().ws.session.view.view.as_str(), "map");
    assert_eq!(h.state().ws.path, None);

    // Ctrl+O through the dialog brings everything back.
    dialogs.answer_open(Picked::Path(path.clone()));
    shortcut(&mut h, Modifiers::COMMAND, Key::O);
    let ws = &h.state().ws;
    assert_eq!(ws.orders(), original.as_slice());
    assert_eq!(ws.decisions(), decisions.as_slice());
    assert_eq!(ws.session.view.view.as_str(), "plots");
    assert_eq!(ws.session.view.map.overlay, MapOverlay::AllocationUse);
    assert_eq!(ws.path.as_deref(), Some(path.as_path()));
    assert!(!ws.dirty);
    assert_eq!(
        dialogs.calls(),
        [
            "save: Save session as (presenter-demo-national-caps-vs-corporate-purchases.ron)",
            "open: Open session"
        ]
    );

    // The file is in the recent list, stored in the app data folder, and reopens from the menu.
    assert_eq!(h.state().files.recent().paths()[0], path);
    assert!(data.join(RECENT_FILE).exists());
    h.state_mut().show_view("orders");
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open recent").click();
    h.run();
    h.get_by_label("demo-copy.ron").click();
    h.run();
    assert_eq!(h.state().ws.session.view.view.as_str(), "plots");
}

#[test]
fn ctrl_s_saves_in_place_and_asks_where_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    let path = dir.path().join("mine.ron");
    dialogs.answer_save(Picked::Path(dir.path().join("mine")));
    // No file yet: Ctrl+S acts as Save As (and adds the extension the name lacked).
    shortcut(&mut h, Modifiers::COMMAND, Key::S);
    assert_eq!(h.state().ws.path.as_deref(), Some(path.as_path()));
    h.state_mut().ws.void_order(0, "test: void").unwrap();
    assert!(h.state().ws.dirty);
    assert!(h.state().title().contains('•'));
    shortcut(&mut h, Modifiers::COMMAND, Key::S);
    assert!(!h.state().ws.dirty);
    assert_eq!(
        dialogs.calls().len(),
        1,
        "the second save used the known path"
    );
    assert_eq!(
        load_session(&path, &engine()).unwrap().orders.len(),
        h.state().ws.orders().len()
    );
}

#[test]
fn unsaved_changes_prompt_cancel_keeps_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    h.state_mut().ws.void_order(0, "test: void").unwrap();
    let edited = h.state().ws.orders().to_vec();

    shortcut(&mut h, Modifiers::COMMAND, Key::O);
    assert!(visible(&h, "Unsaved changes"));
    assert!(visible(&h, "Save them before opening another session?"));
    assert!(
        dialogs.calls().is_empty(),
        "nothing is opened before the user answers"
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!visible(&h, "Unsaved changes"));
    assert_eq!(h.state().ws.orders(), edited.as_slice());
    assert!(h.state().ws.dirty);
    assert!(dialogs.calls().is_empty());

    // "Discard" goes on to the file dialog.
    let other = dir.path().join("other.ron");
    diffusion_desk::session::file::save_session(&other, &compliance_ws().session).unwrap();
    dialogs.answer_open(Picked::Path(other.clone()));
    file_menu(&mut h, "Open…");
    h.get_by_label("Discard").click();
    h.run();
    assert_eq!(h.state().ws.path.as_deref(), Some(other.as_path()));
    assert_eq!(h.state().ws.orders().len(), 31);
}

#[test]
fn unsaved_changes_prompt_save_then_continues() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    h.state_mut().ws.void_order(0, "test: void").unwrap();
    let edited = h.state().ws.orders().to_vec();
    let path = dir.path().join("kept.ron");
    dialogs.answer_save(Picked::Path(path.clone()));
    file_menu(&mut h, "New session");
    h.get_by_label("Save").click();
    h.run();
    // Saved where the dialog said, then the new session started.
    assert_eq!(load_session(&path, &engine()).unwrap().orders, edited);
    assert!(h.state().ws.orders().is_empty());
    assert_eq!(h.state().ws.path, None);
}

#[test]
fn dropping_a_csv_lists_bad_rows_and_imports_the_valid_ones_as_one_edit() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("q4.csv");
    std::fs::write(
        &csv,
        "id,date,destination,consignee,consignee_hq,item,quantity\n\
         Q4-001,2025-10-01,IN,Bharat Compute Pvt,IN,h100-sxm,100\n\
         Q4-002,2025-10-02,MY,Johor Hyperscale Sdn Bhd,MY,b200,lots\n\
         DEMO-001,2025-10-03,JP,Sakura AI KK,JP,h100-sxm,8\n",
    )
    .unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    let before = h.state().ws.orders().to_vec();

    h.input_mut().dropped_files.push(Arc::new(Dropped(csv)));
    h.run();
    assert!(visible(&h, "Import orders from q4.csv"));
    assert!(visible(&h, "3 rows read: 2 valid, 1 rejected."));
    assert!(visible(
        &h,
        "row 2 (line 3): quantity: `lots` is not a positive whole number"
    ));
    assert!(visible(&h, "row 3: `DEMO-001` → `DEMO-001-2`"));
    h.get_by_label("Import 2 valid rows").click();
    h.run();
    let ws = &h.state().ws;
    assert_eq!(ws.orders().len(), before.len() + 2);
    assert_eq!(ws.orders()[before.len()].id, "Q4-001");
    assert_eq!(ws.orders()[before.len() + 1].id, "DEMO-001-2");
    assert!(ws.dirty);
    assert!(visible(
        &h,
        "Imported 2 orders from q4.csv (1 rejected row skipped)"
    ));
    // One undo removes the whole import.
    shortcut(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().ws.orders(), before.as_slice());
}

#[test]
fn import_none_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("one.csv");
    std::fs::write(
        &csv,
        "id,date,destination,consignee,consignee_hq,item,quantity\nX-1,2025-10-01,IN,A,IN,h100-sxm,1\n",
    )
    .unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    dialogs.answer_open(Picked::Path(csv));
    file_menu(&mut h, "Import orders CSV…");
    assert!(visible(&h, "Import 1 valid row"));
    h.get_by_label("Import none").click();
    h.run();
    assert_eq!(h.state().ws.orders().len(), 12);
    assert!(!h.state().ws.dirty);
}

#[test]
fn dropping_a_session_opens_it_and_other_files_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    let ron = dir.path().join("q.ron");
    diffusion_desk::session::file::save_session(&ron, &compliance_ws().session).unwrap();
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(ron.clone())));
    h.run();
    assert_eq!(h.state().ws.path.as_deref(), Some(ron.as_path()));
    assert_eq!(h.state().ws.orders().len(), 31);

    let pdf = dir.path().join("rule.pdf");
    std::fs::write(&pdf, b"%PDF").unwrap();
    h.input_mut().dropped_files.push(Arc::new(Dropped(pdf)));
    h.run();
    assert!(visible(&h, "Cannot use the dropped file"));
    h.get_by_label("OK").click();
    h.run();
    assert!(!visible(&h, "Cannot use the dropped file"));
    assert_eq!(h.state().ws.orders().len(), 31);
}

#[test]
fn a_bad_file_shows_the_problem_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.ron");
    let text = "(\n  format_version: 1,\n  orders: [\n    (id: 7),\n  ],\n)\n";
    std::fs::write(&bad, text).unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    let before = h.state().ws.session.clone();
    dialogs.answer_open(Picked::Path(bad.clone()));
    shortcut(&mut h, Modifiers::COMMAND, Key::O);
    assert!(visible(&h, "Could not open the session"));
    let expect = format!("{}:4:", bad.display());
    assert!(visible(&h, &expect), "names the file, line and column");
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(h.state().ws.session, before);
    assert_eq!(h.state().ws.path, None);
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), text);
}

#[test]
fn typed_path_fallback_when_no_dialog_can_be_shown() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    let ron = dir.path().join("q.ron");
    diffusion_desk::session::file::save_session(&ron, &compliance_ws().session).unwrap();
    dialogs.answer_open(Picked::Unavailable("no file dialog is available".into()));
    shortcut(&mut h, Modifiers::COMMAND, Key::O);
    assert!(visible(&h, "Open session by path"));
    assert!(visible(
        &h,
        "No file dialog is available. Type the file's path instead."
    ));
    fill(&mut h, "File path", &ron.display().to_string());
    h.get_by_label("Open").click();
    h.run();
    assert_eq!(h.state().ws.path.as_deref(), Some(ron.as_path()));
    assert!(!visible(&h, "Open session by path"));

    // Also from the menu, for saving where the dialog cannot.
    dialogs.answer_save(Picked::Unavailable("no file dialog is available".into()));
    file_menu(&mut h, "Save as…");
    assert!(visible(&h, "Save session to path"));
    let target = dir.path().join("typed.ron");
    fill(&mut h, "File path", &target.display().to_string());
    h.get_by_label("Save").click();
    h.run();
    assert!(target.exists());
    assert_eq!(h.state().ws.path.as_deref(), Some(target.as_path()));
}

#[test]
fn closing_with_unsaved_changes_asks_and_discard_closes_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &data));
    h.state_mut().ws.void_order(0, "test: void").unwrap();
    let close = |h: &mut Harness<'static, DeskApp>| {
        h.input_mut()
            .viewports
            .get_mut(&egui::ViewportId::ROOT)
            .unwrap()
            .events
            .push(egui::ViewportEvent::Close);
        h.step();
    };
    let commands = |h: &Harness<'static, DeskApp>| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.commands.clone())
            .unwrap_or_default()
    };
    close(&mut h);
    assert!(commands(&h).contains(&egui::ViewportCommand::CancelClose));
    h.run();
    assert!(visible(&h, "Save them before quitting?"));
    // Cancel: the window stays and so do the changes.
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().ws.dirty);
    // Again, and discard: the window is told to close, and the exit is clean (no autosave).
    close(&mut h);
    h.run();
    h.get_by_label("Discard").click();
    h.step();
    assert!(commands(&h).contains(&egui::ViewportCommand::Close));
    h.run();
    close(&mut h);
    assert!(!commands(&h).contains(&egui::ViewportCommand::CancelClose));
    h.state_mut().shutdown();
    assert!(autosaves(&data).is_empty());
}

#[test]
fn unsaved_work_is_autosaved_at_exit_and_offered_back_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let dialogs = FakeDialogs::new();
    // First run: edits, then the app is ended without saving.
    let mut first = app(compliance_ws(), &dialogs, &data);
    first.ws.session.title = "Lost work".into();
    first.ws.void_order(0, "test: void").unwrap();
    first.shutdown();
    let file = first.files.autosave_file().unwrap();
    assert_eq!(autosaves(&data), std::slice::from_ref(&file));
    // The process ends.
    drop(first);

    // Next start offers it.
    let mut h = harness(app(demo_ws(), &dialogs, &data));
    assert!(visible(&h, "Restore unsaved work?"));
    assert!(visible(&h, "“Lost work”, 30 orders, autosaved"));
    shortcut(&mut h, Modifiers::COMMAND, Key::N);
    assert_eq!(
        h.state().ws.orders().len(),
        12,
        "no shortcuts behind the modal"
    );
    h.get_by_label("Restore").click();
    h.run();
    let ws = &h.state().ws;
    assert_eq!(ws.session.title, "Lost work");
    assert_eq!(ws.orders().len(), 30);
    assert!(ws.dirty, "restored work is unsaved");
    assert!(visible(&h, "Restored unsaved work autosaved"));

    // Saving makes it obsolete: a clean exit leaves nothing behind.
    let saved = dir.path().join("recovered.ron");
    dialogs.answer_save(Picked::Path(saved.clone()));
    shortcut(&mut h, Modifiers::COMMAND, Key::S);
    assert!(saved.exists());
    assert!(
        autosaves(&data).is_empty(),
        "saving removes the restored autosave at once"
    );
    h.state_mut().shutdown();
    assert!(autosaves(&data).is_empty());
    let h2 = harness(app(demo_ws(), &dialogs, &data));
    assert!(!visible(&h2, "Restore unsaved work?"));
}

#[test]
fn declining_recovery_removes_the_autosave() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let mut gone = Autosaver::new(&data);
    gone.write_now(&compliance_ws().session, None).unwrap();
    drop(gone);
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &data));
    assert!(visible(
        &h,
        "Belongs to no file: the session was never saved"
    ));
    h.get_by_label("Discard").click();
    h.run();
    assert_eq!(h.state().ws.orders().len(), 12);
    assert!(autosaves(&data).is_empty());
}

#[test]
fn autosave_runs_after_the_interval_while_dirty() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let dialogs = FakeDialogs::new();
    let mut app = app(demo_ws(), &dialogs, &data);
    app.files.set_autosave_interval(0.0);
    let mut h = harness(app);
    h.state_mut().ws.void_order(0, "test: void").unwrap();
    h.run_steps(3);
    // The write runs on a worker thread; give it a moment.
    let file = h.state().files.autosave_file().unwrap();
    for _ in 0..100 {
        if file.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    let saved = load_session(&file, &engine()).unwrap();
    assert_eq!(saved.orders.len(), 11);
}

#[test]
fn session_details_and_scenario_windows_edit_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(compliance_ws(), &dialogs, &dir.path().join("appdata")));

    h.get_by_label("Session").click();
    h.run();
    h.get_by_label("Details…").click();
    h.run();
    fill(&mut h, "Title", "Q3 2025 (draft)");
    assert_eq!(h.state().ws.session.title, "Q3 2025 (draft)");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().ws.dirty);

    h.get_by_label("Session").click();
    h.run();
    h.get_by_label("Scenario…").click();
    h.run();
    assert!(visible(&h, "AE  United Arab Emirates"));
    fill(&mut h, "Add country (ISO code)", "FR");
    h.get_by_label("Add").click();
    h.run();
    assert!(visible(&h, "France (FR) is Tier 1"));
    assert!(
        !h.state()
            .ws
            .session
            .scenario
            .g2g
            .contains(&diffusion_desk::cc!("FR"))
    );

    // Malaysia's allocation is nearly exhausted; doubling it changes Q3-024 from a denial.
    fill(&mut h, "Add country (ISO code)", "my");
    h.get_by_label("Add").click();
    h.run();
    assert!(
        h.state()
            .ws
            .session
            .scenario
            .g2g
            .contains(&diffusion_desk::cc!("MY"))
    );
    assert!(visible(
        &h,
        "Malaysia now has a g2g arrangement: 1 decision changed"
    ));
    assert!(h.state().ws.can_undo());
    h.get_by_label("Remove MY").click();
    h.run();
    assert!(
        !h.state()
            .ws
            .session
            .scenario
            .g2g
            .contains(&diffusion_desk::cc!("MY"))
    );
    assert!(h.state_mut().ws.undo());
    assert!(
        h.state()
            .ws
            .session
            .scenario
            .g2g
            .contains(&diffusion_desk::cc!("MY"))
    );
}

#[test]
fn import_dialog_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("q4-orders.csv");
    std::fs::write(
        &csv,
        "id,date,destination,consignee,consignee_hq,item,quantity,training_ops\n\
         Q4-001,2025-10-01,IN,Bharat Compute Pvt,IN,h100-sxm,100,\n\
         Q4-002,2025-10-02,MY,Johor Hyperscale Sdn Bhd,MY,b200,lots,\n\
         Q4-003,2025-10-03,ZZ,Nowhere Ltd,IN,h100-sxm,10,\n\
         Q4-004,2026-01-05,JP,Sakura AI KK,JP,model-weights,1,\n\
         Q3-001,2025-10-06,JP,Sakura AI KK,JP,h100-sxm,8,\n",
    )
    .unwrap();
    let ws = compliance_ws();
    let mut files = SessionUi::new(Box::new(FakeDialogs::new()));
    let mut ws = ws;
    assert!(files.import_path(&mut ws, &csv));
    let mut h = session_windows_harness(files, ws);
    h.run();
    h.snapshot("import_dialog");
}

/// Only the session windows, rendered, so other views' changes do not move their images.
fn session_windows_harness(
    files: SessionUi,
    ws: Workspace,
) -> Harness<'static, (SessionUi, Workspace, bool)> {
    Harness::builder()
        .with_size(egui::vec2(720.0, 420.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_ui_state(
            |ui, (files, ws, fonts): &mut (SessionUi, Workspace, bool)| {
                // As the app does: fonts first, in a pass of their own.
                if !*fonts {
                    diffusion_desk::ui::theme::install_fonts(ui.ctx());
                    *fonts = true;
                    ui.ctx().request_discard("installing fonts");
                    return;
                }
                files.windows(ui, ws)
            },
            (files, ws, false),
        )
}

#[test]
fn opening_a_session_made_with_another_ruleset_says_so_until_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old-ruleset.ron");
    let mut s = compliance_ws().session;
    s.ruleset.version = "0.9".into();
    s.ruleset.sha256 = "0".repeat(64);
    diffusion_desk::session::file::save_session(&path, &s).unwrap();
    let dialogs = FakeDialogs::new();
    let mut h = harness(app(demo_ws(), &dialogs, &dir.path().join("appdata")));
    dialogs.answer_open(Picked::Path(path.clone()));
    shortcut(&mut h, Modifiers::COMMAND, Key::O);
    assert!(visible(
        &h,
        "Opened old-ruleset.ron: 31 orders — ⚠ made with ruleset"
    ));
    assert!(visible(&h, "v0.9, not the current"));
    assert!(visible(&h, "⚠ session made with a different ruleset"));
    // Saving records the ruleset the decisions were derived with: the current one.
    shortcut(&mut h, Modifiers::COMMAND, Key::S);
    assert!(!h.state().ws.ruleset_differs());
    assert!(!visible(&h, "⚠ session made with a different ruleset"));
    let saved = load_session(&path, &engine()).unwrap();
    assert_eq!(saved.ruleset.sha256, engine().loaded().sha256);
}

// ---- two windows, one file ----------------------------------------------------------------

/// Two windows (as two instances would be) on the same file, each with its own data folder.
fn two_windows_on(path: &Path, dir: &Path) -> [(Harness<'static, DeskApp>, FakeDialogs); 2] {
    ["a", "b"].map(|n| {
        let dialogs = FakeDialogs::new();
        let app = app(Workspace::empty(engine()), &dialogs, &dir.join(n)).with_startup_file(path);
        (harness(app), dialogs)
    })
}

#[test]
fn a_save_over_another_windows_save_asks_and_overwrite_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    diffusion_desk::session::file::save_session(&path, &compliance_ws().session).unwrap();
    let [(mut a, _), (mut b, _)] = two_windows_on(&path, dir.path());
    b.state_mut().ws.session.title = "B's title".into();
    b.state_mut().ws.void_order(0, "test: void").unwrap();
    shortcut(&mut b, Modifiers::COMMAND, Key::S);
    assert_eq!(load_session(&path, &engine()).unwrap().orders.len(), 30);

    // A saves its own edit: not silently over B's.
    a.state_mut().ws.session.title = "A's title".into();
    a.state_mut().ws.void_order(5, "test: void").unwrap();
    a.state_mut().ws.void_order(5, "test: void").unwrap();
    shortcut(&mut a, Modifiers::COMMAND, Key::S);
    assert!(visible(&a, "shared.ron changed on disk"));
    assert!(visible(&a, "Another window or program saved shared.ron"));
    assert_eq!(load_session(&path, &engine()).unwrap().title, "B's title");
    assert!(a.state().ws.dirty);
    // Cancel keeps both as they are.
    a.get_by_label("Cancel").click();
    a.run();
    assert!(!visible(&a, "changed on disk"));
    assert_eq!(load_session(&path, &engine()).unwrap().title, "B's title");

    // Asked again; Overwrite keeps A's.
    shortcut(&mut a, Modifiers::COMMAND, Key::S);
    a.get_by_label("Overwrite").click();
    a.run();
    let saved = load_session(&path, &engine()).unwrap();
    assert_eq!(
        (saved.title.as_str(), saved.orders.len()),
        ("A's title", 29)
    );
    assert!(!a.state().ws.dirty);
    // A's next save is on top of its own: no question.
    a.state_mut().ws.void_order(0, "test: void").unwrap();
    shortcut(&mut a, Modifiers::COMMAND, Key::S);
    assert!(!visible(&a, "changed on disk"));
    assert_eq!(load_session(&path, &engine()).unwrap().orders.len(), 28);
}

#[test]
fn reload_after_confirming_takes_the_other_windows_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    diffusion_desk::session::file::save_session(&path, &compliance_ws().session).unwrap();
    let [(mut a, _), (mut b, _)] = two_windows_on(&path, dir.path());
    b.state_mut().ws.void_order(0, "test: void").unwrap();
    shortcut(&mut b, Modifiers::COMMAND, Key::S);
    a.state_mut().ws.session.title = "A's title".into();
    a.state_mut().ws.void_order(0, "test: void").unwrap();
    a.state_mut().ws.void_order(0, "test: void").unwrap();
    // The save was on the way to a new session: the question comes first, and after a reload
    // the new session is not started (the user wanted to see the other version).
    file_menu(&mut a, "New session");
    a.get_by_label("Save").click();
    a.run();
    assert!(visible(&a, "shared.ron changed on disk"));
    a.get_by_label("Reload…").click();
    a.run();
    assert!(visible(&a, "Reload shared.ron?"));
    assert!(visible(
        &a,
        "The changes you made in this window are discarded"
    ));
    a.get_by_label("Back").click();
    a.run();
    assert!(visible(&a, "shared.ron changed on disk"));
    a.get_by_label("Reload…").click();
    a.run();
    a.get_by_label("Reload and discard my changes").click();
    a.run();
    let ws = &a.state().ws;
    assert_eq!(ws.orders().len(), 30, "B's version");
    assert_ne!(ws.session.title, "A's title");
    assert!(!ws.dirty);
    assert_eq!(
        ws.path.as_deref(),
        Some(path.as_path()),
        "not a new session"
    );
    assert!(visible(&a, "Reloaded shared.ron from disk"));
    assert_eq!(load_session(&path, &engine()).unwrap().orders.len(), 30);
}

#[test]
fn save_as_from_the_conflict_keeps_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    diffusion_desk::session::file::save_session(&path, &compliance_ws().session).unwrap();
    let [(mut a, dialogs_a), (mut b, _)] = two_windows_on(&path, dir.path());
    b.state_mut().ws.void_order(0, "test: void").unwrap();
    shortcut(&mut b, Modifiers::COMMAND, Key::S);
    a.state_mut().ws.session.title = "A's title".into();
    shortcut(&mut a, Modifiers::COMMAND, Key::S);
    let elsewhere = dir.path().join("mine.ron");
    dialogs_a.answer_save(Picked::Path(elsewhere.clone()));
    a.get_by_label("Save as…").click();
    a.run();
    assert_eq!(
        load_session(&elsewhere, &engine()).unwrap().title,
        "A's title"
    );
    assert_eq!(load_session(&path, &engine()).unwrap().orders.len(), 30);
    assert_eq!(a.state().ws.path.as_deref(), Some(elsewhere.as_path()));
    assert!(!a.state().ws.dirty);
}

#[test]
fn conflict_dialog_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("compliance-quarter.ron");
    diffusion_desk::session::file::save_session(&path, &compliance_ws().session).unwrap();
    let mut files = SessionUi::new(Box::new(FakeDialogs::new()));
    let mut ws = Workspace::empty(engine());
    assert!(files.open_path(&mut ws, &path));
    let mut other = compliance_ws().session;
    other.title = "Saved elsewhere".into();
    diffusion_desk::session::file::save_session(&path, &other).unwrap();
    ws.session.title = "Mine".into();
    assert!(!files.save(&mut ws));
    let mut h = session_windows_harness(files, ws);
    h.run();
    // The temporary folder's name differs on every run, and so does its width: mask the line.
    let shown = h.get_by_label(&path.display().to_string()).rect();
    h.mask(egui::Rect::from_x_y_ranges(
        shown.left()..=600.0,
        shown.y_range(),
    ));
    h.snapshot("conflict_dialog");
    h.get_by_label("Reload…").click();
    h.run();
    h.snapshot("conflict_reload_confirm");
}

// ---- open FILE ------------------------------------------------------------------------------

#[test]
fn open_with_a_bad_file_starts_the_app_with_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.ron");
    let text = "(\n  format_version: 1,\n  orders: [\n    (id: 7),\n  ],\n)\n";
    std::fs::write(&bad, text).unwrap();
    let dialogs = FakeDialogs::new();
    let app = app(
        Workspace::empty(engine()),
        &dialogs,
        &dir.path().join("appdata"),
    )
    .with_startup_file(&bad);
    let mut h = harness(app);
    assert!(visible(&h, "Could not open the session"));
    assert!(
        visible(&h, &format!("{}:4:", bad.display())),
        "file, line and column"
    );
    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().ws.orders().is_empty());
    assert_eq!(h.state().ws.path, None);
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), text);

    // A good file opens as from the menu, and goes into the recent list.
    let good = dir.path().join("good.ron");
    diffusion_desk::session::file::save_session(&good, &compliance_ws().session).unwrap();
    let h = harness(
        self::app(
            Workspace::empty(engine()),
            &dialogs,
            &dir.path().join("appdata"),
        )
        .with_startup_file(&good),
    );
    assert_eq!(h.state().ws.path.as_deref(), Some(good.as_path()));
    assert_eq!(h.state().ws.orders().len(), 31);
    assert_eq!(h.state().files.recent().paths()[0], good);
}

// ---- autosaves of several windows ---------------------------------------------------------

/// A window with unsaved work autosaved (interval 0), and its autosave file.
fn dirty_window(data: &Path, title: &str) -> (Harness<'static, DeskApp>, PathBuf) {
    let mut app = app(compliance_ws(), &FakeDialogs::new(), data);
    app.files.set_autosave_interval(0.0);
    let mut h = harness(app);
    h.state_mut().ws.session.title = title.into();
    h.state_mut().ws.void_order(0, "test: void").unwrap();
    let file = h.state().files.autosave_file().unwrap();
    for _ in 0..200 {
        h.step();
        if file.exists() && load_session(&file, &engine()).is_ok_and(|s| s.title == title) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(file.exists(), "autosaved");
    (h, file)
}

#[test]
fn a_running_windows_autosave_is_never_offered_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let (a, a_file) = dirty_window(&data, "A's work");
    let (b, b_file) = dirty_window(&data, "B's work");
    assert_ne!(a_file, b_file, "each window autosaves to its own file");

    // A third window starts while both run: nothing to restore, nothing touched.
    let mut c = harness(app(demo_ws(), &FakeDialogs::new(), &data));
    assert!(!visible(&c, "Restore unsaved work?"));
    // C exits cleanly: its own autosave (none) goes, the others' stay.
    c.state_mut().shutdown();
    drop(c);
    assert_eq!(autosaves(&data).len(), 2);

    // B exits cleanly with its work saved: only B's autosave goes.
    let mut b = b;
    b.state_mut().ws.dirty = false;
    b.state_mut().shutdown();
    drop(b);
    assert_eq!(autosaves(&data), std::slice::from_ref(&a_file));

    // A ends without a clean exit: now, and only now, its work is offered.
    drop(a);
    let d = harness(app(demo_ws(), &FakeDialogs::new(), &data));
    assert!(visible(&d, "Restore unsaved work?"));
    assert!(visible(&d, "“A's work”, 30 orders, autosaved"));
    assert!(a_file.exists());
}

#[test]
fn several_orphaned_autosaves_are_listed_with_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let q3 = dir.path().join("q3.ron");
    let dialogs = FakeDialogs::new();
    for (title, source) in [("Q3 draft", Some(&q3)), ("Scratch", None)] {
        let mut app = app(compliance_ws(), &dialogs, &data);
        app.ws.session.title = title.into();
        app.ws.path = source.cloned();
        app.ws.dirty = true;
        app.shutdown();
    }
    let mut h = harness(app(demo_ws(), &dialogs, &data));
    assert!(visible(
        &h,
        "2 Diffusion Desk windows closed without saving"
    ));
    assert!(visible(&h, "“Q3 draft”, 31 orders"));
    assert!(visible(
        &h,
        &format!("Belongs to q3.ron ({})", q3.display())
    ));
    assert!(visible(&h, "“Scratch”, 31 orders"));
    assert!(visible(&h, "Belongs to no file"));
    // Each row's buttons say which autosave they act on.
    h.get_by_label("Discard “Scratch”").click();
    h.run();
    assert_eq!(autosaves(&data).len(), 1);
    assert!(visible(&h, "Discarded the autosave of “Scratch”"));
    assert!(visible(&h, "“Q3 draft”, 31 orders"));
    h.get_by_label("Restore").click();
    h.run();
    let ws = &h.state().ws;
    assert_eq!(ws.session.title, "Q3 draft");
    assert_eq!(ws.path.as_deref(), Some(q3.as_path()));
    assert!(ws.dirty);
}

#[test]
fn decide_later_keeps_every_autosave_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    for title in ["one", "two"] {
        let mut gone = Autosaver::new(&data);
        let mut s = compliance_ws().session;
        s.title = title.into();
        gone.write_now(&s, None).unwrap();
    }
    let mut h = harness(app(demo_ws(), &FakeDialogs::new(), &data));
    h.get_by_label("Restore “two”").click();
    h.run();
    assert_eq!(h.state().ws.session.title, "two");
    assert!(visible(&h, "1 other autosave kept for the next start"));
    let next = harness(app(demo_ws(), &FakeDialogs::new(), &data));
    assert!(visible(&next, "“one”, 31 orders"));
    drop(next);
    let mut again = harness(app(demo_ws(), &FakeDialogs::new(), &data));
    again.get_by_label("Decide later").click();
    again.run();
    assert!(!visible(&again, "Restore unsaved work?"));
    assert!(visible(
        &again,
        "Kept 1 autosave: offered again at the next start"
    ));
    drop(again);
    assert_eq!(autosaves(&data).len(), 2, "one's, and two's until saved");
}

#[test]
fn recovery_dialog_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let auto = data.join(AUTOSAVE_DIR);
    std::fs::create_dir_all(&auto).unwrap();
    // Written by hand, so times, processes and hosts are the same on every run.
    let mut s = compliance_ws().session;
    for (id, title, meta) in [
        (
            "1764580000000-4242-0",
            "Q3 2025 compliance quarter",
            r#"(source: Some("/home/ana/sessions/compliance-quarter.ron"), written_unix_s: 1764583200, pid: 4242, host: "desk-07", started_unix_s: 1764580000)"#,
        ),
        (
            "1764590000000-5151-0",
            "Scratch",
            r#"(written_unix_s: 1764592800, pid: 5151, host: "desk-07", started_unix_s: 1764590000)"#,
        ),
    ] {
        s.title = title.into();
        diffusion_desk::session::file::save_session(&auto.join(format!("{id}.ron")), &s).unwrap();
        std::fs::write(auto.join(format!("{id}.meta.ron")), meta).unwrap();
    }
    let mut files = SessionUi::new(Box::new(FakeDialogs::new()));
    let ws = Workspace::empty(engine());
    files.set_data_dir(Some(data), &ws);
    let mut h = session_windows_harness(files, ws);
    h.set_size(egui::vec2(720.0, 520.0));
    h.run();
    h.snapshot("recovery_dialog");
}

#[test]
fn restored_work_still_notices_a_later_save_of_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("appdata");
    let path = dir.path().join("q.ron");
    diffusion_desk::session::file::save_session(&path, &compliance_ws().session).unwrap();
    // A opens the file, edits, and ends without saving.
    let mut a =
        app(Workspace::empty(engine()), &FakeDialogs::new(), &data).with_startup_file(&path);
    a.ws.session.title = "A's title".into();
    a.ws.void_order(0, "test: void").unwrap();
    a.shutdown();
    drop(a);
    // Meanwhile another window saves the same file.
    let mut other = compliance_ws().session;
    other.title = "Other's title".into();
    diffusion_desk::session::file::save_session(&path, &other).unwrap();
    // A's work restored and saved: the other save is not silently lost.
    let mut h = harness(app(demo_ws(), &FakeDialogs::new(), &data));
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(h.state().ws.path.as_deref(), Some(path.as_path()));
    shortcut(&mut h, Modifiers::COMMAND, Key::S);
    assert!(visible(&h, "q.ron changed on disk"));
    assert_eq!(
        load_session(&path, &engine()).unwrap().title,
        "Other's title"
    );
}
