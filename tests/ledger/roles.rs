//! Roles are enforced by the database: each role is refused what it may not do, through the app
//! and with plain SQL, and nobody can change or remove an audit row.

use crate::common::*;
use diffusion_desk::rules::{
    Approval, DecisionOverride, Licence, LicenceAmount, LicenceOutcome, OverrideVerdict,
};
use diffusion_desk::session::audit::{Action, AuditEvent};
use diffusion_desk::session::commit::{Author, Intent};
use diffusion_desk::session::{Party, Resolution, ScreeningDecision};
use diffusion_desk::store::roles::{Role, required_role};
use diffusion_desk::store::{LedgerConn, LedgerError};

fn commit(conn: &mut LedgerConn, action: Action, reason: &str) -> Result<u64, LedgerError> {
    let author = conn.author_now();
    conn.commit(&Intent::new(action, reason), &author)
        .map(|c| c.seq())
}

fn refused(r: Result<u64, LedgerError>, needle: &str) {
    match r {
        Err(LedgerError::Refused(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected a refusal mentioning `{needle}`, got {other:?}"),
    }
}

fn request(by: &str) -> DecisionOverride {
    DecisionOverride {
        order_id: "A-1".into(),
        verdict: OverrideVerdict::LicenseRequired,
        reason: "end use unclear".into(),
        requested_by: by.into(),
        requested_at: "2025-06-03T10:00:00Z".into(),
        approved: None,
    }
}

fn licence(outcome: LicenceOutcome) -> Licence {
    Licence {
        application: "Z1000001".into(),
        order_id: "A-1".into(),
        applied: "2025-06-04".parse().unwrap(),
        outcome,
    }
}

fn approved() -> LicenceOutcome {
    LicenceOutcome::Approved {
        number: "D555001".into(),
        decided: "2025-07-01".parse().unwrap(),
        approved: LicenceAmount::Units(100),
        valid_until: "2026-07-01".parse().unwrap(),
        conditions: String::new(),
    }
}

/// A reviewer's decision that the list entry is not Jio.
fn hold_cleared_by(by: &str) -> ScreeningDecision {
    ScreeningDecision {
        party: "Jio".into(),
        list: "EL".into(),
        entry: "x".into(),
        entry_name: "X".into(),
        resolution: Resolution::Cleared,
        reason: "different company".into(),
        by: by.into(),
        at: "2025-06-05T09:00:00Z".into(),
        order_id: "A-1".into(),
        list_vintage: "2026-07-31".into(),
    }
}

fn jio_saved() -> Action {
    Action::PartySaved {
        before: None,
        after: Party {
            name: "Jio".into(),
            hq: cc("IN"),
            parent: None,
            parent_hq: None,
            veu: Default::default(),
        },
    }
}

#[test]
fn each_role_is_refused_what_it_may_not_do() {
    let l = Ledger::new();
    let mut alice = l.conn("alice");
    let mut bob = l.conn("bob");
    let mut rita = l.conn("rita");
    assert_eq!(alice.roles(), [Role::Officer]);
    assert_eq!(rita.roles(), [Role::Reviewer]);

    // Officers enter orders, override requests and licence applications.
    commit(
        &mut alice,
        Action::OrderAdded {
            order: order("A-1", "2025-06-02", "IN", "Jio", 100),
        },
        "",
    )
    .unwrap();
    commit(
        &mut bob,
        Action::OverrideRequested {
            request: request("bob"),
        },
        "end use unclear",
    )
    .unwrap();
    commit(
        &mut alice,
        Action::LicenceSaved {
            before: None,
            after: licence(LicenceOutcome::Pending),
        },
        "",
    )
    .unwrap();

    // An officer may not approve an override, clear a hold or record BIS's decision.
    rita.catch_up().unwrap();
    let approval = |by: &str| Action::OverrideApproved {
        request: request("bob"),
        approval: Approval {
            by: by.into(),
            at: "2025-06-05T09:00:00Z".into(),
        },
    };
    refused(commit(&mut alice, approval("alice"), "ok"), "reviewer");
    refused(
        commit(
            &mut alice,
            Action::ScreeningDecided {
                decision: hold_cleared_by("alice"),
            },
            "different company",
        ),
        "reviewer",
    );
    let decided = Action::LicenceSaved {
        before: Some(licence(LicenceOutcome::Pending)),
        after: licence(approved()),
    };
    refused(commit(&mut alice, decided.clone(), ""), "reviewer");

    // A reviewer may not enter orders, but approves and records decisions.
    refused(
        commit(
            &mut rita,
            Action::OrderAdded {
                order: order("R-1", "2025-06-02", "IN", "Jio", 1),
            },
            "",
        ),
        "officer",
    );
    commit(&mut rita, approval("rita"), "checked the end use").unwrap();
    commit(&mut rita, decided, "").unwrap();

    // Nobody records under someone else's name.
    let forged = Author {
        user: "bob".into(),
        at: "2025-06-06T09:00:00Z".into(),
    };
    alice.catch_up().unwrap();
    refused(
        alice
            .commit(&Intent::new(jio_saved(), ""), &forged)
            .map(|c| c.seq()),
        "must name alice",
    );

    // The auditor reads everything and changes nothing.
    let mut audrey = l.conn("audrey");
    assert_eq!(audrey.replica.session.history.len(), 5);
    refused(
        commit(
            &mut audrey,
            Action::OrderAdded {
                order: order("X-1", "2025-06-02", "IN", "Jio", 1),
            },
            "",
        ),
        "permission denied",
    );
    plain_sql_is_refused(&l);
    server_refuses_what_the_app_would_not_send(&l);
}

/// With plain SQL, as any app login: no writes to any table, no changes to audit rows. As the
/// tables' owner: still no changes to audit rows.
fn plain_sql_is_refused(l: &Ledger) {
    for user in ["alice", "rita", "audrey"] {
        let mut c = l.sql(user);
        assert_eq!(
            c.query_one("SELECT count(*) FROM ledger.events", &[])
                .unwrap()
                .get::<_, i64>(0),
            5
        );
        for stmt in [
            "INSERT INTO ledger.events (seq, idem_key, kind, \"user\", at, prev, hash, event) VALUES (99, 'k', 'Created', 'x', 'x', 'x', 'x', '{}')",
            "UPDATE ledger.events SET at = 'x'",
            "UPDATE ledger.events SET \"user\" = 'mallory' WHERE seq = 1",
            "DELETE FROM ledger.events WHERE seq = 2",
            "TRUNCATE ledger.events",
            "UPDATE ledger.orders SET verdict = 'authorized'",
            "UPDATE ledger.head SET seq = 0",
            "SELECT ledger.seed_events('[]')",
        ] {
            let e = c.batch_execute(stmt).expect_err(stmt);
            let code = e.code().map(|c| c.code().to_string());
            assert_eq!(code.as_deref(), Some("42501"), "{user}: {stmt}: {e}");
        }
    }
    let mut owner = l.cluster.admin(&l.db);
    owner.batch_execute("SET ROLE ledger_owner").unwrap();
    for stmt in [
        "UPDATE ledger.events SET at = 'tidied'",
        "DELETE FROM ledger.events WHERE seq = 5",
        "TRUNCATE ledger.events CASCADE",
    ] {
        let e = owner.batch_execute(stmt).expect_err(stmt);
        let text = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_default();
        assert!(
            text.contains("audit events cannot be changed"),
            "{stmt}: {e}"
        );
    }
    let app_logins_owning: i64 = owner
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolcanlogin AND pg_has_role(oid, 'ledger_owner', 'MEMBER') AND NOT rolsuper",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(app_logins_owning, 0);
}

/// An officer who bypasses the app and calls `ledger.append` with an approval is refused by the
/// database itself; and the app's copy of the role map agrees with the database's.
fn server_refuses_what_the_app_would_not_send(l: &Ledger) {
    let mut c = l.sql("alice");
    let head = c
        .query_one("SELECT seq, hash FROM ledger.head", &[])
        .unwrap();
    let (seq, hash): (i64, String) = (head.get(0), head.get(1));
    let action = Action::OverrideApproved {
        request: request("bob"),
        approval: Approval {
            by: "alice".into(),
            at: "2025-06-07T09:00:00Z".into(),
        },
    };
    let e = AuditEvent::new(
        seq as u64 + 1,
        "2025-06-07T09:00:00Z".into(),
        "alice".into(),
        action,
        "ok".into(),
        Vec::new(),
        &hash,
    );
    let json = serde_json::to_string(&e).unwrap();
    let err = c
        .query_one(
            "SELECT ledger.append('forged', $1::text::json, '[]', '{}')",
            &[&json],
        )
        .expect_err("an officer's approval");
    assert_eq!(err.code().map(|c| c.code()), Some("42501"), "{err}");

    let samples = [
        Action::Created,
        Action::OrderAdded {
            order: order("S", "2025-01-20", "IN", "x", 1),
        },
        Action::OverrideRequested {
            request: request("alice"),
        },
        Action::OverrideApproved {
            request: request("bob"),
            approval: Approval {
                by: "r".into(),
                at: "t".into(),
            },
        },
        Action::OverrideWithdrawn {
            request: request("alice"),
        },
        Action::LicenceSaved {
            before: None,
            after: licence(LicenceOutcome::Pending),
        },
        Action::LicenceSaved {
            before: None,
            after: licence(approved()),
        },
        Action::LicenceSaved {
            before: Some(licence(approved())),
            after: licence(LicenceOutcome::Pending),
        },
        Action::LicenceRemoved {
            licence: licence(LicenceOutcome::Pending),
        },
        Action::LicenceRemoved {
            licence: licence(approved()),
        },
        Action::ScenarioChanged {
            before: Default::default(),
            after: Default::default(),
        },
        Action::PartyRemoved {
            party: Party {
                name: "x".into(),
                hq: cc("IN"),
                parent: None,
                parent_hq: None,
                veu: Default::default(),
            },
        },
    ];
    for a in samples {
        let json = serde_json::to_string(&a).unwrap();
        let db: Option<String> = c
            .query_one("SELECT ledger.required_role($1::text::json)", &[&json])
            .unwrap()
            .get(0);
        assert_eq!(
            db.as_deref(),
            required_role(&a).map(Role::db_name),
            "{}",
            a.kind()
        );
    }
}
