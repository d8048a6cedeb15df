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
