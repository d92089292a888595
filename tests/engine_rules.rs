//! Table-driven tests of the engine, one or more per paragraph of "Engine semantics" in
//! `product.md` (cited as ES-n) and of the rule reference (`ai-diffusion-rule.md` §n).

use diffusion_desk::cc;
use diffusion_desk::rules::decision::FindingCode;
use diffusion_desk::rules::{
    Authority, CountryCode, Decision, Eccn, Engine, Item, LedgerKind, Order, Scenario, Tier,
    Verdict, VeuStatus,
};
use jiff::civil::date;

fn order(
    id: &str,
    d: &str,
    dest: CountryCode,
    consignee: &str,
    hq: CountryCode,
    item: &str,
    qty: u64,
) -> Order {
    Order {
        id: id.into(),
        date: d.parse().unwrap(),
        destination: dest,
        consignee: consignee.into(),
        consignee_hq: hq,
        parent_hq: None,
        veu: VeuStatus::None,
        item: Item::Chip(item.into()),
        quantity: qty,
    }
}

fn weights(dest: CountryCode, hq: CountryCode, ops: f64, open: bool) -> Order {
    Order {
        item: Item::ModelWeights {
            training_ops: ops,
            open_weights: open,
        },
        quantity: 1,
        ..order("W", "2025-06-01", dest, "Lab", hq, "x", 1)
    }
}

fn eval_one(o: Order) -> Decision {
    Engine::embedded()
        .evaluate_book(&Scenario::default(), &[o])
        .remove(0)
}

fn has(d: &Decision, pred: impl Fn(&FindingCode) -> bool) -> bool {
    d.findings.iter().any(|f| pred(&f.code))
}

struct Case {
    name: &'static str,
    order: Order,
    tier: Tier,
    verdict: Verdict,
    authority: Authority,
    eccn: Option<Eccn>,
}

/// ES-1 … ES-8 on single orders against an empty ledger.
#[test]
fn single_order_table() {
    let cases = vec![
        Case {
            name: "ES-5 Tier 1 destination, Tier 1 HQ → AIA",
            order: order(
                "1",
                "2025-03-01",
                cc!("DE"),
                "Berlin AI",
                cc!("DE"),
                "h100-sxm",
                1000,
            ),
            tier: Tier::One,
            verdict: Verdict::Authorized,
            authority: Authority::Aia,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-1 Spain is Tier 1 (Supp. 5(a)); a widely shared article lists French Guiana instead",
            order: order(
                "2",
                "2025-03-01",
                cc!("ES"),
                "Madrid AI",
                cc!("ES"),
                "h100-sxm",
                10,
            ),
            tier: Tier::One,
            verdict: Verdict::Authorized,
            authority: Authority::Aia,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-1 French Guiana is not a named Supp. 5(a) entry → Tier 2 (LPP fits)",
            order: order(
                "3",
                "2025-03-01",
                cc!("GF"),
                "Cayenne DC",
                cc!("GF"),
                "h100-sxm",
                10,
            ),
            tier: Tier::Two,
            verdict: Verdict::Authorized,
            authority: Authority::Lpp,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-5 Tier 1 destination, Tier 2 HQ → LPP when it fits",
            order: order(
                "4",
                "2025-03-01",
                cc!("FR"),
                "Mumbai Cloud Paris",
                cc!("IN"),
                "h100-sxm",
                100,
            ),
            tier: Tier::One,
            verdict: Verdict::Authorized,
            authority: Authority::Lpp,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-5 Tier 1 destination, Tier 2 HQ, too big for LPP → licence (no allocation)",
            order: order(
                "5",
                "2025-03-01",
                cc!("FR"),
                "Mumbai Cloud Paris",
                cc!("IN"),
                "h100-sxm",
                2000,
            ),
            tier: Tier::One,
            verdict: Verdict::LicenseRequired,
            authority: Authority::None,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-4 Tier 3 destination → presumption of denial",
            order: order(
                "6",
                "2025-03-01",
                cc!("CN"),
                "Beijing AI",
                cc!("CN"),
                "a100",
                1,
            ),
            tier: Tier::Three,
            verdict: Verdict::PresumptionOfDenial,
            authority: Authority::None,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-1 Hong Kong counts as China → Tier 3",
            order: order(
                "7",
                "2025-03-01",
                cc!("HK"),
                "HK Trading",
                cc!("HK"),
                "h100-sxm",
                1,
            ),
            tier: Tier::Three,
            verdict: Verdict::PresumptionOfDenial,
            authority: Authority::None,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-1 Macau is Tier 3 though not in D:5",
            order: order(
                "8",
                "2025-03-01",
                cc!("MO"),
                "Macau Gaming",
                cc!("MO"),
                "h100-sxm",
                1,
            ),
            tier: Tier::Three,
            verdict: Verdict::PresumptionOfDenial,
            authority: Authority::None,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-3 / §13 H20 below 3A090.a and .b → not controlled",
            order: order(
                "9",
                "2025-03-01",
                cc!("CN"),
                "Beijing AI",
                cc!("CN"),
                "h20",
                10_000,
            ),
            tier: Tier::Three,
            verdict: Verdict::NotControlled,
            authority: Authority::None,
            eccn: None,
        },
        Case {
            name: "ES-3 non-datacenter part ≥ 4800 TPP → ACA",
            order: order(
                "10",
                "2025-03-01",
                cc!("BR"),
                "São Paulo Games",
                cc!("BR"),
                "rtx-4090",
                500,
            ),
            tier: Tier::Two,
            verdict: Verdict::Authorized,
            authority: Authority::Aca,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-6 Tier 2, no VEU, fits LPP → LPP",
            order: order(
                "11",
                "2025-03-01",
                cc!("IN"),
                "Bharat Compute",
                cc!("IN"),
                "h100-sxm",
                1000,
            ),
            tier: Tier::Two,
            verdict: Verdict::Authorized,
            authority: Authority::Lpp,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-6 Tier 2 above LPP room → licence within the allocation",
            order: order(
                "12",
                "2025-03-01",
                cc!("IN"),
                "Bharat Compute",
                cc!("IN"),
                "h100-sxm",
                2000,
            ),
            tier: Tier::Two,
            verdict: Verdict::LicenseRequired,
            authority: Authority::None,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-6 Tier 2 order above the whole allocation → presumption of denial",
            order: order(
                "13",
                "2025-03-01",
                cc!("IN"),
                "Bharat Compute",
                cc!("IN"),
                "h100-sxm",
                50_000,
            ),
            tier: Tier::Two,
            verdict: Verdict::PresumptionOfDenial,
            authority: Authority::None,
            eccn: Some(Eccn::A3A090a),
        },
        Case {
            name: "ES-8 closed weights ≥ 1e26 to Tier 1 with Tier 1 HQ → AIA",
            order: weights(cc!("JP"), cc!("JP"), 3e26, false),
            tier: Tier::One,
            verdict: Verdict::Authorized,
            authority: Authority::Aia,
            eccn: Some(Eccn::E4E091),
        },
        Case {
            name: "ES-8 closed weights ≥ 1e26 to Tier 2 → presumption of denial",
            order: weights(cc!("AE"), cc!("AE"), 3e26, false),
            tier: Tier::Two,
            verdict: Verdict::PresumptionOfDenial,
            authority: Authority::None,
            eccn: Some(Eccn::E4E091),
        },
        Case {
            name: "ES-8 closed weights ≥ 1e26 to Tier 3 → presumption of denial",
            order: weights(cc!("RU"), cc!("RU"), 3e26, false),
            tier: Tier::Three,
            verdict: Verdict::PresumptionOfDenial,
            authority: Authority::None,
            eccn: Some(Eccn::E4E091),
        },
        Case {
            name: "ES-3 / §4.3 open weights are not controlled",
            order: weights(cc!("CN"), cc!("CN"), 3e26, true),
            tier: Tier::Three,
            verdict: Verdict::NotControlled,
            authority: Authority::None,
            eccn: None,
        },
        Case {
            name: "ES-3 / §4.3 closed weights below 1e26 are not controlled",
            order: weights(cc!("AE"), cc!("AE"), 9.9e25, false),
            tier: Tier::Two,
            verdict: Verdict::NotControlled,
            authority: Authority::None,
            eccn: None,
        },
        Case {
            name: "ES-3 / §4.3 exactly 1e26 operations is controlled",
            order: weights(cc!("AE"), cc!("AE"), 1e26, false),
            tier: Tier::Two,
            verdict: Verdict::PresumptionOfDenial,
            authority: Authority::None,
            eccn: Some(Eccn::E4E091),
        },
    ];
    for c in cases {
        let d = eval_one(c.order);
        assert_eq!(
            (d.tier, d.verdict, d.authority, d.eccn),
            (c.tier, c.verdict, c.authority, c.eccn),
            "{}",
            c.name
        );
    }
}

/// ES-2 / §12: a Tier 1 entity whose ultimate parent is in Tier 3 can use no exception.
#[test]
fn tier1_entity_with_tier3_parent_gets_no_exception() {
    let mut o = order(
        "P",
        "2025-03-01",
        cc!("SE"),
        "Nordic Sub AB",
        cc!("SE"),
        "h100-sxm",
        10,
    );
    o.parent_hq = Some(cc!("CN"));
    let d = eval_one(o.clone());
    assert_eq!(
        (d.verdict, d.authority),
        (Verdict::LicenseRequired, Authority::None)
    );
    assert!(has(
        &d,
        |c| matches!(c, FindingCode::Tier3Headquarters { hq } if *hq == cc!("CN"))
    ));
    // In a Tier 2 destination the same entity cannot use LPP or a VEU either: it draws the allocation.
    o.destination = cc!("IN");
    o.veu = VeuStatus::Nveu;
    let d = eval_one(o);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.counts_against_allocation);
    assert!(!has(&d, |c| matches!(
        c,
        FindingCode::NveuWithinSchedule { .. }
    )));
}

/// ES-2: parent_hq decides, not consignee_hq; a Tier 2 subsidiary of a Tier 1 parent uses AIA in Tier 1.
#[test]
fn parent_headquarters_decides_the_entity_tier() {
    let mut o = order(
        "P",
        "2025-03-01",
        cc!("NL"),
        "Amsterdam Sub BV",
        cc!("SG"),
        "h100-sxm",
        5000,
    );
    o.parent_hq = Some(cc!("US"));
    let d = eval_one(o);
    assert_eq!(
        (d.verdict, d.authority),
        (Verdict::Authorized, Authority::Aia)
    );
}

/// ES-7 / §6: LPP room is per consignee per calendar year and resets on 1 January.
#[test]
fn lpp_room_per_consignee_per_year_resets_on_new_year() {
    let e = Engine::embedded();
    // 26.9M TPP ≈ 1,699.09 H100s: 1,699 fit, the 1,700th does not.
    let orders = vec![
        order(
            "a",
            "2025-02-01",
            cc!("IN"),
            "Bharat",
            cc!("IN"),
            "h100-sxm",
            1_000,
        ),
        order(
            "b",
            "2025-12-31",
            cc!("IN"),
            "Bharat",
            cc!("IN"),
            "h100-sxm",
            699,
        ),
        order(
            "c",
            "2025-12-31",
            cc!("IN"),
            "Bharat",
            cc!("IN"),
            "h100-sxm",
            1,
        ),
        order(
            "d",
            "2025-12-31",
            cc!("IN"),
            "Other Co",
            cc!("IN"),
            "h100-sxm",
            1,
        ),
        order(
            "e",
            "2026-01-01",
            cc!("IN"),
            "Bharat",
            cc!("IN"),
            "h100-sxm",
            1_699,
        ),
    ];
    let d = e.evaluate_book(&Scenario::default(), &orders);
    assert_eq!(d[0].authority, Authority::Lpp);
    assert_eq!(
        d[1].authority,
        Authority::Lpp,
        "1,699 H100 = 26,898,568 TPP fits 26.9M"
    );
    assert_eq!(
        d[2].verdict,
        Verdict::LicenseRequired,
        "room exhausted for Bharat in 2025"
    );
    assert_eq!(
        d[3].authority,
        Authority::Lpp,
        "another consignee has its own room"
    );
    assert_eq!(d[4].authority, Authority::Lpp, "room resets on 1 January");
    let draw = d[4].draw.unwrap();
    assert_eq!(draw.ledger, LedgerKind::Lpp { year: 2026 });
    assert_eq!(draw.remaining_before(), Some(26_900_000));
}

/// ES-6 / ES-7 / §5: the allocation is drawn down to exhaustion; the order that would exceed it is
/// a presumption of denial and draws nothing.
#[test]
fn allocation_drawn_to_exhaustion() {
    let e = Engine::embedded();
    // 790M TPP / 15,832 = 49,898.9 H100s.
    let orders = vec![
        order(
            "1",
            "2025-02-01",
            cc!("BR"),
            "A",
            cc!("BR"),
            "h100-sxm",
            30_000,
        ),
        order(
            "2",
            "2025-03-01",
            cc!("BR"),
            "B",
            cc!("BR"),
            "h100-sxm",
            19_898,
        ),
        order(
            "3",
            "2025-04-01",
            cc!("BR"),
            "C",
            cc!("BR"),
            "h100-sxm",
            2_000,
        ),
        order(
            "4",
            "2025-05-01",
            cc!("BR"),
            "D",
            cc!("BR"),
            "h100-sxm",
            1_000,
        ),
    ];
    let (d, ledger) = e.evaluate_book_with_ledger(&Scenario::default(), &orders);
    assert_eq!(d[0].verdict, Verdict::LicenseRequired);
    assert_eq!(d[1].verdict, Verdict::LicenseRequired);
    assert_eq!(
        d[1].allocation_remaining_tpp,
        Some(790_000_000 - 49_898 * 15_832)
    );
    assert_eq!(
        d[2].verdict,
        Verdict::PresumptionOfDenial,
        "exceeds what remains"
    );
    assert!(d[2].draw.is_none() && !d[2].counts_against_allocation);
    assert_eq!(
        d[3].verdict,
        Verdict::Authorized,
        "a small order still fits LPP (not the allocation)"
    );
    assert_eq!(ledger.allocation_drawn(cc!("BR")), 49_898 * 15_832);
}

/// §5: a government-to-government arrangement doubles the allocation (scenario switch).
#[test]
fn g2g_doubles_the_allocation() {
    let e = Engine::embedded();
    let big = vec![order(
        "1",
        "2025-02-01",
        cc!("AE"),
        "G42",
        cc!("AE"),
        "h100-sxm",
        60_000,
    )];
    let plain = e.evaluate_book(&Scenario::default(), &big);
    assert_eq!(plain[0].verdict, Verdict::PresumptionOfDenial);
    let mut s = Scenario::default();
    s.g2g.insert(cc!("AE"));
    let doubled = e.evaluate_book(&s, &big);
    assert_eq!(doubled[0].verdict, Verdict::LicenseRequired);
    assert_eq!(
        doubled[0].allocation_remaining_tpp,
        Some(1_580_000_000 - 60_000 * 15_832)
    );
    assert!(has(&doubled[0], |c| matches!(c, FindingCode::G2gDoubled)));
}

/// ES-6 / §8: NVEU while the entity's cumulative TPP in the country stays within the schedule for
/// the order's date (≈100k H100e to end-2025, 270k to end-2026, 320k to end-2027).
#[test]
fn nveu_schedule_by_date() {
    let e = Engine::embedded();
    let nveu = |id: &str, d: &str, qty| Order {
        veu: VeuStatus::Nveu,
        ..order(id, d, cc!("SA"), "Humain", cc!("SA"), "h100-sxm", qty)
    };
    let orders = vec![
        nveu("1", "2025-06-01", 100_000),
        nveu("2", "2025-12-31", 1),
        nveu("3", "2026-01-01", 170_000),
        nveu("4", "2026-06-01", 1),
        nveu("5", "2027-01-01", 50_000),
    ];
    let d = e.evaluate_book(&Scenario::default(), &orders);
    assert_eq!(
        d[0].authority,
        Authority::Nveu,
        "100k fits the end-2025 step"
    );
    assert_ne!(
        d[1].authority,
        Authority::Nveu,
        "the 100,001st H100 in 2025 does not"
    );
    assert!(has(&d[1], |c| matches!(
        c,
        FindingCode::NveuExceedsSchedule { .. }
    )));
    assert_eq!(d[2].authority, Authority::Nveu, "270k allowed from 2026");
    assert_ne!(d[3].authority, Authority::Nveu);
    assert_eq!(d[4].authority, Authority::Nveu, "320k allowed in 2027");
    assert!(
        !d[0].counts_against_allocation,
        "ES-7: NVEU does not draw the allocation"
    );
}

/// ES-6 / §7: a UVEU claim needs a Tier 1 headquarters; otherwise it is a finding and the order
/// continues down the list (here to LPP).
#[test]
fn uveu_with_non_tier1_headquarters_falls_through() {
    let o = Order {
        veu: VeuStatus::Uveu,
        ..order(
            "U",
            "2025-03-01",
            cc!("MY"),
            "KL Cloud",
            cc!("SG"),
            "h100-sxm",
            100,
        )
    };
    let d = eval_one(o);
    assert_eq!(d.authority, Authority::Lpp);
    assert!(has(&d, |c| matches!(
        c,
        FindingCode::UveuHeadquartersNotTier1 { .. }
    )));
}

/// §7: UVEU distribution limits (≥75 % Tier 1, ≤7 % per Tier 2 country, ≥50 % US for US HQ),
/// checked when the installed base is known.
#[test]
fn uveu_distribution_limits() {
    let e = Engine::embedded();
    let mut s = Scenario::default();
    s.installed_base.insert(
        "Hyperscaler Inc".into(),
        [
            (cc!("US"), 900_000_000_000u64),
            (cc!("IE"), 100_000_000_000),
        ]
        .into_iter()
        .collect(),
    );
    let uveu = |qty| Order {
        veu: VeuStatus::Uveu,
        ..order(
            "U",
            "2025-03-01",
            cc!("IN"),
            "Hyperscaler Inc",
            cc!("US"),
            "h100-sxm",
            qty,
        )
    };
    // 1M TPP base-equivalent: 5 % of 1e12 in India is ≈ 3.16M H100s; 1,000 H100s is tiny.
    let ok = e.evaluate_book(&s, &[uveu(1_000)]);
    assert_eq!(ok[0].authority, Authority::Uveu);
    assert!(has(&ok[0], |c| matches!(
        c,
        FindingCode::UveuSharesHold { .. }
    )));
    // 8 % of the enlarged base in India breaches the 7 % limit: falls to a licence.
    let big = e.evaluate_book(&s, &[uveu(6_000_000)]);
    assert_ne!(big[0].authority, Authority::Uveu);
    assert!(has(&big[0], |c| matches!(
        c,
        FindingCode::UveuShareBreached { .. }
    )));
    // Unknown installed base: the claim holds, with a warning that the limits were not checked.
    let unknown = Order {
        consignee: "Unknown Co".into(),
        ..uveu(10)
    };
    let d = e.evaluate_book(&s, &[unknown]);
    assert_eq!(d[0].authority, Authority::Uveu);
    assert!(has(&d[0], |c| matches!(
        c,
        FindingCode::UveuInstalledBaseUnknown
    )));
}

/// Product contract: orders are evaluated in date order, input order among equal dates.
#[test]
fn evaluation_is_in_date_order() {
    let e = Engine::embedded();
    let orders = vec![
        order(
            "late",
            "2025-06-01",
            cc!("IN"),
            "Bharat",
            cc!("IN"),
            "h100-sxm",
            1_000,
        ),
        order(
            "early",
            "2025-02-01",
            cc!("IN"),
            "Bharat",
            cc!("IN"),
            "h100-sxm",
            1_000,
        ),
    ];
    let d = e.evaluate_book(&Scenario::default(), &orders);
    assert_eq!(
        d[1].authority,
        Authority::Lpp,
        "the earlier order takes the LPP room"
    );
    assert_eq!(d[0].verdict, Verdict::LicenseRequired);
}

/// Every finding carries a citation; UNCONFIRMED parameters are visible in the findings that use them.
#[test]
fn findings_cite_and_flag_unconfirmed_values() {
    let e = Engine::embedded();
    let d = eval_one(order(
        "1",
        "2025-03-01",
        cc!("IN"),
        "X",
        cc!("IN"),
        "h100-sxm",
        5_000,
    ));
    for f in &d.findings {
        assert!(!f.basis(&e).cite.is_empty(), "{} has no cite", f.code_str());
        assert!(!f.message(&e, "X").is_empty());
    }
    assert!(
        d.findings
            .iter()
            .any(|f| f.basis(&e).confidence.is_uncertain()),
        "the Tier 2 review policy is UNCONFIRMED"
    );
    let msg = d
        .findings
        .iter()
        .find(|f| matches!(f.code, FindingCode::AllocationFits { .. }))
        .unwrap()
        .message(&e, "X");
    assert!(msg.contains("790M"), "{msg}");
}

/// Dates: the rule's effective date and the modelled period bound valid orders.
#[test]
fn validation_rejects_dates_outside_the_rule() {
    let e = Engine::embedded();
    let mut raw = order("1", "2025-03-01", cc!("IN"), "X", cc!("IN"), "h100-sxm", 5).to_raw();
    raw.date = "2024-12-31".into();
    let err = e.validator().validate(&raw).unwrap_err();
    assert!(
        err[0].reason.contains("before the rule took effect"),
        "{:?}",
        err
    );
    raw.date = "2028-01-01".into();
    assert!(e.validator().validate(&raw).is_err());
    raw.date = date(2027, 12, 31).to_string();
    assert!(e.validator().validate(&raw).is_ok());
}
