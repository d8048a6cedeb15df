-- 0004: the audit trail. An append-only record of what matters to a security officer
-- (exports, imports, purges, backups and restores, policy and ceiling changes, markings
-- lowered), hash-chained: each row's hash covers its content and the previous row's hash,
-- so a row changed, deleted or inserted outside Chancery is found (store/audit.go).
CREATE TABLE audit (
	seq     INTEGER PRIMARY KEY,      -- 1, 2, 3... without gaps
	at      TEXT NOT NULL,            -- UTC, RFC 3339 with nanoseconds, as hashed
	action  TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	detail  TEXT NOT NULL DEFAULT '',
	actor   TEXT NOT NULL DEFAULT '',  -- the OS user
	marking TEXT NOT NULL DEFAULT '',
	prev    TEXT NOT NULL,            -- the previous row's hash ('' for the first)
	hash    TEXT NOT NULL             -- SHA-256 of the canonical row and prev, in hex
);
-- Chancery only appends. A SQLite tool can drop these; the chain still tells.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
