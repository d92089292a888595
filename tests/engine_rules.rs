//! Table-driven tests of "Engine semantics v2" in `product.md`: one or more per rule (R1–R9),
//! then licences and overrides. Each case names the rule it checks and the finding that must
//! explain the verdict, so a reviewer can trace every verdict to a rule from the findings alone.

use diffusion_desk::cc;
use diffusion_desk::rules::ruleset::UveuEligibility;
use diffusion_desk::rules::{
    Approval, Authority, BookContext, ChipClass, CountryCode, Decision, DecisionOverride, Eccn,
    Engine, FindingCode, FindingContext, Hit, HitState, Item, LedgerKind, Licence, LicenceAmount,
    LicenceOutcome, ListEffect, ListRef, LoadedRuleset, Order, OverrideVerdict, PartyRole,
    Scenario, Screening, Verdict, VeuStatus,
};
use std::sync::{Arc, LazyLock};

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::embedded);

/// An order built field by field: `o("1").to("DE").by("Berlin AI", "DE").chip("h100-sxm", 10)`.
#[derive(Clone)]
struct O(Order);

fn o(id: &str) -> O {
    O(Order {
        id: id.into(),
        date: "2025-06-02".parse().unwrap(),
        destination: cc!("US"),
        consignee: "Consignee".into(),
        consignee_hq: cc!("US"),
        parent: None,
        parent_hq: None,
        veu: VeuStatus::None,
        item: Item::Chip("h100-sxm".into()),
        quantity: 1,
        licence: None,
    })
}

fn code(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

impl O {
    fn to(mut self, dest: &str) -> Self {
        self.0.destination = code(dest);
        self
    }
    fn by(mut self, name: &str, hq: &str) -> Self {
        self.0.consignee = name.into();
        self.0.consignee_hq = code(hq);
        self
    }
    fn parent(mut self, name: &str, hq: &str) -> Self {
        self.0.parent = Some(name.into());
        self.0.parent_hq = Some(code(hq));
        self
    }
    fn chip(mut self, id: &str, qty: u64) -> Self {
        self.0.item = Item::Chip(id.into());
        self.0.quantity = qty;
        self
    }
    fn weights(mut self, ops: f64, open: bool) -> Self {
        self.0.item = Item::ModelWeights {
            training_ops: ops,
            open_weights: open,
        };
        self.0.quantity = 1;
        self
    }
    fn on(mut self, date: &str) -> Self {
        self.0.date = date.parse().unwrap();
        self
    }
    fn veu(mut self, v: VeuStatus) -> Self {
        self.0.veu = v;
        self
    }
    fn under(mut self, licence: &str) -> Self {
        self.0.licence = Some(licence.into());
        self
    }
}

fn book(orders: &[O]) -> Vec<Order> {
    orders.iter().map(|o| o.0.clone()).collect()
}

fn decide_with(engine: &Engine, ctx: &BookContext, orders: &[O]) -> Vec<Decision> {
    engine.evaluate_book_in(ctx, &book(orders))
}

fn decide(orders: &[O]) -> Vec<Decision> {
    ENGINE.evaluate_book(&Scenario::default(), &book(orders))
}

fn one(order: O) -> Decision {
    decide(&[order]).remove(0)
}

fn codes(d: &Decision) -> Vec<&'static str> {
    d.findings.iter().map(|f| f.code_str()).collect()
}

fn has(d: &Decision, pred: impl Fn(&FindingCode) -> bool) -> bool {
    d.findings.iter().any(|f| pred(&f.code))
}

struct Case {
    rule: &'static str,
    order: O,
    verdict: Verdict,
    authority: Authority,
    /// A finding code that must explain the verdict.
    because: &'static str,
}

fn case(
    rule: &'static str,
    order: O,
    verdict: Verdict,
    authority: Authority,
    because: &'static str,
) -> Case {
    Case {
        rule,
        order,
        verdict,
        authority,
        because,
    }
}

fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in cases {
        let d = one(c.order.clone());
        if d.verdict != c.verdict || d.authority != c.authority || !codes(&d).contains(&c.because) {
            failures.push(format!(
                "{}: got {:?} {:?} {:?}",
                c.rule,
                d.verdict,
                d.authority,
                codes(&d)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

use Authority as A;
use Verdict as V;

/// R1: the tier of a destination.
#[test]
fn r1_destination_tiers() {
    let h = |dest: &str| o("1").to(dest).by("Local DC", dest).chip("h100-sxm", 10);
    run(vec![
        case(
            "R1 Spain is in Supp. 5(a)",
            h("ES"),
            V::Authorized,
            A::Aia,
            "AIA_APPLIES",
        ),
        case(
            "R1 the United States is Tier 1",
            h("US"),
            V::Authorized,
            A::Aia,
            "AIA_APPLIES",
        ),
        case(
            "R1 French Guiana is no Supp. 5(a) entry: Tier 2",
            h("GF"),
            V::Authorized,
            A::Lpp,
            "LPP_FITS",
        ),
        case(
            "R1 Cyprus is not D:5: Tier 2",
            h("CY"),
            V::Authorized,
            A::Lpp,
            "LPP_FITS",
        ),
        case(
            "R1 Hong Kong counts as China: Tier 3",
            h("HK"),
            V::PresumptionOfDenial,
            A::None,
            "TIER3_DESTINATION",
        ),
        case(
            "R1 Macau is named beside D:5: Tier 3",
            h("MO"),
            V::PresumptionOfDenial,
            A::None,
            "TIER3_DESTINATION",
        ),
        case(
            "R1 Cambodia was D:5 in January 2025",
            h("KH"),
            V::PresumptionOfDenial,
            A::None,
            "TIER3_DESTINATION",
        ),
    ]);
}

/// R2: the entity's and its ultimate parent's headquarters are read separately; AIA needs
/// both in Tier 1.
#[test]
fn r2_aia_needs_both_headquarters_in_tier1() {
    run(vec![
        case(
            "R2 entity HQ Tier 2, US parent, Tier 1 destination: no AIA (LPP instead)",
            o("1")
                .to("NL")
                .by("Amsterdam Sub BV", "SG")
                .parent("Acme Corp", "US")
                .chip("h100-sxm", 10),
            V::Authorized,
            A::Lpp,
            "AIA_BLOCKED",
        ),
        case(
            "R2 all-Tier-1 entity (DE entity, US parent) in a Tier 1 destination: AIA",
            o("6")
                .to("DE")
                .by("Azure Frankfurt GmbH", "DE")
                .parent("Microsoft", "US")
                .chip("gb200", 10),
            V::Authorized,
            A::Aia,
            "AIA_APPLIES",
        ),
    ]);
}

/// R2: a Tier 3 headquarters, the entity's or its parent's, bars AIA, LPP and VEU.
#[test]
fn r2_a_tier3_headquarters_bars_the_exceptions() {
    run(vec![
        case(
            "R2 Macau-HQ entity with a US parent, Tier 1 destination: no exception",
            o("2")
                .to("JP")
                .by("Cotai Holdings", "MO")
                .parent("Acme Corp", "US")
                .chip("h100-sxm", 10),
            V::LicenseRequired,
            A::None,
            "TIER3_LINK",
        ),
        case(
            "R2 Macau-HQ entity with a US parent, Tier 2 destination: no LPP, a licence",
            o("3")
                .to("IN")
                .by("Cotai Holdings", "MO")
                .parent("Acme Corp", "US")
                .chip("h100-sxm", 10),
            V::LicenseRequired,
            A::None,
            "TIER3_LINK",
        ),
        case(
            "R2 Macau-HQ entity claiming NVEU: no VEU either",
            o("4")
                .to("IN")
                .by("Cotai Holdings", "MO")
                .parent("Acme Corp", "US")
                .veu(VeuStatus::Nveu)
                .chip("h100-sxm", 10),
            V::LicenseRequired,
            A::None,
            "ALLOCATION_FITS",
        ),
        case(
            "R2 Tier-1-HQ entity with a Chinese parent, in its own country: no AIA, no LPP",
            o("5")
                .to("DE")
                .by("Rhein Datacenter GmbH", "DE")
                .parent("Shenzhen Holdings", "CN")
                .chip("h100-sxm", 10),
            V::LicenseRequired,
            A::None,
            "TIER3_LINK",
        ),
    ]);
    // The Tier-3 link names the party that decided it.
    let d = one(o("9")
        .to("DE")
        .by("Rhein Datacenter GmbH", "DE")
        .parent("Shenzhen Holdings", "CN"));
    assert!(has(
        &d,
        |c| matches!(c, FindingCode::Tier3Link { role: PartyRole::Parent, hq } if *hq == cc!("CN"))
    ));
}

/// R2: UVEU eligibility follows the ultimate parent's headquarters.
#[test]
fn r2_uveu_reads_the_parents_headquarters() {
    run(vec![
        case(
            "R2 UVEU: the ultimate parent's HQ decides (India entity, US parent)",
            o("7")
                .to("IN")
                .by("Northwind India", "IN")
                .parent("Northwind Cloud Inc.", "US")
                .veu(VeuStatus::Uveu)
                .chip("h100-sxm", 10_000),
            V::Authorized,
            A::Uveu,
            "UVEU_APPLIES",
        ),
        case(
            "R2 UVEU: a US entity whose parent is in India is not eligible",
            o("8")
                .to("IN")
                .by("Northwind US", "US")
                .parent("Bharat Holdings", "IN")
                .veu(VeuStatus::Uveu)
                .chip("h100-sxm", 10_000),
            V::LicenseRequired,
            A::None,
            "UVEU_INELIGIBLE",
        ),
    ]);
}

/// Findings name the party that decided, as a reviewer reads them.
#[test]
fn r2_findings_name_the_deciding_party() {
    let order = o("1")
        .to("NL")
        .by("Amsterdam Sub BV", "SG")
        .parent("Acme Corp", "US")
        .chip("h100-sxm", 10)
        .0;
    let d = ENGINE
        .evaluate_book(&Scenario::default(), std::slice::from_ref(&order))
        .remove(0);
    let ctx = FindingContext::new(&ENGINE, &order);
    let messages: Vec<String> = d.findings.iter().map(|f| f.message(&ctx)).collect();
    let blocked = messages
        .iter()
        .find(|m| m.contains("AIA needs"))
        .expect("an AIA finding");
    assert!(
        blocked.starts_with("Amsterdam Sub BV is headquartered in Singapore (SG) (Tier 2): AIA needs both the entity and its ultimate parent headquartered in Supp. No. 5 ¶(a)"),
        "{blocked}"
    );
    assert!(blocked.contains("740.27"), "cites §740.27: {blocked}");
    assert!(
        messages.iter().any(|m| m.contains("Amsterdam Sub BV's ultimate parent, Acme Corp, is headquartered in United States (US) (Tier 1)")),
        "{messages:#?}"
    );
    let macau = o("2")
        .to("JP")
        .by("Cotai Holdings", "MO")
        .parent("Acme Corp", "US")
        .0;
    let d = ENGINE
        .evaluate_book(&Scenario::default(), std::slice::from_ref(&macau))
        .remove(0);
    let ctx = FindingContext::new(&ENGINE, &macau);
    assert!(
        d.findings.iter().any(|f| f.message(&ctx).starts_with(
            "Cotai Holdings is headquartered in Macau (MO) (D:5 or Macau): no licence exception"
        )),
        "{:?}",
        d.findings
            .iter()
            .map(|f| f.message(&ctx))
            .collect::<Vec<_>>()
    );
}

/// The UVEU eligibility reading is ruleset data: the other reading changes the verdict.
#[test]
fn r2_uveu_eligibility_is_ruleset_data() {
    let mut loaded = LoadedRuleset::embedded();
    loaded.ruleset.uveu_eligibility.value = UveuEligibility::EntityAndParentInTier1;
    let strict = Engine::with_ruleset(loaded).unwrap();
    let order = o("1")
        .to("IN")
        .by("Northwind India", "IN")
        .parent("Northwind Cloud Inc.", "US")
        .veu(VeuStatus::Uveu)
        .chip("h100-sxm", 10_000);
    let ctx_s = Scenario::default();
    let ctx = BookContext::new(&ctx_s);
    assert_eq!(
        decide_with(&ENGINE, &ctx, std::slice::from_ref(&order))[0].authority,
        A::Uveu
    );
    let d = decide_with(&strict, &ctx, &[order]).remove(0);
    assert_eq!(d.verdict, V::LicenseRequired);
    assert!(has(&d, |c| matches!(
        c,
        FindingCode::UveuIneligible {
            role: PartyRole::Consignee,
            ..
        }
    )));
    // The finding rests on the reading, with its confidence.
    let order = o("1").to("IN").by("X", "IN").veu(VeuStatus::Uveu).0;
    let f = d
        .findings
        .iter()
        .find(|f| f.code_str() == "UVEU_INELIGIBLE")
        .unwrap();
    let b = f.basis(&FindingContext::new(&strict, &order));
    assert_eq!(b.confidence, strict.ruleset().uveu_eligibility.confidence);
}

/// R3: chips by TPP and performance density; weights by openness and training compute.
#[test]
fn r3_items() {
    let to_de = |id: &str| o("1").to("DE").by("Berlin AI", "DE").chip(id, 10);
    run(vec![
        case(
            "R3 L4 is 3A090.a through density alone",
            to_de("l4"),
            V::Authorized,
            A::Aia,
            "CHIP_CLASS",
        ),
        case(
            "R3 H20 is below every 3A090 prong",
            to_de("h20").to("CN").by("Shenzhen AI", "CN"),
            V::NotControlled,
            A::None,
            "OUTSIDE_RULE",
        ),
        case(
            "R3 RTX 4090 is non-datacenter: ACA",
            to_de("rtx-4090").to("PL").by("Warsaw Cafés", "PL"),
            V::Authorized,
            A::Aca,
            "ACA_APPLIES",
        ),
        case(
            "R3 open weights are not controlled",
            o("2").to("CN").by("Lab", "CN").weights(3e26, true),
            V::NotControlled,
            A::None,
            "WEIGHTS_OPEN",
        ),
        case(
            "R3 weights below 1e26 are not controlled",
            o("3").to("CN").by("Lab", "CN").weights(5e25, false),
            V::NotControlled,
            A::None,
            "WEIGHTS_BELOW_THRESHOLD",
        ),
        case(
            "R3 ACA barred by a Tier-3 link",
            to_de("rtx-4090")
                .to("PL")
                .by("Warsaw Cafés", "PL")
                .parent("Beijing Games", "CN"),
            V::LicenseRequired,
            A::None,
            "ACA_BARRED",
        ),
    ]);
    let d = one(to_de("l4"));
    assert_eq!(d.eccn, Some(Eccn::A3A090a));
    assert!(has(&d, |c| matches!(
        c,
        FindingCode::ChipClassified {
            class: ChipClass::A090aByDensity,
            ..
        }
    )));
}

/// R4: Tier 3 destinations meet a presumption of denial, whoever the entity is.
#[test]
fn r4_tier3_destination() {
    run(vec![
        case(
            "R4 China",
            o("1").to("CN").by("Acme China", "US").chip("h100-sxm", 1),
            V::PresumptionOfDenial,
            A::None,
            "TIER3_DESTINATION",
        ),
        case(
            "R4 Russia",
            o("2").to("RU").by("Volga", "RU").chip("a100", 1),
            V::PresumptionOfDenial,
            A::None,
            "TIER3_DESTINATION",
        ),
        case(
            "R4 even a gaming GPU to Hong Kong",
            o("3").to("HK").by("Kowloon", "HK").chip("rtx-4090", 1),
            V::PresumptionOfDenial,
            A::None,
            "TIER3_DESTINATION",
        ),
    ]);
}

/// R5: Tier 1 destinations: AIA for all-Tier-1 entities, else NVEU, LPP, then a licence.
#[test]
fn r5_tier1_destination() {
    run(vec![
        case(
            "R5 all-Tier-1 entity: AIA",
            o("1").to("JP").by("Sakura AI KK", "JP").chip("b200", 500),
            V::Authorized,
            A::Aia,
            "AIA_APPLIES",
        ),
        case(
            "R5 Tier 2 entity claiming NVEU in a Tier 1 destination",
            o("2")
                .to("JP")
                .by("Lion City Compute", "SG")
                .veu(VeuStatus::Nveu)
                .chip("h100-sxm", 20_000),
            V::Authorized,
            A::Nveu,
            "NVEU_WITHIN_SCHEDULE",
        ),
        case(
            "R5 Tier 2 entity, small order: LPP",
            o("3")
                .to("NL")
                .by("Nusantara Cloud", "ID")
                .chip("h100-sxm", 300),
            V::Authorized,
            A::Lpp,
            "LPP_FITS",
        ),
        case(
            "R5 Tier 2 entity, too big for LPP: licence (Tier 1 has no allocation)",
            o("4")
                .to("NL")
                .by("Nusantara Cloud", "ID")
                .chip("h100-sxm", 2_000),
            V::LicenseRequired,
            A::None,
            "TIER1_NO_ALLOCATION",
        ),
    ]);
    let d = one(o("4")
        .to("NL")
        .by("Nusantara Cloud", "ID")
        .chip("h100-sxm", 2_000));
    assert_eq!(d.allocation_remaining_tpp, None);
    assert!(!d.counts_against_allocation());
}

/// R6: Tier 2 destinations: UVEU, NVEU, LPP, then a licence within the allocation.
#[test]
fn r6_tier2_destination() {
    run(vec![
        case(
            "R6 UVEU for a Tier-1-headquartered entity",
            o("1")
                .to("IN")
                .by("Northwind", "US")
                .veu(VeuStatus::Uveu)
                .chip("h100-sxm", 10_000),
            V::Authorized,
            A::Uveu,
            "UVEU_APPLIES",
        ),
        case(
            "R6 UVEU claim by a Tier 2 entity falls through to LPP",
            o("2")
                .to("SG")
                .by("Lion City Compute", "SG")
                .veu(VeuStatus::Uveu)
                .chip("h100-sxm", 1_200),
            V::Authorized,
            A::Lpp,
            "UVEU_INELIGIBLE",
        ),
        case(
            "R6 NVEU within the schedule",
            o("3")
                .to("AE")
                .by("Gulf Sovereign", "AE")
                .veu(VeuStatus::Nveu)
                .chip("b200", 30_000),
            V::Authorized,
            A::Nveu,
            "NVEU_WITHIN_SCHEDULE",
        ),
        case(
            "R6 NVEU beyond the schedule falls through (here past the allocation too)",
            o("4")
                .to("AE")
                .by("Gulf Sovereign", "AE")
                .veu(VeuStatus::Nveu)
                .chip("b200", 50_000),
            V::PresumptionOfDenial,
            A::None,
            "NVEU_EXCEEDS_SCHEDULE",
        ),
        case(
            "R6 LPP",
            o("5")
                .to("IN")
                .by("Bharat Compute Pvt", "IN")
                .chip("h100-sxm", 1_000),
            V::Authorized,
            A::Lpp,
            "LPP_FITS",
        ),
        case(
            "R6 licence within the allocation",
            o("6")
                .to("MY")
                .by("Johor Hyperscale", "MY")
                .chip("b200", 15_000),
            V::LicenseRequired,
            A::None,
            "ALLOCATION_FITS",
        ),
        case(
            "R6 beyond the allocation: presumption of denial",
            o("7")
                .to("MY")
                .by("Johor Hyperscale", "MY")
                .chip("b200", 30_000),
            V::PresumptionOfDenial,
            A::None,
            "ALLOCATION_EXCEEDED",
        ),
    ]);
    // A licence draws the allocation; a presumption of denial draws nothing.
    let d = decide(&[
        o("a")
            .to("MY")
            .by("Johor", "MY")
            .chip("b200", 15_000)
            .on("2025-03-01"),
        o("b")
            .to("MY")
            .by("Johor", "MY")
            .chip("b200", 30_000)
            .on("2025-04-01"),
    ]);
    assert_eq!(d[0].allocation_draw, 15_000 * 36_000);
    assert_eq!(d[1].allocation_draw, 0);
    assert_eq!(
        d[1].allocation_remaining_tpp,
        Some(790_000_000 - 15_000 * 36_000)
    );
}

/// An engine whose LPP room and allocation are whole numbers of H100s, to fill them exactly.
fn round_engine() -> Engine {
    let mut loaded = LoadedRuleset::embedded();
    loaded.ruleset.lpp_room_tpp_per_year.value = 15_832 * 1_000;
    loaded.ruleset.country_allocation_tpp.value = 15_832 * 40_000;
    Engine::with_ruleset(loaded).unwrap()
}

/// R7: LPP room per consignee per calendar year, resetting on 1 January; limits are inclusive.
#[test]
fn r7_lpp_across_new_year_and_exact_fills() {
    let e = round_engine();
    let s = Scenario::default();
    let ctx = BookContext::new(&s);
    let b = |id: &str, date: &str, qty: u64| {
        o(id)
            .to("IN")
            .by("Bharat", "IN")
            .chip("h100-sxm", qty)
            .on(date)
    };
    let d = decide_with(
        &e,
        &ctx,
        &[
            b("a", "2025-12-30", 600),
            b("b", "2025-12-31", 400),
            b("c", "2025-12-31", 1),
            b("d", "2026-01-01", 1_000),
        ],
    );
    assert_eq!(
        d[1].authority,
        A::Lpp,
        "600 + 400 fills the 2025 room exactly: inclusive"
    );
    assert_eq!(d[1].draw.unwrap().remaining_after(), Some(0));
    assert_eq!(
        d[2].verdict,
        V::LicenseRequired,
        "nothing left on 31 December"
    );
    assert!(codes(&d[2]).contains(&"LPP_NO_ROOM"));
    assert_eq!(d[3].authority, A::Lpp, "the room resets on 1 January");
    assert_eq!(d[3].draw.unwrap().ledger, LedgerKind::Lpp { year: 2026 });
    // LPP room is per consignee.
    let d = decide_with(
        &e,
        &ctx,
        &[
            b("a", "2025-05-01", 1_000),
            o("z").to("IN").by("Other", "IN").chip("h100-sxm", 1_000),
        ],
    );
    assert_eq!(d[1].authority, A::Lpp);
}

#[test]
fn r7_allocation_fills_exactly_and_veu_lpp_do_not_draw_it() {
    let e = round_engine();
    let s = Scenario::default();
    let ctx = BookContext::new(&s);
    let m = |id: &str, qty: u64, date: &str| {
        o(id)
            .to("MY")
            .by("Johor", "MY")
            .chip("h100-sxm", qty)
            .on(date)
    };
    let d = decide_with(
        &e,
        &ctx,
        &[
            m("a", 30_000, "2025-02-01"),
            m("b", 10_000, "2025-03-01"),
            m("c", 2_000, "2025-04-01"),
            o("lpp")
                .to("MY")
                .by("Penang Edge", "MY")
                .chip("h100-sxm", 500)
                .on("2025-05-01"),
            o("nveu")
                .to("MY")
                .by("Gulf", "AE")
                .veu(VeuStatus::Nveu)
                .chip("h100-sxm", 500)
                .on("2025-05-02"),
        ],
    );
    assert_eq!(
        d[1].verdict,
        V::LicenseRequired,
        "30,000 + 10,000 fills 40,000 exactly: inclusive"
    );
    assert_eq!(d[1].allocation_remaining_tpp, Some(0));
    assert_eq!(d[2].verdict, V::PresumptionOfDenial);
    assert_eq!((d[3].authority, d[3].allocation_draw), (A::Lpp, 0));
    assert_eq!((d[4].authority, d[4].allocation_draw), (A::Nveu, 0));
}

/// R7: evaluation is by date (input order among equal dates): a back-dated order draws first.
#[test]
fn r7_back_dated_orders_draw_first() {
    let d = decide(&[
        o("late")
            .to("IN")
            .by("Bharat", "IN")
            .chip("h100-sxm", 1_000)
            .on("2025-09-01"),
        o("early")
            .to("IN")
            .by("Bharat", "IN")
            .chip("h100-sxm", 1_000)
            .on("2025-02-01"),
    ]);
    assert_eq!(d[1].authority, A::Lpp);
    assert_eq!(d[0].verdict, V::LicenseRequired);
}

/// R8: model weights.
#[test]
fn r8_model_weights() {
    let w = |id: &str| o(id).weights(3e26, false);
    run(vec![
        case(
            "R8 US entity located in India: AIA",
            w("1").to("IN").by("Acme India", "US"),
            V::Authorized,
            A::Aia,
            "WEIGHTS_AIA",
        ),
        case(
            "R8 the same entity located in China: presumption of denial",
            w("2").to("CN").by("Acme China", "US"),
            V::PresumptionOfDenial,
            A::None,
            "WEIGHTS_DENIAL",
        ),
        case(
            "R8 all-Tier-1 entity in Tier 1: AIA",
            w("3").to("JP").by("Sakura AI KK", "JP"),
            V::Authorized,
            A::Aia,
            "WEIGHTS_AIA",
        ),
        case(
            "R8 Tier 2 entity in Tier 1: licence",
            w("4").to("JP").by("Bharat", "IN"),
            V::LicenseRequired,
            A::None,
            "WEIGHTS_LICENSE_TIER1",
        ),
        case(
            "R8 Tier 2 entity in Tier 2: presumption of denial",
            w("5").to("IN").by("Bharat", "IN"),
            V::PresumptionOfDenial,
            A::None,
            "WEIGHTS_DENIAL",
        ),
        case(
            "R8 US entity with a Chinese parent in Tier 1: licence",
            w("6")
                .to("DE")
                .by("Acme DE", "US")
                .parent("Beijing AI", "CN"),
            V::LicenseRequired,
            A::None,
            "WEIGHTS_LICENSE_TIER1",
        ),
    ]);
    // The AIA finding lists the storage-security conditions and marks them UNCONFIRMED.
    let order = w("1").to("IN").by("Acme India", "US").0;
    let d = ENGINE
        .evaluate_book(&Scenario::default(), std::slice::from_ref(&order))
        .remove(0);
    let f = d
        .findings
        .iter()
        .find(|f| f.code_str() == "WEIGHTS_AIA")
        .unwrap();
    let ctx = FindingContext::new(&ENGINE, &order);
    let msg = f.message(&ctx);
    assert!(
        msg.contains("UNCONFIRMED") && msg.contains("dedicated devices"),
        "{msg}"
    );
    assert_eq!(
        f.basis(&ctx).confidence,
        diffusion_desk::rules::Confidence::Unconfirmed
    );
    assert_eq!(d.eccn, Some(Eccn::E4E091));
}

fn hit(role: PartyRole, party: &str, short: &str, effect: ListEffect, state: HitState) -> Hit {
    Hit {
        role,
        party: party.into(),
        list: ListRef {
            short: short.into(),
            label: format!("{short} list"),
            authority: format!("authority of {short}"),
            effect,
        },
        entry_name: "LISTED CO LTD".into(),
        matched_name: "LISTED CO LTD".into(),
        entity_number: Some("123".into()),
        score: 0.97,
        exact: true,
        why: "all tokens match".into(),
        policy_text: Some("Presumption of denial.".into()),
        state,
    }
}

fn confirmed() -> HitState {
    HitState::Confirmed {
        by: "reviewer".into(),
        reason: "same address and registration".into(),
    }
}

fn screened(orders: &[O], hits: Vec<Hit>) -> Vec<Decision> {
    let s = Scenario::default();
    let screenings: Vec<Arc<Screening>> = orders
        .iter()
        .enumerate()
        .map(|(i, _)| {
            Arc::new(Screening {
                list_vintage: "2026-07-31".into(),
                hits: if i == 0 { hits.clone() } else { Vec::new() },
            })
        })
        .collect();
    let ctx = BookContext {
        screenings: &screenings,
        ..BookContext::new(&s)
    };
    decide_with(&ENGINE, &ctx, orders)
}

/// R9's screened order: an Indian consignee, 100 H100s, within LPP unless a listing decides.
fn listed_co_lpp_order() -> O {
    o("1").to("IN").by("Listed Co", "IN").chip("h100-sxm", 100)
}

/// R9: a possible match holds the order: it draws nothing until it is cleared or confirmed.
#[test]
fn r9_a_possible_match_holds_the_order() {
    let lpp = listed_co_lpp_order();
    let c = PartyRole::Consignee;
    // A possible match is a hold that draws nothing and says what it would be once cleared.
    let d = screened(
        std::slice::from_ref(&lpp),
        vec![hit(
            c,
            "Listed Co",
            "EL",
            ListEffect::EntityList {
                denial_policy: true,
            },
            HitState::Open,
        )],
    );
    assert_eq!(d[0].verdict, V::Hold);
    assert!(d[0].draw.is_none());
    assert!(has(&d[0], |f| matches!(
        f,
        FindingCode::WouldBeOnceCleared {
            verdict: V::Authorized,
            authority: A::Lpp
        }
    )));
    assert_eq!(
        d[0].screening,
        Some(diffusion_desk::rules::ScreeningStatus::PossibleMatch)
    );
    // A hold draws nothing: the next order for the consignee still has the whole room.
    let d = screened(
        &[lpp.clone(), lpp.clone().on("2025-07-01")],
        vec![hit(
            c,
            "Listed Co",
            "EL",
            ListEffect::EntityList {
                denial_policy: true,
            },
            HitState::Open,
        )],
    );
    assert_eq!(d[1].draw.unwrap().used_before, 0);
}

/// R9: a confirmed listing decides by its list's effect.
#[test]
fn r9_a_confirmed_listing_decides_by_its_list() {
    let lpp = listed_co_lpp_order();
    let c = PartyRole::Consignee;
    // Confirmed Entity List entry with a denial policy: presumption of denial, no LPP.
    let d = screened(
        std::slice::from_ref(&lpp),
        vec![hit(
            c,
            "Listed Co",
            "EL",
            ListEffect::EntityList {
                denial_policy: true,
            },
            confirmed(),
        )],
    );
    assert_eq!(
        (d[0].verdict, d[0].authority),
        (V::PresumptionOfDenial, A::None)
    );
    assert!(codes(&d[0]).contains(&"SCREENING_LIST_VERDICT"));
    assert!(d[0].draw.is_none());
    // Entity List, case-by-case policy, Tier 1 all-Tier-1 entity: no AIA, a licence.
    let aia = o("2").to("DE").by("Listed GmbH", "DE").chip("h100-sxm", 10);
    let d = screened(
        std::slice::from_ref(&aia),
        vec![hit(
            c,
            "Listed GmbH",
            "EL",
            ListEffect::EntityList {
                denial_policy: false,
            },
            confirmed(),
        )],
    );
    assert_eq!(
        (d[0].verdict, d[0].authority),
        (V::LicenseRequired, A::None)
    );
    // Unverified List and MEU: a licence; a parent's listing counts too.
    let d = screened(
        std::slice::from_ref(&lpp),
        vec![hit(
            PartyRole::Parent,
            "Listed Parent",
            "UVL",
            ListEffect::Unverified,
            confirmed(),
        )],
    );
    assert_eq!(d[0].verdict, V::LicenseRequired);
    let d = screened(
        std::slice::from_ref(&lpp),
        vec![hit(
            c,
            "Listed Co",
            "MEU",
            ListEffect::MilitaryEndUser,
            confirmed(),
        )],
    );
    assert_eq!(d[0].verdict, V::LicenseRequired);
    // Denied Persons: no transaction at all, even for an item outside the rule.
    let h20 = o("3").to("IN").by("Denied Co", "IN").chip("h20", 10);
    let d = screened(
        &[h20],
        vec![hit(
            c,
            "Denied Co",
            "DPL",
            ListEffect::DeniedPersons,
            confirmed(),
        )],
    );
    assert_eq!(d[0].verdict, V::PresumptionOfDenial);
}

/// R9: a confirmed Treasury match holds the order; it is not an EAR verdict.
#[test]
fn r9_a_treasury_match_holds_the_order() {
    let lpp = listed_co_lpp_order();
    let c = PartyRole::Consignee;
    // A confirmed Treasury (SDN) match: a finding and a hold, not an EAR verdict.
    let d = screened(
        std::slice::from_ref(&lpp),
        vec![hit(c, "Listed Co", "SDN", ListEffect::NonEar, confirmed())],
    );
    assert_eq!(d[0].verdict, V::Hold);
    assert!(codes(&d[0]).contains(&"SCREENING_NON_EAR"));
}

/// R9: a cleared match leaves the decision to the rules.
#[test]
fn r9_a_cleared_match_decides_as_if_unlisted() {
    let lpp = listed_co_lpp_order();
    let c = PartyRole::Consignee;
    // Cleared: the rules decide as if there were no match; the finding stays on record.
    let cleared = HitState::Cleared {
        by: "officer".into(),
        reason: "different company, other city".into(),
    };
    let d = screened(
        std::slice::from_ref(&lpp),
        vec![hit(
            c,
            "Listed Co",
            "EL",
            ListEffect::EntityList {
                denial_policy: true,
            },
            cleared,
        )],
    );
    assert_eq!((d[0].verdict, d[0].authority), (V::Authorized, A::Lpp));
    assert!(codes(&d[0]).contains(&"SCREENING_MATCH"));
}

/// R9: a clear screening is on record.
#[test]
fn r9_a_clear_screening_is_recorded() {
    let lpp = listed_co_lpp_order();
    // Clear screening is recorded with the list vintage.
    let d = screened(&[lpp], vec![]);
    assert!(codes(&d[0]).contains(&"SCREENING_CLEAR"));
    assert_eq!(
        d[0].screening,
        Some(diffusion_desk::rules::ScreeningStatus::Clear)
    );
}

fn licence(app: &str, order_id: &str, outcome: LicenceOutcome) -> Licence {
    Licence {
        application: app.into(),
        order_id: order_id.into(),
        applied: "2025-02-01".parse().unwrap(),
        outcome,
    }
}

fn approved(number: &str, amount: LicenceAmount, until: &str) -> LicenceOutcome {
    LicenceOutcome::Approved {
        number: number.into(),
        decided: "2025-02-15".parse().unwrap(),
        approved: amount,
        valid_until: until.parse().unwrap(),
        conditions: "end-use check".into(),
    }
}

fn with_licences(orders: &[O], licences: &[Licence]) -> Vec<Decision> {
    let s = Scenario::default();
    let ctx = BookContext {
        licences,
        ..BookContext::new(&s)
    };
    decide_with(&ENGINE, &ctx, orders)
}

/// Licences: an approved licence authorizes and draws; used up, expired and denied ones do not.
#[test]
fn licences_draw_expire_and_release() {
    let m = |id: &str, qty: u64, date: &str| {
        o(id).to("MY").by("Johor", "MY").chip("b200", qty).on(date)
    };
    let lic = [licence(
        "Z1",
        "a",
        approved("D123456", LicenceAmount::Tpp(15_000 * 36_000), "2025-12-31"),
    )];
    let d = with_licences(
        &[
            m("a", 10_000, "2025-03-01"),
            m("b", 4_000, "2025-04-01").under("D123456"),
            m("c", 1_500, "2025-05-01").under("D123456"),
            m("d", 1_000, "2026-01-05").under("D123456"),
        ],
        &lic,
    );
    assert_eq!((d[0].verdict, d[0].authority), (V::Authorized, A::License));
    // The approved amount draws the allocation once, through the applying order.
    assert_eq!(d[0].allocation_draw, 15_000 * 36_000);
    assert_eq!(d[1].authority, A::License);
    assert_eq!(d[1].allocation_draw, 0);
    assert_eq!(d[1].draw.unwrap().remaining_after(), Some(1_000 * 36_000));
    assert_eq!(d[2].verdict, V::LicenseRequired, "used up");
    assert!(codes(&d[2]).contains(&"LICENSE_USED_UP"));
    assert_eq!(d[3].verdict, V::LicenseRequired, "expired");
    assert!(codes(&d[3]).contains(&"LICENSE_EXPIRED"));
    // A denied application releases what its order held of the allocation.
    let denied = [licence(
        "Z2",
        "a",
        LicenceOutcome::Denied {
            decided: "2025-03-20".parse().unwrap(),
            reason: "end user concerns".into(),
        },
    )];
    let book = [m("a", 20_000, "2025-03-01"), m("b", 20_000, "2025-04-01")];
    let before = with_licences(&book, &[]);
    assert_eq!(
        before[1].verdict,
        V::PresumptionOfDenial,
        "the first order holds the allocation"
    );
    let after = with_licences(&book, &denied);
    assert_eq!(after[0].allocation_draw, 0);
    assert!(codes(&after[0]).contains(&"LICENSE_DENIED"));
    assert_eq!(
        after[1].verdict,
        V::LicenseRequired,
        "released room now fits the second"
    );
    // A pending application changes nothing but says so.
    let pending = [licence("Z3", "a", LicenceOutcome::Pending)];
    let d = with_licences(&book[..1], &pending);
    assert_eq!(d[0].verdict, V::LicenseRequired);
    assert!(codes(&d[0]).contains(&"LICENSE_PENDING"));
    // Units: an approval in units counts units.
    let units = [licence(
        "Z4",
        "t",
        approved("D9", LicenceAmount::Units(2_000), "2026-06-30"),
    )];
    let d = with_licences(
        &[
            o("t")
                .to("NL")
                .by("Nusantara", "ID")
                .chip("h100-sxm", 2_500),
            o("u")
                .to("NL")
                .by("Nusantara", "ID")
                .chip("h100-sxm", 1_800)
                .under("D9"),
        ],
        &units,
    );
    assert_eq!(
        d[0].verdict,
        V::LicenseRequired,
        "2,500 units do not fit a 2,000-unit licence"
    );
    assert_eq!(d[1].authority, A::License);
    // An order naming an unknown licence is told so.
    let d = with_licences(
        &[o("x").to("MY").by("J", "MY").chip("b200", 10).under("D000")],
        &[],
    );
    assert!(codes(&d[0]).contains(&"LICENSE_UNKNOWN"));
}

/// Overrides make a decision stricter once approved; a pending one has no effect.
#[test]
fn overrides_apply_once_approved() {
    let lpp = o("1").to("SA").by("Riyadh Lab", "SA").chip("h100-sxm", 500);
    let request = |approved: bool, verdict| DecisionOverride {
        order_id: "1".into(),
        verdict,
        reason: "treat D:4 as barred for LPP".into(),
        requested_by: "alice".into(),
        requested_at: "2025-08-12T10:00:00Z".into(),
        approved: approved.then(|| Approval {
            by: "bob".into(),
            at: "2025-08-12T11:00:00Z".into(),
        }),
    };
    let s = Scenario::default();
    let run_with = |ovr: &[DecisionOverride]| {
        let ctx = BookContext {
            overrides: ovr,
            ..BookContext::new(&s)
        };
        decide_with(&ENGINE, &ctx, std::slice::from_ref(&lpp)).remove(0)
    };
    assert_eq!(run_with(&[]).authority, A::Lpp);
    let pending = run_with(&[request(false, OverrideVerdict::LicenseRequired)]);
    assert_eq!(pending.authority, A::Lpp);
    assert!(codes(&pending).contains(&"OVERRIDE_PENDING"));
    let d = run_with(&[request(true, OverrideVerdict::LicenseRequired)]);
    assert_eq!(d.verdict, V::LicenseRequired);
    assert!(
        d.counts_against_allocation(),
        "the licence route draws Saudi Arabia's allocation"
    );
    let d = run_with(&[request(true, OverrideVerdict::PresumptionOfDenial)]);
    assert_eq!(d.verdict, V::PresumptionOfDenial);
    assert!(d.draw.is_none() && !d.counts_against_allocation());
}

/// Every decision of a mixed book carries findings whose basis has a citation.
#[test]
fn every_finding_has_a_citation() {
    let orders = book(&[
        o("1").to("DE").by("A", "DE"),
        o("2").to("IN").by("B", "IN").chip("h100-sxm", 3_000),
        o("3").to("CN").by("C", "CN"),
        o("4").to("IN").by("D", "US").weights(3e26, false),
        o("5")
            .to("AE")
            .by("E", "AE")
            .veu(VeuStatus::Nveu)
            .chip("b200", 100),
    ]);
    let d = ENGINE.evaluate_book(&Scenario::default(), &orders);
    for (o, d) in orders.iter().zip(&d) {
        let ctx = FindingContext::new(&ENGINE, o);
        assert!(d.findings.len() >= 3, "{}", o.id);
        for f in &d.findings {
            assert!(!f.basis(&ctx).cite.is_empty(), "{} {}", o.id, f.code_str());
            assert!(!f.message(&ctx).is_empty());
        }
    }
}
