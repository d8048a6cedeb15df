-- 0004: incidents (issue 13). An incident is an item of kind 'incident'; what it holds
-- (timeline entries, call sheet rows, actions, positions, situation reports) lives in
-- tables of its own, each record with its own marking, removed with the incident when the
-- trash is emptied (ON DELETE CASCADE).
--
-- The items table's CHECK on kind must admit 'incident'. SQLite cannot alter a CHECK, so
-- items is rebuilt, and with it the tables that refer to it (foreign keys cannot be turned
-- off inside the migration's transaction, and dropping items while they refer to it would
-- delete their rows): new tables are made and filled, the old ones dropped, the new ones
-- renamed (which also renames the references to them), and the indexes made again.

CREATE TABLE items_new (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('note','contact','organisation','document','briefing','incident')),
	title       TEXT NOT NULL,
	body        TEXT NOT NULL DEFAULT '',
	data        TEXT NOT NULL DEFAULT '{}',
	class       TEXT NOT NULL REFERENCES classes(name),
	source      TEXT NOT NULL DEFAULT '',
	reliability TEXT NOT NULL DEFAULT '',
	language    TEXT NOT NULL DEFAULT '',
	item_date   INTEGER,
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL,
	rev         INTEGER NOT NULL DEFAULT 1,
	seq         INTEGER NOT NULL,
	deleted     INTEGER,
	source_key  TEXT UNIQUE
);
INSERT INTO items_new(id, kind, title, body, data, class, source, reliability, language, item_date,
	created, updated, rev, seq, deleted, source_key)
	SELECT id, kind, title, body, data, class, source, reliability, language, item_date,
	created, updated, rev, seq, deleted, source_key FROM items;

CREATE TABLE item_tags_new (
	item_id TEXT NOT NULL REFERENCES items_new(id) ON DELETE CASCADE,
	tag     TEXT NOT NULL,
	PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;
INSERT INTO item_tags_new SELECT item_id, tag FROM item_tags;

CREATE TABLE item_countries_new (
	item_id TEXT NOT NULL REFERENCES items_new(id) ON DELETE CASCADE,
	country TEXT NOT NULL,
	PRIMARY KEY (item_id, country)
) WITHOUT ROWID;
INSERT INTO item_countries_new SELECT item_id, country FROM item_countries;

CREATE TABLE item_topics_new (
	item_id TEXT NOT NULL REFERENCES items_new(id) ON DELETE CASCADE,
	topic   TEXT NOT NULL REFERENCES topics(id),
	PRIMARY KEY (item_id, topic)
) WITHOUT ROWID;
INSERT INTO item_topics_new SELECT item_id, topic FROM item_topics;

CREATE TABLE links_new (
	from_id TEXT NOT NULL REFERENCES items_new(id) ON DELETE CASCADE,
	to_id   TEXT NOT NULL,
	rel     TEXT NOT NULL DEFAULT 'mentions',
	PRIMARY KEY (from_id, to_id, rel)
) WITHOUT ROWID;
INSERT INTO links_new SELECT from_id, to_id, rel FROM links;

CREATE TABLE revisions_new (
	item_id  TEXT NOT NULL REFERENCES items_new(id) ON DELETE CASCADE,
	rev      INTEGER NOT NULL,
	saved    INTEGER NOT NULL,
	snapshot TEXT NOT NULL,
	PRIMARY KEY (item_id, rev)
);
INSERT INTO revisions_new SELECT item_id, rev, saved, snapshot FROM revisions;

DROP TABLE item_tags;
DROP TABLE item_countries;
DROP TABLE item_topics;
DROP TABLE links;
DROP TABLE revisions;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
ALTER TABLE item_tags_new RENAME TO item_tags;
ALTER TABLE item_countries_new RENAME TO item_countries;
ALTER TABLE item_topics_new RENAME TO item_topics;
ALTER TABLE links_new RENAME TO links;
ALTER TABLE revisions_new RENAME TO revisions;

CREATE INDEX items_seq ON items(seq);
CREATE INDEX items_kind_title ON items(kind, title);
CREATE INDEX items_deleted ON items(deleted) WHERE deleted IS NOT NULL;
CREATE INDEX items_live_title ON items(title COLLATE NOCASE, id, kind, class) WHERE deleted IS NULL;
CREATE INDEX items_live_kind_title ON items(kind, title COLLATE NOCASE, id) WHERE deleted IS NULL;
CREATE INDEX item_tags_tag ON item_tags(tag);
CREATE INDEX item_countries_country ON item_countries(country);
CREATE INDEX item_topics_topic ON item_topics(topic);
CREATE INDEX links_to ON links(to_id);

-- Timeline entries: never edited in place; a correction is a new entry naming the one it
-- corrects. refs is a JSON array of the item IDs (contacts, documents) the entry links to.
-- A call logged on the call sheet names its row and the status it reached.
CREATE TABLE incident_entries (
	id          TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	at          INTEGER NOT NULL,   -- unix milliseconds, UTC
	type        TEXT NOT NULL,
	text        TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT '',
	reliability TEXT NOT NULL DEFAULT '',
	significant INTEGER NOT NULL DEFAULT 0,
	refs        TEXT NOT NULL DEFAULT '[]',
	corrects    TEXT REFERENCES incident_entries(id) ON DELETE CASCADE,
	call_row    TEXT,
	call_status TEXT NOT NULL DEFAULT '',
	class       TEXT NOT NULL REFERENCES classes(name),
	created     INTEGER NOT NULL
);
CREATE INDEX incident_entries_at ON incident_entries(incident_id, at);
CREATE INDEX incident_entries_corrects ON incident_entries(corrects) WHERE corrects IS NOT NULL;

-- Call sheet rows, one per counterpart, in the order of ord.
CREATE TABLE incident_calls (
	id          TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	ord         INTEGER NOT NULL,
	country     TEXT NOT NULL DEFAULT '',
	institution TEXT NOT NULL DEFAULT '',
	role        TEXT NOT NULL DEFAULT '',
	name        TEXT NOT NULL DEFAULT '',
	contact_id  TEXT NOT NULL DEFAULT '',
	phone       TEXT NOT NULL DEFAULT '',
	email       TEXT NOT NULL DEFAULT '',
	time_zone   TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL,
	outcome     TEXT NOT NULL DEFAULT '',
	next_action TEXT NOT NULL DEFAULT '',
	next_due    INTEGER,
	class       TEXT NOT NULL REFERENCES classes(name),
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL
);
CREATE INDEX incident_calls_incident ON incident_calls(incident_id, ord);
CREATE INDEX incident_calls_contact ON incident_calls(contact_id) WHERE contact_id <> '';

CREATE TABLE incident_actions (
	id          TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	text        TEXT NOT NULL,
	owner       TEXT NOT NULL DEFAULT '',
	due         INTEGER,
	zone        TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL,
	done        INTEGER,            -- when its status became done
	class       TEXT NOT NULL REFERENCES classes(name),
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL
);
CREATE INDEX incident_actions_incident ON incident_actions(incident_id);

CREATE TABLE incident_positions (
	id          TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	country     TEXT NOT NULL,
	position    TEXT NOT NULL,
	stated      INTEGER,
	source      TEXT NOT NULL DEFAULT '',
	reliability TEXT NOT NULL DEFAULT '',
	statement   TEXT NOT NULL DEFAULT '',  -- the item ID of the statement it comes from
	class       TEXT NOT NULL REFERENCES classes(name),
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL
);
CREATE INDEX incident_positions_incident ON incident_positions(incident_id);
CREATE INDEX incident_positions_country ON incident_positions(country);

-- Situation reports, numbered per incident. An issued report (issued NOT NULL) never
-- changes; sha256 is the hash of its canonical content, recorded when it was issued.
CREATE TABLE incident_sitreps (
	id          TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	number      INTEGER NOT NULL,
	amends      TEXT NOT NULL DEFAULT '',
	as_of       INTEGER NOT NULL,
	period_from INTEGER,
	period_to   INTEGER,
	next_due    INTEGER,
	content     TEXT NOT NULL,  -- sections and the records drafted into them, as JSON
	class       TEXT NOT NULL REFERENCES classes(name),
	issued      INTEGER,
	sha256      TEXT NOT NULL DEFAULT '',
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL,
	UNIQUE (incident_id, number)
);
