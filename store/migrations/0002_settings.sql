-- Settings the knowledge base keeps about itself (for example that an administrator's seed
-- folder has been imported), as key and value.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
