//! Writes `saved_sessions/presenter-demo.ron`, the session the app opens with: the article's
//! story as a ready deck, three what-ifs, and the illustrative orders.
//!
//! The session is built through the `Workspace` API, change by change, as a person at the desk
//! would make it, so its history is a real hash-chained audit trail (times pinned, so the file
//! only changes when this program does). Run it again after changing the story:
//!
//! ```sh
//! cargo run --example presenter_demo            # writes saved_sessions/presenter-demo.ron
//! cargo run --example presenter_demo -- OUT.ron # or somewhere else
//! ```

use diffusion_desk::cc;
use diffusion_desk::fleets::training::CalculatorSettings;
use diffusion_desk::geo::projection;
use diffusion_desk::rules::{CountryCode, Engine, Item, Order, Scenario, VeuStatus};
use diffusion_desk::session::deck::view_ids;
use diffusion_desk::session::what_if_presets::{self, NO_LPP, POLAND_TIER1};
use diffusion_desk::session::{
    MapOverlay, MapViewState, Party, PlotId, PlotScale, PlotSettings, RulesetRef, Session, Slide,
    SlideView, ViewId, Workspace, file,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

const TITLE: &str = "Presenter demo: national caps vs corporate purchases";
const NOTES: &str = "One Tier 2 country's 2025–2027 allocation (790M TPP ≈ 49,899 H100e) against Meta's 150,000 H100s of 2023. Orders are illustrative, not real transactions. Present (F5) tells the story: the tiers, the caps against company purchases, what a cap buys, and what-ifs shown beside the rule as written.";
/// Who built the demo, as the history records it.
const USER: &str = "m.keller";
/// When the first event happened; each later one a minute after the one before.
const START: &str = "2026-11-30T09:00:00Z";

fn clock() -> diffusion_desk::session::workspace::Clock {
    let start: jiff::Timestamp = START.parse().expect("a valid time");
    let minutes = Arc::new(AtomicI64::new(0));
    Arc::new(move || {
        let m = minutes.fetch_add(1, Ordering::Relaxed);
        start
            .checked_add(jiff::SignedDuration::from_mins(m))
            .expect("in range")
    })
}

fn party(name: &str, hq: CountryCode, parent_hq: Option<CountryCode>, veu: VeuStatus) -> Party {
    Party {
        name: name.into(),
        hq,
        parent: None,
        parent_hq,
        veu,
    }
}

#[allow(clippy::too_many_arguments)]
fn order(
    id: &str,
    date: &str,
    dest: CountryCode,
    consignee: &str,
    hq: CountryCode,
    parent_hq: Option<CountryCode>,
    veu: VeuStatus,
    item: Item,
    quantity: u64,
) -> Order {
    Order {
        id: id.into(),
        date: date.parse().expect("a valid date"),
        destination: dest,
        consignee: consignee.into(),
        consignee_hq: hq,
        parent: None,
        parent_hq,
        veu,
        item,
        quantity,
        licence: None,
    }
}

fn chip(id: &str) -> Item {
    Item::Chip(id.into())
}

/// The illustrative orders: the earlier demo's ten, and two that the what-ifs change (a Malaysian
/// order beyond the national cap, which a g2g arrangement would make room for; a Polish
/// company's order that Tier 1 would authorise under AIA). Book order is the id order.
fn orders() -> Vec<Order> {
    [allocation_orders(), one_order_per_rule(), what_if_orders()].concat()
}

/// Tier 2 data-centre orders: India's and Malaysia's draw their country's allocation; the UAE's
/// goes to a national validated end user.
fn allocation_orders() -> Vec<Order> {
    use VeuStatus::{None as NoVeu, Nveu};
    vec![
        order(
            "DEMO-001",
            "2025-02-03",
            cc!("IN"),
            "Bharat Compute Pvt",
            cc!("IN"),
            None,
            NoVeu,
            chip("h100-sxm"),
            1000,
        ),
        order(
            "DEMO-002",
            "2025-03-10",
            cc!("IN"),
            "Bharat Compute Pvt",
            cc!("IN"),
            None,
            NoVeu,
            chip("h100-sxm"),
            1000,
        ),
        order(
            "DEMO-003",
            "2025-04-01",
            cc!("MY"),
            "Selangor AI Park",
            cc!("MY"),
            None,
            NoVeu,
            chip("h200"),
            40000,
        ),
        order(
            "DEMO-004",
            "2025-06-16",
            cc!("MY"),
            "Selangor AI Park",
            cc!("MY"),
            None,
            NoVeu,
            chip("b200"),
            2500,
        ),
        order(
            "DEMO-005",
            "2025-05-20",
            cc!("AE"),
            "Gulf Sovereign Compute",
            cc!("AE"),
            None,
            Nveu,
            chip("b200"),
            30000,
        ),
    ]
}

/// One order for each other case: a consignee headquartered in another Tier 2 country, a Tier 1
/// destination (AIA), Tier 3 (China), controlled model weights, and consumer gaming GPUs.
fn one_order_per_rule() -> Vec<Order> {
    use VeuStatus::None as NoVeu;
    vec![
        order(
            "DEMO-006",
            "2025-07-01",
            cc!("BR"),
            "Nusantara Cloud",
            cc!("ID"),
            None,
            NoVeu,
            chip("mi300x"),
            12000,
        ),
        order(
            "DEMO-007",
            "2025-02-14",
            cc!("DE"),
            "Azure Frankfurt GmbH",
            cc!("DE"),
            Some(cc!("US")),
            NoVeu,
            chip("gb200"),
            20000,
        ),
        order(
            "DEMO-008",
            "2025-03-03",
            cc!("CN"),
            "Shenzhen Render Farm",
            cc!("CN"),
            None,
            NoVeu,
            chip("h100-pcie"),
            500,
        ),
        order(
            "DEMO-009",
            "2025-08-12",
            cc!("SA"),
            "Riyadh Frontier Lab",
            cc!("SA"),
            None,
            NoVeu,
            Item::ModelWeights {
                training_ops: 3e26,
                open_weights: false,
            },
            1,
        ),
        order(
            "DEMO-010",
            "2025-09-02",
            cc!("PL"),
            "Warsaw Gaming Cafés",
            cc!("PL"),
            None,
            NoVeu,
            chip("rtx-4090"),
            800,
        ),
    ]
}

/// The two orders the what-ifs change: Malaysia beyond its national cap (g2g), and a Polish
/// company's order (Poland in Tier 1).
fn what_if_orders() -> Vec<Order> {
    use VeuStatus::None as NoVeu;
    vec![
        order(
            "DEMO-011",
            "2025-10-06",
            cc!("MY"),
            "Selangor AI Park",
            cc!("MY"),
            None,
            NoVeu,
            chip("b200"),
            5000,
        ),
        order(
            "DEMO-012",
            "2025-09-15",
            cc!("PL"),
            "Vistula AI Lab",
            cc!("PL"),
            None,
            NoVeu,
            chip("h100-sxm"),
            3000,
        ),
    ]
}

/// The map centred on `lon`, `lat` at `zoom`.
fn map_at(lon: f64, lat: f64, zoom: f32) -> MapViewState {
    let [x, y] = projection::forward(lon, lat);
    MapViewState {
        zoom,
        center: [x as f32, y as f32],
        overlay: MapOverlay::Tier,
        selected: None,
    }
}

fn caps_plot(scale: PlotScale) -> PlotSettings {
    PlotSettings {
        kind: PlotId::new("caps"),
        scale,
        ..Default::default()
    }
}

fn slide(title: &str, caption: &str, notes: &str, view: SlideView) -> Slide {
    let mut s = Slide::new(title, view);
    s.caption = caption.into();
    s.notes = notes.into();
    s
}

/// The article's story: the tiers; national caps against Meta's 150k H100s; what a cap buys;
/// what-ifs beside the rule as written.
fn deck() -> Vec<Slide> {
    vec![
        slide(
            "Three tiers: who may buy AI chips, and how many",
            "Tier 1 — the United States and 18 close allies — has no national cap. Tier 3 — \
             arms-embargoed countries (D:5) and Macau — faces a presumption of denial. Every \
             other country is Tier 2, with a national cap.",
            "90 FR 4544, January 2025. Tier 2 is most of the world: India, Brazil, Poland, \
             Saudi Arabia, Malaysia… Hong Kong counts as China. Point at the Gulf and at \
             Poland: EU and NATO members are not all Tier 1.",
            SlideView::Map {
                map: MapViewState::default(),
                what_if: None,
            },
        ),
        slide(
            "A whole country's cap vs one company's purchases",
            "A Tier 2 country may license 790M TPP for 2025–2027 — about 49,899 H100s. Meta \
             alone bought about 150,000 H100s in 2023: three national caps.",
            "Blue bars are caps from the ruleset, orange bars company purchases (Omdia via \
             Tom's Hardware). Hover a bar for its source. A g2g arrangement doubles a country's \
             cap; a national validated end user (NVEU) may reach 320,000 H100e by 2027.",
            SlideView::Plot {
                plots: caps_plot(PlotScale::Linear),
                what_if: None,
            },
        ),
        slide(
            "Caps and purchases on a log scale",
            "Without a licence a consignee gets 26.9M TPP a year (LPP, ≈ 1,699 H100s); a country \
             790M; a validated end user up to ≈ 320,000 H100e. Each step is about ten times the \
             one before.",
            "Log scale: every grid line is ten times the one before. The LPP room is per \
             consignee per calendar year; the country cap is for three years.",
            SlideView::Plot {
                plots: caps_plot(PlotScale::Log),
                what_if: None,
            },
        ),
        slide(
            "What a cap buys: a frontier model in two months",
            "A Tier 2 country's whole allocation — 49,898 H100s — at 40 % utilisation trains a \
             1e26-operation model, the threshold for controlled model weights, in about 58.6 days.",
            "Formula on screen: days = C ÷ (N × dense BF16 rate × utilisation) ÷ 86,400. The cap \
             limits fleets — inference and many runs — more than one training run.",
            SlideView::Calculator {
                settings: CalculatorSettings::default(),
            },
        ),
        slide(
            "What if Poland were Tier 1?",
            "A what-if, not the rule as written: Poland, an EU and NATO member, moved to Tier 1. \
             Outlined: the country whose tier changes.",
            "Press W to switch what-ifs on a slide, mid-talk. Under this what-if Polish \
             companies could use AIA and Poland would have no national cap: the Vistula AI Lab's \
             3,000 H100s (DEMO-012) would need no licence.",
            SlideView::Map {
                map: map_at(15.0, 50.0, 4.0),
                what_if: Some(POLAND_TIER1.into()),
            },
        ),
        slide(
            "What if there were no LPP?",
            "A what-if, not the rule as written: without License Exception LPP, small orders \
             need a licence and draw their country's cap.",
            "The table lists each order whose decision changes, as written and under the \
             what-if, with the finding that decides it.",
            SlideView::Comparison {
                what_if: NO_LPP.into(),
            },
        ),
    ]
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/presenter-demo.ron")
        });
    let engine = Arc::new(Engine::embedded());
    let mut session = Session::new(TITLE, RulesetRef::of(engine.loaded()));
    session.notes = NOTES.into();
    let mut ws = Workspace::with_clock(Arc::clone(&engine), session, USER.into(), clock());

    let parties = [
        party("Bharat Compute Pvt", cc!("IN"), None, VeuStatus::None),
        party("Nusantara Cloud", cc!("ID"), None, VeuStatus::None),
        party("Selangor AI Park", cc!("MY"), None, VeuStatus::None),
        party("Gulf Sovereign Compute", cc!("AE"), None, VeuStatus::Nveu),
        party(
            "Azure Frankfurt GmbH",
            cc!("DE"),
            Some(cc!("US")),
            VeuStatus::Uveu,
        ),
    ];
    for p in parties {
        ws.save_party(None, p).expect("a new party");
    }
    let mut scenario = Scenario::default();
    scenario.g2g.insert(cc!("AE"));
    ws.set_scenario(scenario).expect("the UAE is Tier 2");
    for o in orders() {
        ws.add_order(o).expect("a valid order");
    }
    for w in what_if_presets::presets(&engine) {
        ws.save_what_if(None, w).expect("a valid what-if");
    }

    // View state and deck are not audited: they are how the presenter left the desk.
    ws.session.view.view = ViewId::new(view_ids::MAP);
    ws.session.view.plots.country = Some(cc!("MY"));
    ws.session.deck.slides = deck();

    for w in &ws.session.what_ifs {
        let book = diffusion_desk::session::what_if_eval::WhatIfBook::evaluate(&ws, w)
            .expect("the preset evaluates");
        eprintln!("{}: {}", w.name, book.diff.summary());
    }
    file::save_session(&out, &ws.session).expect("the session is written");
    eprintln!(
        "wrote {} ({} events, {} slides)",
        out.display(),
        ws.session.history.len(),
        ws.session.deck.len()
    );
}
