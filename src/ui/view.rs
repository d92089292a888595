//! The view registry: every top-level view of the app behind one trait, in one list.
//!
//! Modelled on egui's demo `Demo`/`DemoGroups` and rerun's view classes: the shell, the view
//! switcher, Ctrl+1…9, saved sessions (`ViewId`), the `screenshot` command, tests and benches
//! all iterate [`registry`], so a new view is one file plus one line here.

use super::AppAction;
use crate::session::{ViewId, Workspace};
use std::any::Any;

pub trait View: Any {
    /// Draws the view; returns what it asks of the shell (navigation to another view…).
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction>;
    /// Draws the view as a slide (presenting, deck export): what the audience should see,
    /// without controls. By default the view as it is.
    fn slide_ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let _ = self.ui(ui, ws);
    }
    /// A different session was loaded: drop per-session state (selection, caches).
    fn reset(&mut self, ws: &Workspace);
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// Implements the `Any` plumbing of [`View`] for a type.
#[macro_export]
macro_rules! view_any {
    () => {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
    };
}

/// A registered view: its id (saved in sessions, used on the command line), its name in the view
/// switcher, and how to make it.
pub struct ViewEntry {
    pub id: &'static str,
    pub label: &'static str,
    pub make: fn(&Workspace) -> Box<dyn View>,
}

/// Every view, in switcher order (Ctrl+1 is the first).
pub const REGISTRY: &[ViewEntry] = &[
    ViewEntry {
        id: super::map_view::ID,
        label: "Map",
        make: |ws| Box::new(super::map_view::MapView::new(ws)),
    },
    ViewEntry {
        id: super::orders_view::ID,
        label: "Orders",
        make: |ws| Box::new(super::orders_view::OrdersView::new(ws)),
    },
    ViewEntry {
        id: super::plots_view::ID,
        label: "Plots",
        make: |ws| Box::new(super::plots_view::PlotsView::new(ws)),
    },
    ViewEntry {
        id: super::calculator_view::ID,
        label: "What a cap buys",
        make: |ws| Box::new(super::calculator_view::CalculatorView::new(ws)),
    },
    ViewEntry {
        id: super::comparison_view::ID,
        label: "Comparison",
        make: |ws| Box::new(super::comparison_view::ComparisonView::new(ws)),
    },
    ViewEntry {
        id: super::licences_view::ID,
        label: "Licences",
        make: |ws| Box::new(super::licences_view::LicencesView::new(ws)),
    },
    ViewEntry {
        id: super::history_view::ID,
        label: "History",
        make: |ws| Box::new(super::history_view::HistoryView::new(ws)),
    },
];

/// The ids of every registered view, for the command line and tests.
pub fn ids() -> Vec<&'static str> {
    REGISTRY.iter().map(|e| e.id).collect()
}

pub fn entry(id: &str) -> Option<&'static ViewEntry> {
    REGISTRY.iter().find(|e| e.id == id)
}

/// The views of an app, with typed access for the shell's cross-view actions and for tests.
pub struct Views {
    views: Vec<(&'static ViewEntry, Box<dyn View>)>,
}

impl Views {
    pub fn new(ws: &Workspace) -> Self {
        Self {
            views: REGISTRY.iter().map(|e| (e, (e.make)(ws))).collect(),
        }
    }

    /// (id, label) of every view, in switcher order.
    pub fn entries(&self) -> impl Iterator<Item = &'static ViewEntry> + '_ {
        self.views.iter().map(|(e, _)| *e)
    }

    /// The view with `id`, or the first one when no view has it (a file from a newer version).
    pub fn by_id_mut(&mut self, id: &ViewId) -> &mut dyn View {
        let i = self
            .views
            .iter()
            .position(|(e, _)| e.id == id.as_str())
            .unwrap_or(0);
        self.views[i].1.as_mut()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.views.iter().any(|(e, _)| e.id == id)
    }

    /// The id of the view at a position (for Ctrl+1…9).
    pub fn id_at(&self, position: usize) -> Option<&'static str> {
        self.views.get(position).map(|(e, _)| e.id)
    }

    pub fn get<T: View>(&self) -> &T {
        self.views
            .iter()
            .find_map(|(_, v)| v.as_any().downcast_ref::<T>())
            .expect("the view is registered")
    }

    pub fn get_mut<T: View>(&mut self) -> &mut T {
        self.views
            .iter_mut()
            .find_map(|(_, v)| v.as_any_mut().downcast_mut::<T>())
            .expect("the view is registered")
    }

    /// Replaces a registered view of the same type (tests pin dates, sizes, folders).
    pub fn replace<T: View>(&mut self, view: T) {
        if let Some((_, slot)) = self
            .views
            .iter_mut()
            .find(|(_, v)| v.as_any().downcast_ref::<T>().is_some())
        {
            *slot = Box::new(view);
        }
    }

    pub fn reset_all(&mut self, ws: &Workspace) {
        for (_, v) in &mut self.views {
            v.reset(ws);
        }
    }
}
