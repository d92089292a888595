//! Eight officers entering 250 orders each on shared consignees and countries, in seeded random
//! interleavings, dates all over 2025–2027 (so most orders are back-dated under someone else's):
//! the ledger ends as one desk would have it, and no cap is overdrawn.

use crate::common::*;
use diffusion_desk::rules::{BookContext, Item, Order, Scenario, VeuStatus};
use diffusion_desk::session::Session;
use diffusion_desk::session::audit::{Action, AuditEvent};
use diffusion_desk::session::commit::{Author, Intent, prepare};
use diffusion_desk::session::screening_link::screen_book;
use diffusion_desk::store::{admin, rows::DecisionRow};
use std::collections::HashMap;
use std::sync::Arc;

const CLIENTS: usize = 8;
const ORDERS: usize = 250;
const CONSIGNEES: [&str; 5] = [
    "Bharat Compute Pvt",
    "Nimbus Data Systems",
    "Orion Cloud FZ",
    "Sertão Analytics",
    "Kedah Hyperscale",
];
const COUNTRIES: [&str; 4] = ["IN", "BR", "AE", "MY"];

/// splitmix64: a seeded, dependency-free source of interleavings.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn orders_of(client: usize, rng: &mut Rng) -> Vec<Order> {
    let start: jiff::civil::Date = "2025-01-13".parse().unwrap();
    (0..ORDERS)
        .map(|i| {
            let dest = COUNTRIES[rng.below(COUNTRIES.len())];
            let mut o = order(
                &format!("C{client}-{i:03}"),
                &start
                    .checked_add(jiff::Span::new().days(rng.below(1080) as i64))
                    .unwrap()
                    .to_string(),
                dest,
                CONSIGNEES[rng.below(CONSIGNEES.len())],
                [20, 100, 400, 1500, 4000][rng.below(5)],
            );
            o.veu = [VeuStatus::None, VeuStatus::None, VeuStatus::Nveu][rng.below(3)];
            if rng.below(10) == 0 {
                o.item = Item::Chip("b200".into());
            }
            o
        })
        .collect()
}

#[test]
fn eight_officers_in_random_interleavings_end_as_one_desk_with_no_cap_overdrawn() {
    let l = Ledger::new();
    let officers: Vec<String> = (1..=CLIENTS).map(|i| format!("officer{i}")).collect();
    for o in &officers {
        l.cluster.create_login(o, PASSWORD, &["ledger_officer"]);
    }
    let seed = 0x001E_D6E5_u64;
    let handles: Vec<_> = officers
        .iter()
        .enumerate()
        .map(|(c, user)| {
            let target = l.target(user);
            std::thread::spawn(move || {
                let mut rng = Rng(seed ^ ((c as u64) << 20));
                let orders = orders_of(c, &mut rng);
                let mut conn =
                    diffusion_desk::store::LedgerConn::open(Arc::new(target), eval()).unwrap();
                for o in orders {
                    // A random pause between edits shuffles who commits next.
                    std::thread::sleep(std::time::Duration::from_micros(rng.below(1500) as u64));
                    let intent = Intent::new(Action::OrderAdded { order: o }, "");
                    let author = conn.author_now();
                    conn.commit(&intent, &author).expect("each order commits");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a client thread");
    }

    let admin_target = l.admin_target();
    let mut client = admin_target.connect().unwrap();
    let (_, mut ledger) = admin::load(&mut client, &admin_target).unwrap();
    assert_eq!(ledger.session.orders.len(), CLIENTS * ORDERS);
    assert_eq!(ledger.session.history.len(), CLIENTS * ORDERS);

    // One desk: the replayed book evaluated by the engine in one go.
    let eval = eval();
    ledger.refresh(eval.evaluator());
    let s = &ledger.session;
    let screenings = screen_book(eval.screener.as_deref().unwrap(), &s.orders, &s.screening);
    let ctx = BookContext {
        scenario: &s.scenario,
        licences: &s.licences,
        overrides: &s.overrides,
        screenings: &screenings,
    };
    let desk = eval.engine.evaluate_book_in(&ctx, &s.orders);
    assert_eq!(ledger.decisions(), desk.as_slice());
    let stored: HashMap<String, Option<DecisionRow>> = l
        .conn("audrey")
        .stored_rows()
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(stored.len(), s.orders.len());
    for (o, d) in s.orders.iter().zip(&desk) {
        assert_eq!(
            stored[&o.id].as_ref(),
            Some(&DecisionRow::of(d, s).unwrap()),
            "stored decision of {}",
            o.id
        );
    }
    let verdicts: std::collections::HashSet<_> = desk.iter().map(|d| d.verdict).collect();
    assert!(
        verdicts.len() >= 3,
        "the book exercises several verdicts: {verdicts:?}"
    );

    same_history_as_one_desk(&s.history);
    no_cap_overdrawn(&mut client, &eval.engine);
}

/// Every event, prepared again on one desk in ledger order from the same edit, is the same
/// event: same effects on others' decisions, same hash.
fn same_history_as_one_desk(history: &[AuditEvent]) {
    let eval = eval();
    let mut desk = Session::new("desk", Default::default());
    let mut decisions = Vec::new();
    let mut back_dated_effects = 0;
    for e in history {
        let intent = Intent {
            action: e.action.clone(),
            reason: e.reason.clone(),
            key: String::new(),
        };
        let author = Author {
            user: e.user.clone(),
            at: e.at.clone(),
        };
        let (again, after) =
            prepare(eval.evaluator(), &mut desk, &decisions, &intent, &author).unwrap();
        assert_eq!(&again, e, "event #{} on one desk", e.seq);
        back_dated_effects += e.effects.len();
        decisions = after;
    }
    assert!(
        back_dated_effects > 0,
        "back-dated orders changed colleagues' decisions"
    );
}

fn no_cap_overdrawn(client: &mut postgres::Client, engine: &diffusion_desk::rules::Engine) {
    // LPP room per consignee and calendar year.
    for r in client
        .query(
            "SELECT consignee, draw_key, sum(draw_amount)::bigint, min(draw_limit) \
             FROM ledger.orders WHERE in_book AND draw_ledger = 'lpp' GROUP BY 1, 2",
            &[],
        )
        .unwrap()
    {
        let (used, limit): (i64, i64) = (r.get(2), r.get(3));
        assert!(
            used <= limit,
            "LPP {} {}: {used} > {limit}",
            r.get::<_, String>(0),
            r.get::<_, String>(1)
        );
    }
    // Each destination's allocation.
    for r in client
        .query(
            "SELECT destination, sum(allocation_draw)::bigint FROM ledger.orders \
             WHERE in_book GROUP BY 1",
            &[],
        )
        .unwrap()
    {
        let dest: String = r.get(0);
        let used: i64 = r.get(1);
        let limit = engine.allocation_limit(&Scenario::default(), cc(&dest));
        if let Some(limit) = limit {
            assert!(used as u64 <= limit, "allocation {dest}: {used} > {limit}");
        } else {
            assert_eq!(used, 0);
        }
    }
    // NVEU: the running total per entity and country never passes the schedule of the day.
    for r in client
        .query(
            "SELECT consignee, draw_key, (sum(draw_amount) OVER w)::bigint, draw_limit \
             FROM ledger.orders WHERE in_book AND draw_ledger = 'nveu' \
             WINDOW w AS (PARTITION BY consignee, draw_key ORDER BY order_date, placed_seq, placed_idx)",
            &[],
        )
        .unwrap()
    {
        let (running, limit): (i64, i64) = (r.get(2), r.get(3));
        assert!(running <= limit, "NVEU {}: {running} > {limit}", r.get::<_, String>(0));
    }
}
