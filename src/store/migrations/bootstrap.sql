-- Run by `diffusion-desk ledger init` and `ledger import` as the database administrator, in the
-- same transaction as the numbered migrations and before them: the roles and the schema those
-- migrations run in. Safe to run again.
--
-- The roles are cluster-wide, so every ledger database on one server shares them:
--   ledger_owner     owns the schema, its tables and functions; NOLOGIN, and no app login is a
--                    member, so no app login can alter, disable or drop what guards the record;
--   ledger_officer   enters orders, parties, override requests and licence applications;
--   ledger_reviewer  clears or confirms screening holds, approves overrides, records licence
--                    decisions and scenario changes;
--   ledger_auditor   reads everything and changes nothing.
-- People log in as their own roles and are granted one or more of the last three.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['ledger_owner', 'ledger_officer', 'ledger_reviewer', 'ledger_auditor'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- An administrator who is not a superuser (but may create roles) works as the owner through
    -- membership; a superuser needs none.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'ledger_owner', 'MEMBER') THEN
        EXECUTE format('GRANT ledger_owner TO %I', current_user);
    END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS ledger AUTHORIZATION ledger_owner;
REVOKE ALL ON SCHEMA ledger FROM PUBLIC;

CREATE TABLE IF NOT EXISTS ledger.schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by name NOT NULL DEFAULT session_user
);
ALTER TABLE ledger.schema_migrations OWNER TO ledger_owner;
