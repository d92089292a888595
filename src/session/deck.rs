//! The deck: slides made from what the views show, and the edits the deck window makes. A slide
//! stores a view's saved state, so presenting it (or exporting it) shows exactly what was there
//! when it was added. Deck edits are not audited (they change no decision); they make the
//! session dirty. Pure domain, no egui.

use super::model::{Deck, Slide, SlideView, ViewId, ViewState};

/// The view ids slides are shown in. They are the UI's view registry ids, saved in session files
/// like `ViewId`'s default ("map"), so they cannot change.
pub mod view_ids {
    pub const MAP: &str = "map";
    pub const ORDERS: &str = "orders";
    pub const PLOTS: &str = "plots";
    pub const COMPARISON: &str = "comparison";
    pub const CALCULATOR: &str = "calculator";
}

impl SlideView {
    /// The view the slide is shown in.
    pub fn view_id(&self) -> &'static str {
        match self {
            SlideView::Map { .. } => view_ids::MAP,
            SlideView::Plot { .. } => view_ids::PLOTS,
            SlideView::Order { .. } => view_ids::ORDERS,
            SlideView::Comparison { .. } => view_ids::COMPARISON,
            SlideView::Calculator { .. } => view_ids::CALCULATOR,
        }
    }

    /// What kind of slide this is, for the deck window.
    pub fn kind_label(&self) -> &'static str {
        match self {
            SlideView::Map { .. } => "Map",
            SlideView::Plot { .. } => "Plot",
            SlideView::Order { .. } => "Order",
            SlideView::Comparison { .. } => "What-if comparison",
            SlideView::Calculator { .. } => "What a cap buys",
        }
    }

    /// The what-if the slide shows beside the rule as written, if any.
    pub fn what_if(&self) -> Option<&str> {
        match self {
            SlideView::Map { what_if, .. } | SlideView::Plot { what_if, .. } => what_if.as_deref(),
            SlideView::Comparison { what_if } => Some(what_if),
            SlideView::Order { .. } | SlideView::Calculator { .. } => None,
        }
    }

    /// Puts the slide's saved state into `view`: the view to show and its settings. Settings of
    /// other views are left as they are; a slide without a what-if shows the rule only.
    pub fn apply(&self, view: &mut ViewState) {
        view.view = ViewId::new(self.view_id());
        view.what_if = self.what_if().map(str::to_string);
        match self {
            SlideView::Map { map, .. } => view.map = map.clone(),
            SlideView::Plot { plots, .. } => view.plots = plots.clone(),
            SlideView::Calculator { settings } => view.calculator = settings.clone(),
            SlideView::Order { .. } | SlideView::Comparison { .. } => {}
        }
    }

    /// The slide for what `view` shows now. `selected_order` is the order selected in the order
    /// book: an order slide needs one, and without it the orders view gives a what-if comparison
    /// when a what-if is chosen. `None` when the view cannot be a slide.
    pub fn capture(view: &ViewState, selected_order: Option<&str>) -> Option<SlideView> {
        let what_if = view.what_if.clone();
        Some(match view.view.as_str() {
            view_ids::MAP => SlideView::Map {
                map: view.map.clone(),
                what_if,
            },
            view_ids::PLOTS => SlideView::Plot {
                plots: view.plots.clone(),
                what_if,
            },
            view_ids::CALCULATOR => SlideView::Calculator {
                settings: view.calculator.clone(),
            },
            view_ids::COMPARISON => SlideView::Comparison { what_if: what_if? },
            view_ids::ORDERS => match (selected_order, what_if) {
                (Some(id), _) => SlideView::Order {
                    order_id: id.to_string(),
                },
                (None, Some(w)) => SlideView::Comparison { what_if: w },
                (None, None) => return None,
            },
            _ => return None,
        })
    }
}

impl Slide {
    pub fn new(title: impl Into<String>, view: SlideView) -> Self {
        Self {
            title: title.into(),
            caption: String::new(),
            notes: String::new(),
            view,
        }
    }
}

impl Deck {
    pub fn is_empty(&self) -> bool {
        self.slides.is_empty()
    }

    pub fn len(&self) -> usize {
        self.slides.len()
    }

    /// Appends a slide; returns its index.
    pub fn add(&mut self, slide: Slide) -> usize {
        self.slides.push(slide);
        self.slides.len() - 1
    }

    pub fn remove(&mut self, index: usize) -> Option<Slide> {
        (index < self.slides.len()).then(|| self.slides.remove(index))
    }

    /// Moves slide `from` to position `to` (both clamped to the deck); whether anything moved.
    pub fn move_to(&mut self, from: usize, to: usize) -> bool {
        let n = self.slides.len();
        if from >= n {
            return false;
        }
        let to = to.min(n - 1);
        if from == to {
            return false;
        }
        let s = self.slides.remove(from);
        self.slides.insert(to, s);
        true
    }

    pub fn move_up(&mut self, index: usize) -> bool {
        index > 0 && self.move_to(index, index - 1)
    }

    pub fn move_down(&mut self, index: usize) -> bool {
        self.move_to(index, index + 1)
    }

    /// Slides that refer to a what-if the session no longer has, or an order not in the book:
    /// (slide index, what is missing). The deck window and the export say so.
    pub fn dangling(&self, session: &super::Session) -> Vec<(usize, String)> {
        self.slides
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                if let Some(w) = s.view.what_if()
                    && session.what_if(w).is_none()
                {
                    return Some((i, format!("the what-if “{w}” is gone")));
                }
                if let SlideView::Order { order_id } = &s.view
                    && !session.orders.iter().any(|o| &o.id == order_id)
                {
                    return Some((i, format!("order {order_id} is not in the book")));
                }
                None
            })
            .collect()
    }
}

/// A move through the deck, as clickers and keyboards ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Next,
    Previous,
    First,
    Last,
}

/// The slide after `step` from `index` in a deck of `len` slides; the ends hold (a clicker
/// pressed once too often stays on the last slide).
pub fn step(index: usize, len: usize, step: Step) -> usize {
    let last = len.saturating_sub(1);
    match step {
        Step::Next => (index + 1).min(last),
        Step::Previous => index.saturating_sub(1).min(last),
        Step::First => 0,
        Step::Last => last,
    }
}

/// "3 / 8".
pub fn progress(index: usize, len: usize) -> String {
    format!("{} / {len}", (index + 1).min(len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleets::training::CalculatorSettings;
    use crate::session::model::{MapOverlay, MapViewState, PlotScale, PlotSettings};

    fn deck(n: usize) -> Deck {
        let mut d = Deck::default();
        for i in 0..n {
            d.add(Slide::new(
                format!("s{i}"),
                SlideView::Order {
                    order_id: format!("O{i}"),
                },
            ));
        }
        d
    }

    fn titles(d: &Deck) -> Vec<&str> {
        d.slides.iter().map(|s| s.title.as_str()).collect()
    }

    #[test]
    fn reordering_and_removing() {
        let mut d = deck(4);
        assert!(d.move_up(2));
        assert_eq!(titles(&d), ["s0", "s2", "s1", "s3"]);
        assert!(!d.move_up(0));
        assert!(d.move_down(0));
        assert_eq!(titles(&d), ["s2", "s0", "s1", "s3"]);
        assert!(!d.move_down(3));
        assert!(d.move_to(3, 0));
        assert_eq!(titles(&d), ["s3", "s2", "s0", "s1"]);
        assert!(d.move_to(0, 99), "clamped to the end");
        assert_eq!(titles(&d), ["s2", "s0", "s1", "s3"]);
        assert_eq!(d.remove(1).unwrap().title, "s0");
        assert!(d.remove(9).is_none());
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn clicker_steps_hold_at_the_ends() {
        assert_eq!(step(0, 8, Step::Next), 1);
        assert_eq!(step(7, 8, Step::Next), 7);
        assert_eq!(step(0, 8, Step::Previous), 0);
        assert_eq!(step(5, 8, Step::Previous), 4);
        assert_eq!(step(5, 8, Step::First), 0);
        assert_eq!(step(2, 8, Step::Last), 7);
        assert_eq!(step(0, 0, Step::Next), 0);
        assert_eq!(progress(2, 8), "3 / 8");
    }

    #[test]
    fn a_captured_slide_applies_back_to_the_same_view_state() {
        let view = ViewState {
            view: ViewId::new(view_ids::PLOTS),
            plots: PlotSettings {
                scale: PlotScale::Log,
                ..Default::default()
            },
            what_if: Some("No LPP".into()),
            ..Default::default()
        };
        let slide = SlideView::capture(&view, None).unwrap();
        assert_eq!(slide.what_if(), Some("No LPP"));
        let mut other = ViewState::default();
        other.map.overlay = MapOverlay::AllocationUse;
        slide.apply(&mut other);
        assert_eq!(other.view.as_str(), view_ids::PLOTS);
        assert_eq!(other.plots, view.plots);
        assert_eq!(other.what_if.as_deref(), Some("No LPP"));
        assert_eq!(
            other.map.overlay,
            MapOverlay::AllocationUse,
            "other views keep theirs"
        );

        // A map slide without a what-if switches the what-if off when shown.
        let map = SlideView::Map {
            map: MapViewState::default(),
            what_if: None,
        };
        map.apply(&mut other);
        assert_eq!(other.what_if, None);
        assert_eq!(other.view.as_str(), view_ids::MAP);

        let calc = ViewState {
            view: ViewId::new(view_ids::CALCULATOR),
            calculator: CalculatorSettings {
                utilisation: 0.5,
                ..Default::default()
            },
            ..Default::default()
        };
        let s = SlideView::capture(&calc, None).unwrap();
        let mut back = ViewState::default();
        s.apply(&mut back);
        assert_eq!(back.calculator.utilisation, 0.5);
    }

    #[test]
    fn the_orders_view_gives_an_order_or_a_comparison() {
        let mut view = ViewState {
            view: ViewId::new(view_ids::ORDERS),
            ..Default::default()
        };
        assert_eq!(SlideView::capture(&view, None), None);
        assert_eq!(
            SlideView::capture(&view, Some("DEMO-003")),
            Some(SlideView::Order {
                order_id: "DEMO-003".into()
            })
        );
        view.what_if = Some("No LPP".into());
        assert_eq!(
            SlideView::capture(&view, None),
            Some(SlideView::Comparison {
                what_if: "No LPP".into()
            })
        );
        view.view = ViewId::new("history");
        assert_eq!(SlideView::capture(&view, None), None, "not a slide kind");
    }

    #[test]
    fn dangling_slides_are_named() {
        let mut s = crate::session::Session::new("t", Default::default());
        s.deck.add(Slide::new(
            "a",
            SlideView::Comparison {
                what_if: "Gone".into(),
            },
        ));
        s.deck.add(Slide::new(
            "b",
            SlideView::Order {
                order_id: "X".into(),
            },
        ));
        let d = s.deck.dangling(&s);
        assert_eq!(d.len(), 2);
        assert!(d[0].1.contains("Gone"));
        assert!(d[1].1.contains("order X"));
    }
}
