-- Kept (standing) searches: a name and a query in the product's query language, run again
-- whenever they are opened. incident is the ID of the incident item the search belongs to
-- ('' for none; an incident has one or more). seen_seq is the store's change sequence the
-- search was last opened at: what was written after it is "new" or "changed since you last
-- looked" (store/kept.go). Not a foreign key: the incident may be in the trash.
CREATE TABLE kept_searches (
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	query    TEXT NOT NULL,
	incident TEXT NOT NULL DEFAULT '',
	created  INTEGER NOT NULL,           -- unix milliseconds
	seen_seq INTEGER NOT NULL DEFAULT 0, -- change sequence when last opened
	seen     INTEGER                     -- unix milliseconds when last opened, NULL never
);
CREATE INDEX kept_searches_incident ON kept_searches(incident, name);

-- The change sequence each item was first written at (its birth), so that what a kept
-- search finds since it was last opened can be told new (born after) from changed. Written
-- by the store when it inserts an item; items older than this table have none (born at 0,
-- before any kept search). Not a foreign key, so that rebuilding items keeps it; the rows
-- of purged items (an ID and a number, no text) stay and are ignored (FreshSince joins
-- the live items), and are replaced if the ID is ever saved again.
CREATE TABLE item_births (
	id  TEXT PRIMARY KEY,
	seq INTEGER NOT NULL
) WITHOUT ROWID;
