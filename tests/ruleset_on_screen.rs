//! Every figure the app prints comes from the loaded ruleset: change the ruleset and the screen
//! changes with it. And nothing in the ruleset file can drop out of the rule-data window.

#[path = "support/desk_ui.rs"]
mod desk_ui;
use desk_ui::{choose, empty_orders_desk, fill};

use diffusion_desk::rules::{Engine, LoadedRuleset};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

const MARCH: jiff::civil::Date = jiff::civil::date(2025, 3, 1);
const SHIPPED: &str = include_str!("../assets/ruleset.ron");

/// The shipped ruleset with `(from, to)` replaced, each exactly once.
fn ruleset_with(changes: &[(&str, &str)]) -> Engine {
    let mut text = SHIPPED.to_string();
    for (from, to) in changes {
        assert_eq!(text.matches(from).count(), 1, "{from} is not unique");
        text = text.replacen(from, to, 1);
    }
    let loaded = LoadedRuleset::parse("changed-ruleset.ron", &text).expect("still a ruleset");
    Engine::with_ruleset(loaded).expect("still a consistent ruleset")
}

#[test]
fn changed_rule_figures_are_the_ones_on_screen() {
    let engine = ruleset_with(&[
        (
            "min_tier1_share: (value: 0.75",
            "min_tier1_share: (value: 0.7",
        ),
        (
            "max_share_per_tier2_country: (value: 0.07",
            "max_share_per_tier2_country: (value: 0.09",
        ),
        (
            "min_us_share_for_us_hq: (value: 0.5",
            "min_us_share_for_us_hq: (value: 0.55",
        ),
        ("value: 790000000", "value: 800000000"),
        ("value: 26900000", "value: 27500000"),
        ("value: 1e26", "value: 3e25"),
        (
            "modelled_until: (value: \"2027-12-31\"",
            "modelled_until: (value: \"2028-12-31\"",
        ),
    ]);
    let mut h = empty_orders_desk(engine, MARCH);

    // The scenario window: the allocation, its period and the UVEU limits.
    choose(&mut h, "Session", "Scenario…");
    h.get_by_label_contains("has its 2025–2028 allocation multiplied by 2 (800M → 1.6B TPP)");
    h.get_by_label_contains("the 70 % / 9 % / 55 % distribution limits");
    h.key_press(egui::Key::Escape);
    h.run();

    // The order form: the model-weights threshold where the item is chosen.
    h.get_by_role_and_label(Role::ComboBox, "Item").click();
    h.run();
    h.get_by_label("Model weights (4E091 if closed and ≥ 3e25 ops)");
    h.key_press(egui::Key::Escape);
    h.run();

    // A decision: the LPP room of the year.
    fill(&mut h, "Order id", "LPP-1");
    fill(&mut h, "Destination", "IN");
    fill(&mut h, "Consignee", "Bharat Compute Pvt");
    fill(&mut h, "Consignee HQ", "IN");
    fill(&mut h, "Quantity", "100");
    h.get_by_label_contains("limit 27.5M TPP per calendar year");
}

#[test]
fn every_ruleset_parameter_is_in_the_rule_data_window() {
    let engine = Engine::embedded();
    let params = engine.ruleset().parameters();
    assert!(params.len() > 20, "the walk finds the parameters");
    let mut h = empty_orders_desk(engine, MARCH);
    choose(&mut h, "Rules", "Rule data and sources…");
    for p in &params {
        fill(&mut h, "Filter", &p.name);
        h.get_by_label(&p.name);
        if !p.value.is_empty() {
            assert!(
                h.query_all_by_label_contains(&p.value).next().is_some(),
                "{}: value {} not shown",
                p.name,
                p.value
            );
        }
        assert!(
            h.query_all_by_label_contains(&p.provenance.cite)
                .next()
                .is_some(),
            "{}: citation not shown",
            p.name
        );
    }
}

#[test]
fn a_changed_value_shows_in_the_rule_data_window() {
    // The window walks the ruleset, not a list typed into the UI: a changed value shows at once.
    let engine = ruleset_with(&[("value: 26900000", "value: 27500000")]);
    let mut h = empty_orders_desk(engine, MARCH);
    choose(&mut h, "Rules", "Rule data and sources…");
    fill(&mut h, "Filter", "lpp_room_tpp_per_year");
    h.get_by_label_contains("27500000 (TPP per ultimate consignee per calendar year)");
}

#[test]
fn the_gb200_unit_is_explained_in_the_rule_data_window() {
    let mut h = empty_orders_desk(Engine::embedded(), MARCH);
    choose(&mut h, "Rules", "Rule data and sources…");
    fill(&mut h, "Filter", "GB200");
    h.get_by_label_contains("GB200 superchip (one Grace CPU and two GPUs) is 2 units");
    h.snapshot("rule_data_chips");
}
