-- 0001: the first schema. Shipped migrations are never edited; add a new numbered file.

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
INSERT INTO counters(name, value) VALUES ('seq', 0);

CREATE TABLE classes (
	name TEXT PRIMARY KEY,
	rank INTEGER NOT NULL UNIQUE
);
INSERT INTO classes(name, rank) VALUES
	('UNCLASSIFIED', 0), ('RESTRICTED', 1), ('CONFIDENTIAL', 2), ('SECRET', 3);

CREATE TABLE topics (
	id     TEXT PRIMARY KEY,
	label  TEXT NOT NULL,
	parent TEXT REFERENCES topics(id),
	builtin INTEGER NOT NULL DEFAULT 0
);
-- DiploFoundation's seven baskets of digital and foreign policy, then the classic files.
INSERT INTO topics(id, label, builtin) VALUES
	('infrastructure', 'Infrastructure', 1),
	('security', 'Security', 1),
	('human-rights', 'Human rights', 1),
	('legal', 'Legal', 1),
	('economic', 'Economic', 1),
	('development', 'Development', 1),
	('sociocultural', 'Sociocultural', 1),
	('environment', 'Environment', 1),
	('trade', 'Trade', 1),
	('consular', 'Consular', 1),
	('political', 'Political', 1),
	('energy', 'Energy', 1),
	('health', 'Health', 1),
	('humanitarian', 'Humanitarian', 1),
	('maritime', 'Maritime', 1),
	('migration', 'Migration', 1);
INSERT INTO topics(id, label, parent, builtin) VALUES
	('water', 'Water', 'environment', 1),
	('climate', 'Climate', 'environment', 1),
	('disarmament', 'Disarmament', 'security', 1),
	('cybersecurity', 'Cybersecurity', 'security', 1);

-- Every item, whatever its kind. Kind-specific fields are JSON in data.
CREATE TABLE items (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('note','contact','organisation','document','briefing')),
	title       TEXT NOT NULL,
	body        TEXT NOT NULL DEFAULT '',
	data        TEXT NOT NULL DEFAULT '{}',
	class       TEXT NOT NULL REFERENCES classes(name),
	source      TEXT NOT NULL DEFAULT '',
	reliability TEXT NOT NULL DEFAULT '',
	language    TEXT NOT NULL DEFAULT '',
	item_date   INTEGER,              -- unix milliseconds, NULL when none
	created     INTEGER NOT NULL,     -- unix milliseconds
	updated     INTEGER NOT NULL,
	rev         INTEGER NOT NULL DEFAULT 1,
	seq         INTEGER NOT NULL,
	deleted     INTEGER,              -- unix milliseconds when trashed, NULL when live
	source_key  TEXT UNIQUE
);
CREATE INDEX items_seq ON items(seq);
CREATE INDEX items_kind_title ON items(kind, title);
CREATE INDEX items_deleted ON items(deleted) WHERE deleted IS NOT NULL;

CREATE TABLE item_tags (
	item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	tag     TEXT NOT NULL,
	PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;
CREATE INDEX item_tags_tag ON item_tags(tag);

CREATE TABLE item_countries (
	item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	country TEXT NOT NULL,
	PRIMARY KEY (item_id, country)
) WITHOUT ROWID;
CREATE INDEX item_countries_country ON item_countries(country);

CREATE TABLE item_topics (
	item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	topic   TEXT NOT NULL REFERENCES topics(id),
	PRIMARY KEY (item_id, topic)
) WITHOUT ROWID;
CREATE INDEX item_topics_topic ON item_topics(topic);

-- Links between items. The target may be in the trash; purging an item removes the links
-- to and from it. The target is not a foreign key: an import saving in several transactions
-- may link to an item of its next transaction.
CREATE TABLE links (
	from_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	to_id   TEXT NOT NULL,
	rel     TEXT NOT NULL DEFAULT 'mentions',
	PRIMARY KEY (from_id, to_id, rel)
) WITHOUT ROWID;
CREATE INDEX links_to ON links(to_id);

-- The previous versions of items: one row per save, the item as it was before it.
CREATE TABLE revisions (
	item_id  TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	rev      INTEGER NOT NULL,
	saved    INTEGER NOT NULL,  -- when this version was replaced
	snapshot TEXT NOT NULL,     -- the item as JSON
	PRIMARY KEY (item_id, rev)
);

-- Original files of documents, by content hash (the same file imported twice is kept once).
CREATE TABLE files (
	sha256 TEXT PRIMARY KEY,
	size   INTEGER NOT NULL,
	data   BLOB NOT NULL
);

-- Items purged from the trash, so a derived index can forget them.
CREATE TABLE tombstones (
	id  TEXT PRIMARY KEY,
	seq INTEGER NOT NULL
);
CREATE INDEX tombstones_seq ON tombstones(seq);
