// Package bench is `chancery bench`: Chancery's search measured against two SQLite FTS5
// peers (fts5peer: a tuned one, as an FTS5 expert would write it, and the default one of
// FTS5's documentation) on the UN General Debate corpus, at two scales (the 10,952
// statements; with every paragraph as an item of its own, 233,523 items) and at the points
// of a curve between them.
//
// Contract:
//   - every engine is built from the same items (importer.EachCorpusItem), by a loader that
//     stops at each point (BuildOptions.Sizes) with its folder closed and readable by
//     another process, and reports its figures there (Build): time spent adding the items
//     plus the last catching up or optimize, sizes on disk, the builder's peak memory so far;
//   - a build deletes only a folder the bench made (its Marker) and never one a Chancery
//     process has open;
//   - measures take turns engine by engine, query by query, in a fixed shuffled order, each
//     engine within its time budget (a cut engine is measured on a fair sample);
//   - relevance at the statements scale is scored exactly as before (top 20 statements);
//     where paragraphs are items, each hit counts as its statement (ByStatement);
//   - targets (Targets) are computed from the figures and printed, never asserted; tests
//     never assert timings.
//
// The app never uses this package.
package bench
