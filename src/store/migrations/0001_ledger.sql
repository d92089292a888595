-- The team ledger's tables. Runs as ledger_owner.
--
-- The audit events are the record: one row per event, in hash-chain order, never changed. The
-- orders table is a projection of them with each order's current decision, kept up to date by
-- the clients that commit (every client evaluates with the same ruleset and screening list, see
-- ledger.meta) for queries and for the auditor; it can always be rebuilt from the events.

-- What the ledger was set up with. Clients refuse to write to a ledger set up with another
-- ruleset or screening list, whose decisions they would compute differently.
CREATE TABLE ledger.meta (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    title           text NOT NULL,
    ruleset_name    text NOT NULL,
    ruleset_version text NOT NULL,
    ruleset_sha256  text NOT NULL,
    list_vintage    text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- The end of the hash chain. Every commit locks this row first, so commits are totally ordered
-- and none can be prepared against a stale ledger.
CREATE TABLE ledger.head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq       bigint NOT NULL CHECK (seq >= 0),
    hash      text NOT NULL
);
INSERT INTO ledger.head VALUES (true, 0, '');

-- The audit trail. `event` is the client's serialised event, byte for byte (type json keeps the
-- text), so its hash can be checked again; the columns before it are copied out of it by the
-- functions that write rows, for queries and checks.
CREATE TABLE ledger.events (
    seq          bigint PRIMARY KEY CHECK (seq > 0),
    -- One per edit: a retried commit finds its first attempt instead of recording it twice.
    idem_key     text NOT NULL UNIQUE,
    kind         text NOT NULL,
    "user"       text NOT NULL,
    at           text NOT NULL,
    prev         text NOT NULL,
    hash         text NOT NULL UNIQUE,
    event        json NOT NULL,
    -- Who wrote the row (for an import, the administrator who imported it) and when it committed.
    db_user      name NOT NULL DEFAULT session_user,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX events_kind ON ledger.events (kind);

-- Every order ever in the book, with its current decision (NULL once voided): what it is and
-- takes, not the running totals around it (those change with every back-dated order; the book
-- view sums them). Book order is
-- (placed_seq, placed_idx): the event that put the order in the book and its position in that
-- event, so voiding one order rewrites one row, not the positions of all later ones.
CREATE TABLE ledger.orders (
    order_id             text PRIMARY KEY,
    in_book              boolean NOT NULL,
    placed_seq           bigint NOT NULL,
    placed_idx           integer NOT NULL,
    order_date           date NOT NULL,
    destination          text NOT NULL,
    consignee            text NOT NULL,
    body                 json NOT NULL,
    tier                 smallint,
    verdict              text,
    authority            text,
    eccn                 text,
    tpp                  bigint,
    allocation_draw      bigint,
    draw_ledger          text,
    draw_key             text,
    draw_limit           bigint,
    draw_amount          bigint,
    screening            text,
    -- The event after which this row was last written.
    decided_seq          bigint NOT NULL REFERENCES ledger.events (seq),
    CHECK (in_book = (verdict IS NOT NULL))
);
CREATE INDEX orders_book_order ON ledger.orders (placed_seq, placed_idx) WHERE in_book;
CREATE INDEX orders_consignee ON ledger.orders (consignee);
CREATE INDEX orders_destination ON ledger.orders (destination);

-- The book as the engine reads it (by date, then book order), with the running totals: what the
-- order's cap had used before it, and the destination's allocation drawn up to and including it.
CREATE VIEW ledger.book AS
SELECT order_id, order_date, destination, consignee, tier, verdict, authority, eccn, tpp,
       allocation_draw, draw_ledger, draw_key, draw_limit, draw_amount,
       coalesce(sum(draw_amount) OVER cap, 0) - coalesce(draw_amount, 0) AS draw_used_before,
       sum(allocation_draw) OVER country AS allocation_drawn_to_date,
       screening, decided_seq
FROM ledger.orders
WHERE in_book
WINDOW cap AS (PARTITION BY draw_ledger, consignee, draw_key
               ORDER BY order_date, placed_seq, placed_idx),
       country AS (PARTITION BY destination ORDER BY order_date, placed_seq, placed_idx)
ORDER BY order_date, placed_seq, placed_idx;

-- What the book draws from each cap: LPP room per consignee and year, each destination's
-- allocation, NVEU and UVEU installed bases per entity and country.
CREATE VIEW ledger.cap_use AS
SELECT draw_ledger AS cap, consignee AS holder, draw_key AS scope, sum(draw_amount) AS used_tpp,
       count(*) AS orders
FROM ledger.orders
WHERE in_book AND draw_ledger IN ('lpp', 'nveu', 'uveu')
GROUP BY draw_ledger, consignee, draw_key
UNION ALL
SELECT 'country_allocation', destination, '2025-2027', sum(allocation_draw), count(*)
FROM ledger.orders
WHERE in_book AND allocation_draw > 0
GROUP BY destination;

-- The audit trail for people: what happened, by whom, when, and why.
CREATE VIEW ledger.audit_trail AS
SELECT seq, committed_at, at, "user", db_user, kind, event ->> 'reason' AS reason,
       json_array_length(coalesce(event -> 'effects', '[]'::json)) AS decisions_changed
FROM ledger.events
ORDER BY seq;
