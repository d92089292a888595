-- Who may write what, enforced by the database. Runs as ledger_owner.
--
-- App logins hold SELECT on the tables and EXECUTE on two functions, and nothing else: every
-- change goes through ledger.append (SECURITY DEFINER, owned by ledger_owner), which checks that
-- the caller's role may record this kind of change and that the event is recorded under the
-- caller's own name. The audit table refuses UPDATE, DELETE and TRUNCATE from anyone, its owner
-- included, through triggers that only its owner could drop, and no app login is its owner.

CREATE FUNCTION ledger.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or removed (% on ledger.events refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'the audit trail is append-only: record a new event instead';
END
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ledger.events
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ledger.events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

-- The variant name of a serialised action: "OrderAdded", "Created", …
CREATE FUNCTION ledger.action_kind(a json) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE json_typeof(a)
        WHEN 'string' THEN a #>> '{}'
        WHEN 'object' THEN (SELECT k FROM json_object_keys(a) AS k LIMIT 1)
    END
$$;

-- The role that may record an action; NULL for what only an import records (Created,
-- Imported). Mirrors src/store/roles.rs (a test checks they agree).
CREATE FUNCTION ledger.required_role(a json) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE ledger.action_kind(a)
        WHEN 'OrderAdded' THEN 'ledger_officer'
        WHEN 'OrderEdited' THEN 'ledger_officer'
        WHEN 'OrderVoided' THEN 'ledger_officer'
        WHEN 'OrdersVoided' THEN 'ledger_officer'
        WHEN 'OrderRestored' THEN 'ledger_officer'
        WHEN 'OrdersImported' THEN 'ledger_officer'
        WHEN 'PartySaved' THEN 'ledger_officer'
        WHEN 'PartyRemoved' THEN 'ledger_officer'
        WHEN 'OverrideRequested' THEN 'ledger_officer'
        WHEN 'OverrideWithdrawn' THEN 'ledger_officer'
        WHEN 'WhatIfSaved' THEN 'ledger_officer'
        WHEN 'WhatIfRemoved' THEN 'ledger_officer'
        WHEN 'ScreeningDecided' THEN 'ledger_reviewer'
        WHEN 'ScreeningReopened' THEN 'ledger_reviewer'
        WHEN 'OverrideApproved' THEN 'ledger_reviewer'
        WHEN 'ScreeningThresholdChanged' THEN 'ledger_reviewer'
        WHEN 'ScenarioChanged' THEN 'ledger_reviewer'
        -- An application (still pending before and after) is an officer's; recording or changing
        -- BIS's decision is a reviewer's.
        WHEN 'LicenceSaved' THEN
            CASE WHEN a #>> '{LicenceSaved,after,outcome}' = 'Pending'
                  AND coalesce(a #>> '{LicenceSaved,before,outcome}', 'Pending') = 'Pending'
                 THEN 'ledger_officer' ELSE 'ledger_reviewer' END
        WHEN 'LicenceRemoved' THEN
            CASE WHEN a #>> '{LicenceRemoved,licence,outcome}' = 'Pending'
                 THEN 'ledger_officer' ELSE 'ledger_reviewer' END
    END
$$;

CREATE FUNCTION ledger.role_label(r text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE r WHEN 'ledger_officer' THEN 'officer' WHEN 'ledger_reviewer' THEN 'reviewer'
                  WHEN 'ledger_auditor' THEN 'auditor' ELSE r END
$$;

-- Names inside an action that must be the recorder's own (four eyes on overrides).
CREATE FUNCTION ledger.identity_problem(a json, who text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE ledger.action_kind(a)
        WHEN 'OverrideRequested' THEN
            CASE WHEN a #>> '{OverrideRequested,request,requested_by}' IS DISTINCT FROM who
                 THEN format('an override request recorded by %s must be requested by %s', who, who) END
        WHEN 'OverrideApproved' THEN
            CASE WHEN a #>> '{OverrideApproved,approval,by}' IS DISTINCT FROM who
                 THEN format('an approval recorded by %s must be given by %s', who, who)
                 WHEN a #>> '{OverrideApproved,request,requested_by}' = who
                 THEN format('%s requested this override, so another reviewer must approve it', who) END
        WHEN 'ScreeningDecided' THEN
            CASE WHEN a #>> '{ScreeningDecided,decision,by}' IS DISTINCT FROM who
                 THEN format('a screening decision recorded by %s must be made by %s', who, who) END
    END
$$;

-- Writes projection rows (upserts) and removes the rows of ids that left the ledger (an order
-- renamed by an edit). Called only from the functions below, as the owner.
CREATE FUNCTION ledger.write_orders(p_rows json, p_gone text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM ledger.orders WHERE order_id = ANY (p_gone);
    INSERT INTO ledger.orders
    SELECT * FROM json_populate_recordset(NULL::ledger.orders, p_rows)
    ON CONFLICT (order_id) DO UPDATE SET
        in_book = EXCLUDED.in_book, placed_seq = EXCLUDED.placed_seq,
        placed_idx = EXCLUDED.placed_idx, order_date = EXCLUDED.order_date,
        destination = EXCLUDED.destination, consignee = EXCLUDED.consignee, body = EXCLUDED.body,
        tier = EXCLUDED.tier, verdict = EXCLUDED.verdict, authority = EXCLUDED.authority,
        eccn = EXCLUDED.eccn, tpp = EXCLUDED.tpp, allocation_draw = EXCLUDED.allocation_draw,
        draw_ledger = EXCLUDED.draw_ledger, draw_key = EXCLUDED.draw_key,
        draw_limit = EXCLUDED.draw_limit, draw_amount = EXCLUDED.draw_amount,
        screening = EXCLUDED.screening, decided_seq = EXCLUDED.decided_seq;
$$;

-- Step one of a commit: waits for and locks the chain's head until the transaction ends, and
-- says whether an edit with this key is already recorded (a retry whose first attempt
-- committed).
CREATE FUNCTION ledger.lock_head(p_key text, OUT head_seq bigint, OUT head_hash text,
                                 OUT existing bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ledger, pg_temp AS $$
BEGIN
    SELECT h.seq, h.hash INTO head_seq, head_hash FROM ledger.head h FOR UPDATE;
    SELECT e.seq INTO existing FROM ledger.events e WHERE e.idem_key = p_key;
END
$$;

-- Step two: records one event prepared on top of the head, with the projection rows it changed,
-- and tells listening clients. Refuses an event that does not extend the head (serialization
-- failure: the client catches up and prepares again), or that the caller may not record.
CREATE FUNCTION ledger.append(p_key text, p_event json, p_rows json, p_gone text[])
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ledger, pg_temp AS $$
DECLARE
    h      ledger.head%ROWTYPE;
    s      bigint := (p_event ->> 'seq')::bigint;
    a      json := p_event -> 'action';
    who    text := session_user;
    needed text := ledger.required_role(p_event -> 'action');
    kind   text := ledger.action_kind(p_event -> 'action');
    problem text;
BEGIN
    IF coalesce(p_key, '') = '' THEN
        RAISE EXCEPTION 'an edit needs an idempotency key';
    END IF;
    SELECT * INTO h FROM ledger.head FOR UPDATE;
    IF s IS DISTINCT FROM h.seq + 1 OR p_event ->> 'prev' IS DISTINCT FROM h.hash THEN
        RAISE EXCEPTION 'the ledger is at event %; this edit was prepared on event %', h.seq, s - 1
            USING ERRCODE = 'serialization_failure';
    END IF;
    IF needed IS NULL THEN
        RAISE EXCEPTION '"%" is recorded only by importing a session', kind
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT pg_has_role(who::name, needed, 'MEMBER') THEN
        RAISE EXCEPTION '% may not record "%": that takes the % role', who, kind, ledger.role_label(needed)
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('an administrator can grant it: GRANT %I TO %I', needed, who);
    END IF;
    IF p_event ->> 'user' IS DISTINCT FROM who THEN
        RAISE EXCEPTION 'an event recorded by % must name % as its user, not %', who, who, p_event ->> 'user'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    problem := ledger.identity_problem(a, who);
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION '%', problem USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO ledger.events (seq, idem_key, kind, "user", at, prev, hash, event)
    VALUES (s, p_key, kind, who, p_event ->> 'at', p_event ->> 'prev', p_event ->> 'hash', p_event);
    UPDATE ledger.head SET seq = s, hash = p_event ->> 'hash';
    PERFORM ledger.write_orders(p_rows, p_gone);
    PERFORM pg_notify('ledger_events', s::text);
    RETURN s;
END
$$;

-- For `ledger init` and `ledger import` (owner only): events recorded elsewhere, appended to the
-- chain as they are (their users and times kept), each keyed by its sequence number.
CREATE FUNCTION ledger.seed_events(p_events json) RETURNS bigint
LANGUAGE plpgsql SET search_path = ledger, pg_temp AS $$
DECLARE
    h ledger.head%ROWTYPE;
    n bigint;
    last_seq bigint;
BEGIN
    SELECT * INTO h FROM ledger.head FOR UPDATE;
    INSERT INTO ledger.events (seq, idem_key, kind, "user", at, prev, hash, event)
    SELECT (e ->> 'seq')::bigint, 'import:' || (e ->> 'seq'), ledger.action_kind(e -> 'action'),
           e ->> 'user', e ->> 'at', e ->> 'prev', e ->> 'hash', e
    FROM json_array_elements(p_events) AS e;
    GET DIAGNOSTICS n = ROW_COUNT;
    SELECT max(seq) INTO last_seq FROM ledger.events;
    IF last_seq IS DISTINCT FROM h.seq + n THEN
        RAISE EXCEPTION 'imported events must continue the chain at event %', h.seq + 1;
    END IF;
    IF EXISTS (SELECT FROM ledger.events x LEFT JOIN ledger.events p ON p.seq = x.seq - 1
               WHERE x.seq > h.seq AND x.prev IS DISTINCT FROM coalesce(p.hash, '')) THEN
        RAISE EXCEPTION 'imported events do not link into one hash chain';
    END IF;
    UPDATE ledger.head SET seq = last_seq, hash = (SELECT hash FROM ledger.events WHERE seq = last_seq);
    RETURN last_seq;
END
$$;

CREATE FUNCTION ledger.seed_orders(p_rows json) RETURNS void
LANGUAGE sql SET search_path = ledger, pg_temp AS $$
    SELECT ledger.write_orders(p_rows, '{}');
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ledger FROM PUBLIC;
GRANT USAGE ON SCHEMA ledger TO ledger_officer, ledger_reviewer, ledger_auditor;
GRANT SELECT ON ledger.meta, ledger.head, ledger.events, ledger.orders, ledger.book,
    ledger.cap_use, ledger.audit_trail, ledger.schema_migrations
    TO ledger_officer, ledger_reviewer, ledger_auditor;
GRANT EXECUTE ON FUNCTION ledger.lock_head(text), ledger.append(text, json, json, text[])
    TO ledger_officer, ledger_reviewer;
GRANT EXECUTE ON FUNCTION ledger.action_kind(json), ledger.required_role(json),
    ledger.role_label(text) TO ledger_officer, ledger_reviewer, ledger_auditor;
