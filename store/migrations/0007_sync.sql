-- 0007: team sync (store/syncapply.go, store/conflicts.go).
-- The versions an item's versions were made from, by ContentHash, for versions whose
-- parents are not simply the revision before them (what sync writes, and every version of
-- an item sync touched). parent '' stands for a first version; a parent "resolved:C:O"
-- marks a resolution of the conflict between versions C and O. desk: where the version
-- came from ('' here).
CREATE TABLE sync_parents (
	item_id TEXT NOT NULL,
	hash    TEXT NOT NULL,
	parent  TEXT NOT NULL,
	desk    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (item_id, hash, parent)
) WITHOUT ROWID;

-- Trash generations, per version: odd = deleted at that version, even = restored; the
-- highest wins. seq is the change sequence of the last change, for the change feed.
CREATE TABLE sync_trash (
	item_id TEXT NOT NULL,
	hash    TEXT NOT NULL,
	gen     INTEGER NOT NULL,
	seq     INTEGER NOT NULL,
	desk    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (item_id, hash)
);
CREATE INDEX sync_trash_seq ON sync_trash(seq);

-- Conflicts: two versions of an item, neither made from the other. current_hash won
-- (ConflictWinner) or is the field-by-field merge; other_hash lost and is kept (other is
-- its snapshot). resolved is 0 while open.
CREATE TABLE sync_conflicts (
	id           INTEGER PRIMARY KEY,
	item_id      TEXT NOT NULL,
	current_hash TEXT NOT NULL,
	other_hash   TEXT NOT NULL,
	other_desk   TEXT NOT NULL DEFAULT '',
	other        TEXT NOT NULL,
	fields       TEXT NOT NULL DEFAULT '[]',
	found        INTEGER NOT NULL,
	resolved     INTEGER NOT NULL DEFAULT 0,
	UNIQUE (item_id, current_hash, other_hash)
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved, item_id);

-- Items another desk withdrew (raised above the remote's ceiling): hidden here.
CREATE TABLE sync_withdrawn (
	item_id TEXT PRIMARY KEY,
	desk    TEXT NOT NULL,
	reason  TEXT NOT NULL,
	at      INTEGER NOT NULL
);

-- Small key/value state of the sync engine (cursors), written with what it applies.
CREATE TABLE sync_state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
