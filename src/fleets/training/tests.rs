//! Hand-computed figures: `ai-diffusion-rule.md` §13 and `compute-fleets.md`'s what-if table.

use super::*;
use crate::fleets::{Fleets, caps_from_ruleset};
use crate::rules::LoadedRuleset;

fn setup() -> (Catalogue, ChipCatalogue) {
    let rs = LoadedRuleset::embedded().ruleset;
    let cat = Catalogue::new(&rs, Fleets::embedded().unwrap()).unwrap();
    (cat, ChipCatalogue::embedded())
}

fn chip(id: &str) -> Chip {
    ChipCatalogue::embedded().get(id).unwrap().clone()
}

fn cap(id: &str) -> Cap {
    let rs = LoadedRuleset::embedded().ruleset;
    caps_from_ruleset(&rs)
        .unwrap()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap()
}

fn days(n: u64, id: &str, c: f64) -> f64 {
    training_time(&Fleet::of_chips(n, &chip(id)), c, 0.4)
        .unwrap()
        .days
}

fn close(got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "got {got}, want {want} ± {tol}");
}

/// 1e26 ÷ (49,899 × 989e12 × 0.4) ÷ 86,400 = 58.632 days (§13 says ≈ 58.5 for 50,000).
#[test]
fn fifty_thousand_h100_train_1e26_in_about_two_months() {
    close(days(49_899, "h100-sxm", 1e26), 58.632, 0.001);
    close(days(50_000, "h100-sxm", 1e26), 58.514, 0.001);
}

/// ⌊790,000,000 ÷ 15,832⌋ = 49,898: the reference's 49,899 rounds 49,898.94 to nearest, but
/// 49,899 H100s are 790,000,968 TPP, over the cap. The days agree to the first decimal.
#[test]
fn country_allocation_on_h100_buys_whole_chips_within_the_cap() {
    let fleet = Fleet::from_cap(&cap("cap-allocation"), &chip("h100-sxm")).unwrap();
    assert_eq!(fleet.count, 49_898);
    assert!(
        fleet
            .count_derivation
            .contains("790,000,000 TPP ÷ 15,832 TPP per NVIDIA H100 SXM = 49,898.94 → 49,898"),
        "{}",
        fleet.count_derivation
    );
    let t = training_time(&fleet, 1e26, 0.4).unwrap();
    close(t.days, 58.634, 0.001);
    assert_eq!(fmt_days(t.days), "58.6 days");
    assert!(
        t.worked
            .starts_with("1e26 FLOP ÷ (49,898 × 989 TFLOP/s × 40 %) = 5.07e6 s"),
        "{}",
        t.worked
    );
    assert!(t.worked.ends_with("≈ 58.6 days"), "{}", t.worked);
    let all = t.assumptions.join(" ");
    for needle in [
        "989 TFLOP/s dense BF16",
        "§13",
        "SECONDARY",
        "40 %",
        "one chip type",
    ] {
        assert!(all.contains(needle), "{needle}: {all}");
    }
}

/// LPP room: ⌊26,900,000 ÷ 15,832⌋ = 1,699 H100 → 1e26 in ≈ 1,722 days (table: ~1,720).
#[test]
fn lpp_room_takes_almost_five_years() {
    let fleet = Fleet::from_cap(&cap("cap-lpp"), &chip("h100-sxm")).unwrap();
    assert_eq!(fleet.count, 1_699);
    let t = training_time(&fleet, 1e26, 0.4).unwrap();
    close(t.days, 1_722.01, 0.01);
    assert_eq!(fmt_days(t.days), "1,722 days (4.7 years)");
    // GPT-4 scale (2.1e25): table ~361.
    close(days(1_699, "h100-sxm", 2.1e25), 361.62, 0.01);
}

/// Meta's 2023 purchase (150,000 H100, Omdia) → ≈ 19.5 days (table: ~20).
#[test]
fn meta_2023_purchase_from_the_fleets_data() {
    let (cat, chips) = setup();
    let meta = cat.fleets.get("omdia-2023-meta").unwrap();
    let fleet = Fleet::from_figure(meta, &cat.converter, &chips).unwrap();
    assert_eq!(fleet.count, 150_000);
    assert_eq!(fleet.chip.id, "h100-sxm");
    let t = training_time(&fleet, 1e26, 0.4).unwrap();
    close(t.days, 19.505, 0.001);
    assert_eq!(fmt_days(t.days), "19.5 days");
}

/// The rest of compute-fleets.md's what-if table (its author used 989.5 TFLOP/s).
#[test]
fn what_if_table_rows() {
    // Doubled allocation: ⌊1,580,000,000 ÷ 15,832⌋ = 99,797 → ~29 days; GPT-4 scale ~6.
    let g2g = Fleet::from_cap(&cap("cap-allocation-g2g"), &chip("h100-sxm")).unwrap();
    assert_eq!(g2g.count, 99_797);
    close(training_time(&g2g, 1e26, 0.4).unwrap().days, 29.317, 0.001);
    close(training_time(&g2g, 2.1e25, 0.4).unwrap().days, 6.156, 0.001);
    // xAI Colossus first phase 100,000 → ~29; after expansion 200,000 → ~15.
    close(days(100_000, "h100-sxm", 1e26), 29.257, 0.001);
    close(days(200_000, "h100-sxm", 1e26), 14.629, 0.001);
    // NVEU ceiling by 2027: 5,066,240,000 TPP = 320,000 H100 exactly → ~9 days.
    let nveu = Fleet::from_cap(&cap("cap-nveu-2027-12-31"), &chip("h100-sxm")).unwrap();
    assert_eq!(nveu.count, 320_000);
    assert!(!nveu.count_derivation.contains('→'), "exact: no rounding");
    close(training_time(&nveu, 1e26, 0.4).unwrap().days, 9.143, 0.001);
    // GPT-4 scale on the allocation: ~12 days. FLOP in 90 days: 1.5e26.
    close(days(49_899, "h100-sxm", 2.1e25), 12.313, 0.001);
    let alloc = Fleet::of_chips(49_899, &chip("h100-sxm"));
    close(ops_in_days(&alloc, 90.0, 0.4).unwrap() / 1e26, 1.535, 0.001);
    let meta = Fleet::of_chips(150_000, &chip("h100-sxm"));
    close(ops_in_days(&meta, 90.0, 0.4).unwrap() / 1e26, 4.614, 0.001);
}

/// §13's "how many fit" table for the other chips, and their days on the allocation.
#[test]
fn allocation_spent_on_other_chips() {
    for (id, n) in [("b200", 21_944), ("mi300x", 37_764), ("a100", 158_253)] {
        let fleet = Fleet::from_cap(&cap("cap-allocation"), &chip(id)).unwrap();
        assert_eq!(fleet.count, n, "{id}");
    }
    // B200: 1e26 ÷ (21,944 × 2,250e12 × 0.4) ÷ 86,400 = 58.604 days.
    close(days(21_944, "b200", 1e26), 58.604, 0.001);
}

#[test]
fn bad_inputs_are_refused_with_a_reason() {
    let h100 = Fleet::of_chips(1_000, &chip("h100-sxm"));
    for u in [0.0, -0.1, 1.01, f64::NAN] {
        let e = training_time(&h100, 1e26, u).unwrap_err();
        assert!(matches!(e, TrainingError::Utilisation(_)), "{u}: {e}");
    }
    assert!(training_time(&h100, 1e26, 1.0).is_ok(), "100 % is allowed");
    for c in [0.0, -1e26, f64::INFINITY] {
        assert!(matches!(
            training_time(&h100, c, 0.4),
            Err(TrainingError::Compute(_))
        ));
    }
    // No rate in the reference for the H800 or the RTX 4090: refused, never guessed.
    for id in ["h800", "rtx-4090", "h100-nvl"] {
        let e = training_time(&Fleet::of_chips(10, &chip(id)), 1e26, 0.4).unwrap_err();
        assert!(e.to_string().contains("no dense training rate"), "{e}");
    }
    assert_eq!(
        training_time(&Fleet::of_chips(0, &chip("a100")), 1e26, 0.4),
        Err(TrainingError::NoChips)
    );
    assert!(matches!(
        training_time(&Fleet::of_chips(u64::MAX, &chip("a100")), 1e26, 0.4),
        Err(TrainingError::TooManyChips(_))
    ));
}

#[test]
fn purchases_that_do_not_convert_are_refused() {
    let (cat, chips) = setup();
    for id in ["omdia-2024-meta", "epoch-2024-google", "kr-2025-blackwell"] {
        let f = cat.fleets.get(id).unwrap();
        let e = Fleet::from_figure(f, &cat.converter, &chips).unwrap_err();
        assert!(matches!(e, TrainingError::Unit(_)), "{id}: {e}");
    }
    // Tencent's 2023 H800s count as H100s (same TPP), and the assumption says so.
    let tencent = cat.fleets.get("omdia-2023-tencent").unwrap();
    let fleet = Fleet::from_figure(tencent, &cat.converter, &chips).unwrap();
    assert!(fleet.assumptions.iter().any(|a| a.contains("H800")));
}

#[test]
fn a_cap_too_small_for_one_chip_says_so() {
    let mut tiny = cap("cap-lpp");
    tiny.tpp = 10_000;
    let e = Fleet::from_cap(&tiny, &chip("h100-sxm")).unwrap_err();
    assert!(
        e.to_string().contains("buys no whole NVIDIA H100 SXM"),
        "{e}"
    );
}

#[test]
fn comparison_times_every_cap_and_skips_what_it_cannot() {
    let (cat, chips) = setup();
    let figures: Vec<String> = ["omdia-2023-meta", "omdia-2024-meta", "nope"]
        .map(String::from)
        .to_vec();
    let (bars, skipped) = compare(&cat, &chips, &chip("h100-sxm"), &figures, 1e26, 0.4).unwrap();
    assert_eq!(bars.len(), cat.caps.len() + 1);
    assert!(bars.windows(2).all(|w| w[0].time.days <= w[1].time.days));
    assert_eq!(bars.last().unwrap().id, "cap-lpp");
    assert_eq!(skipped.len(), 2);
    assert!(skipped.iter().any(|s| s.reason.contains("Hopper")));
    assert!(compare(&cat, &chips, &chip("h100-sxm"), &figures, 1e26, 0.0).is_err());
    assert_eq!(
        default_compute_ops(&LoadedRuleset::embedded().ruleset),
        1e26
    );
}

#[test]
fn number_formats() {
    assert_eq!(fmt_ops(1e26), "1e26");
    assert_eq!(fmt_ops(2.1e25), "2.1e25");
    assert_eq!(fmt_ops(5_065_846.2), "5.07e6");
    assert_eq!(fmt_ops(9.999e5), "1e6");
    assert_eq!(fmt_percent(0.4), "40 %");
    assert_eq!(fmt_percent(0.355), "35.5 %");
    assert_eq!(fmt_fraction(989.0), "989");
    assert_eq!(fmt_fraction(49_898.938_858), "49,898.94");
    assert_eq!(fmt_days(0.25), "6.0 hours");
    assert_eq!(fmt_days(12.31), "12.3 days");
}

#[test]
fn default_settings_time_the_country_allocation_on_h100() {
    let (cat, chips) = setup();
    let rs = LoadedRuleset::embedded().ruleset;
    let s = CalculatorSettings::default();
    assert_eq!(s.compute_ops(&rs), 1e26);
    let t = s.result(&cat, &chips, &rs).unwrap();
    assert_eq!(t.fleet.count, 49_898);
    assert_eq!(fmt_days(t.days), "58.6 days");
    for kind in FleetKind::ALL {
        let s = CalculatorSettings {
            fleet: kind,
            ..CalculatorSettings::default()
        };
        assert!(s.result(&cat, &chips, &rs).is_ok(), "{kind:?}");
    }
    // Every default comparison figure converts.
    let (_, skipped) = compare(
        &cat,
        &chips,
        &chip("h100-sxm"),
        &s.compare_figures,
        1e26,
        0.4,
    )
    .unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    // Settings survive a RON round trip (they are saved in the session's view state).
    let text = ron::to_string(&s).unwrap();
    assert_eq!(ron::from_str::<CalculatorSettings>(&text).unwrap(), s);
    let partial: CalculatorSettings = ron::from_str("(utilisation: 0.5)").unwrap();
    assert_eq!(partial.utilisation, 0.5);
    assert_eq!(partial.chip_id, "h100-sxm");
}

#[test]
fn compute_is_parsed_as_people_type_it() {
    assert_eq!(parse_ops("1e26").unwrap(), 1e26);
    assert_eq!(parse_ops(" 2.1e25 ").unwrap(), 2.1e25);
    assert_eq!(parse_ops("1.5 × 10^26").unwrap(), 1.5e26);
    assert_eq!(parse_ops("10^25").unwrap(), 1e25);
    assert_eq!(parse_ops("1,000,000").unwrap(), 1e6);
    assert!(parse_ops("lots").is_err());
    assert!(parse_ops("-1e26").is_err());
    assert!(parse_ops("0").is_err());
}
