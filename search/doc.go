// Package search is Chancery's full-text index: one Bleve index over every kind of item,
// with the query language of the product (see Query).
//
// The index is a cache; delete it and it is rebuilt from the store. Open creates it anew
// when it is missing, was built with another MappingVersion, or cannot be opened, and when
// it belongs to another database: it records the Identity of the store it was built from,
// and a store with another identity, or one whose last change is before what the index has
// applied (an older copy put back), means a rebuild.
//
// The index follows the store by itself. Open starts a follower, owned by the index and
// stopped by Close, that catches up with the store's change feed at once and again after
// every commit the store announces (Source.Subscribe), whoever wrote it: a screen, an
// importer, the seed folder, a later sync. One catch-up runs at a time (Rebuild and Check
// take their turn). A catch-up fills the index in batches, each recording the change
// sequence number it completes, so an interrupted one (the index closed, the process
// killed) resumes where it stopped. Whoever needs "what I just wrote is searchable" waits
// for its sequence number: WaitFor (store.Item.Seq after a save, or the store's LastSeq),
// or WaitForProgress to show a catch-up's progress. Status tells how far the index is and
// the last catch-up's failure; Subscribe signals each change of it, for a screen. Write to
// the store first; a failed index write never loses data. A write Bleve fails to make in
// the background (a full disk) fails the catch-up, and so the WaitFor waiting, in words, at
// once: Bleve's background work, which would retry for ever, is held and stopped, and the
// index reopened read-only as it is on disk (searches go on; Bleve writes and merges nothing
// until a catch-up opens it for writing); nothing tries again by itself: the next commit or
// WaitFor does (a retry that WaitFor calls alone asked for stops within about a tenth of a
// second when none of them waits any more, handing Bleve small batches for that, and leaves
// the index read-only again; a wait that began before the failure does not ask for
// another). A damaged index (a segment file changed on disk) is
// never trusted: opening it, a search or Bleve's background work that fails or panics on it
// has it thrown away and rebuilt from the store by the follower (a search says so in
// words), and Check
// verifies the checksum of every segment file in use or kept for a snapshot Bleve has recorded
// on disk (not the files Bleve is still writing), and compares a sample of documents with the
// store, rebuilding the index when they disagree.
//
// The mapping is static: each of the six UN languages has its own body field with its own
// analyzer (English, French, Spanish, Russian, Arabic; Chinese, Japanese and Korean through
// the CJK analyzer), other languages a plain Unicode field. An item's language is its own
// Language, which the store fills when an item is saved without one (store.DetectLanguage);
// the index does not guess again. Only what results show is stored:
// title, kind, classification, countries, date, and the body for snippets.
//
// Filters are values (Filter): a parsed Query answers whether a filter is on (Has), turns it
// on or off (Toggle) and writes itself back as the user typed it (String), comparing
// canonical values (a country by name, ISO-2 or ISO-3 code; kind aliases; case; a date filter
// by the interval it selects). A filter is on when it is a clause of its own, not negated: one
// inside an OR does not narrow the search to it. A result's facet terms carry their Filter and
// say whether the query searched has it on (FacetTerm.Active), so a screen draws its chips
// without reading the query's text.
//
// One table of index fields (fields.go) names every field of the documents: it drives the
// mapping, the document of an item, the stored fields a hit reads, the facets and the filter
// names of the query language; the body fields are the table of analysed languages (lang.go).
// The mapping it builds is held to the one recorded for MappingVersion by a test.
//
// A query that names a country, in any of the six UN languages or by a demonym, one word or
// several in a row (store.LookupCountryName: "Togo", "togolais", "Того", "Côte d'Ivoire"),
// also matches the items marked with that country, ranked first, its contacts first of all;
// in such a query a word naming a kind ("contacts") also matches the items of that kind
// (countries.go). Codes are not names, and a negated word or a word in an OR stays a word.
// The country filter reads names and demonyms too (country:togolais).
//
// Words match in any inflected form (the language's stemmer), as the start of a longer word
// (search as you type: the most frequent completions, within a bound on the matches they
// add), and, when the index does not know the word, with a small typo. A Hit carries the
// item's ID, score and highlighted snippets; the item itself is read from the store. Only
// this package imports Bleve.
//
// Purged means gone: after a catch-up that removes items purged from the store, the index is
// compacted (its segments rewritten without them, the old files removed), or rebuilt when
// that leaves anything behind, so that no index file keeps their text.
//
// Speed: facet counts come from a table of every document's facet values held in memory
// for the current index snapshot (read again when the index changes), one run of one array
// per document, so counting a match costs a few array increments on memory read in order;
// snippets are cut by this package from the term locations of the top hits only (a second,
// small, unscored search restricted to them). A phrase is the conjunction of its words, the
// candidates kept where the words' positions stand in the phrase's order (phrase.go: Bleve's
// matches, scores and snippet locations, without its phrase searcher's maps); a fuzzy word's
// terms are looked up in the index once per search, not again for the snippets (fuzzy.go). Batches reach the disk in
// the background; the last batch of a catch-up is waited for, so the changes WaitFor
// reports applied are on disk (and purged ones compacted away). The follower catches up
// while a long import writes the store, so an import is indexed as it goes.
//
// Search latency (issue 15): what a search reads once is kept for the index snapshot it
// read, and dropped when the index changes: a word's completions, its neighbours within a
// typo and whether the index knows it (expand.go: typing searches again at every keystroke
// with every word typed so far), and the stored fields of the last 128 top hits (stored.go:
// a keystroke's hits are mostly the last one's). The snippet pass reads the hits' stored
// fields itself, by number, from the snapshot it searched (Bleve copied every stored field
// of a hit twice), and restricts a phrase to the hits. The phrase check reads the words'
// positions from the segments' postings directly (phraseseg.go, without Bleve's term
// vectors), the rarest word first, and stops at the first word out of place (phraseorder.go).
// Results, scores, snippets and facets are unchanged: the answers to every query of the
// bench's set, every keystroke of it and every judged query (hits with their scores to the
// last bit, snippets, facets, totals) were compared byte for byte before and after. Measured
// with TestQueryScale (cmd/chancery/bench; CHANCERY_SCALE_WORK=<copy of a bench's
// chancery/ folder>, nice -n 19) on the 10,952 statements, the code before (8820189) and
// after taking turns twice, on 2 cores shared with other work (load average 2.7 to 5.5, so
// the wall-clock percentiles are noise; processor time per query, all of the process's,
// garbage collection included, is the figure to compare), before → after:
//
//	class      cpu/query        p50 (wall, loaded)
//	word       3.4–3.9 → 1.6–2.1 ms   2.4–4.4 → 1.9–2.0 ms
//	words      7.9–8.0 → 4.3–4.9 ms   6.3–10.9 → 5.3–6.6 ms
//	phrase    13.2–14.6 → 7.3 ms      6.1–11.9 → 7.7–8.9 ms
//	partial    5.1–6.5 → 2.8 ms       4.1–8.3 → 3.0–4.4 ms
//	misspelt   4.8–6.9 → 2.3 ms       5.2–7.3 → 3.2–3.3 ms
//	filtered   3.0–3.7 → 2.1–2.4 ms   2.1–4.8 → 2.1–2.3 ms
//	all        6.1–7.1 → 3.3–3.5 ms   4.4–7.4 → 3.5–3.8 ms
//
// Each keystroke of the set typed once, in order (processor time per keystroke): p50 3.2 →
// 2.2 ms, p95 11.5 → 9.8 ms, p99 17.7 → 14.8 ms. The slowest query, "new international
// economic order" (9,790 items hold its four words, 1,087 the phrase), took 28.6–31.9 ms of
// processor time before and 13.9–14.5 ms after (least of 7 runs; 22,117 word positions read
// instead of 39,160); "right to development" (10,632 candidates, 517 matches, about 218,000
// positions to read) stays near 12–13 ms: both words must be read in every candidate. What
// a search costs when nothing is kept (a new query, the index just changed) is in between:
// with the kept expansions and fields dropped before every search, cpu/query was word 1.9,
// words 5.5–6.2, phrase 6.0–6.3, partial 3.7–3.9, misspelt 4.5–5.2, filtered 3.1–4.2 ms.
// What is left is Bleve's: the iteration and scoring of every match of the expanded query
// (about 60% of a search), the second, unscored search of the snippet pass (about 15%), and
// building a Levenshtein automaton per field for a word not in the index.
// Memory while indexing (tuning.go, mergemem.go): a catch-up hands Bleve batches of at
// most 500 items and 1 MB of text (Bleve analyses a whole batch at once, and the analysed
// words with their locations take about 25 times the text), at most two batches ahead of
// Bleve's persister (batches are not synced one by one, so nothing else stops segments
// piling up in memory while it is behind), and a catch-up of 2,000 changes or more sets the
// Go runtime's soft memory limit to 300 MB for its time (a lower limit of the process,
// GOMEMLIMIT, is kept; the one before is put back after). Bleve reads the segments it
// merges through memory maps, and every page a merge reads stayed resident until the merge
// was done: Chancery's segment plugin (Bleve's own files and format) tells the kernel every
// 100 ms of a merge that the pages of the segments it reads are not needed in the process
// (Linux; they stay in the page cache, as SQLite's reads do). Measured with
// BenchmarkBuildIndex (cmd/chancery/bench, one build per process:
// CHANCERY_BUILD_ITEMS=N go test -tags ci,migrated_fynedo -run '^$' -bench 'BuildIndex$'
// -benchtime=1x ./cmd/chancery/bench/) on 2 cores shared with other work (load 2-5), peak
// resident memory before → after: 10,952 items 434-459 MiB (of it 232 MiB segment pages
// resident during a merge) → 216-220 MiB; 50,000 items 445 MiB → 230 MiB; 233,523 items
// 443 MiB → 218-223 MiB (segment pages at most 53-58 MiB, the Go heap's objects at most
// 125-137 MiB). Time and segments left: 233,523 items 192 s (CPU 223 s) → 185-213 s (CPU
// 229-231 s), 21 → 22-24 segments (the default FTS5 peer in the same run: 101 s, CPU 62 s);
// at 10,952 and 50,000 within the noise of the shared machine (50-106 s, CPU 82-85 s, and
// 82.8 s after, against 62-137 s, CPU 74-95 s, and 84.5 s before), 6 → 6-7 and 10 → 12
// segments. The merge
// releasing its pages alone (2 MB batches still): 10,952 items 438 → 273-286 MiB, 50,000
// items 445 → 259-282 MiB, for about 10% more minor page faults (221,000 → 244,000).
// Tried and not kept: the soft limit at 200 MB from catch-ups of 500 changes (no lower
// peak: the Go heap's goal stays under it); GOGC=50 (225 MiB, but a third more CPU).
//
// Memory while searching (resident.go): the segment files are mapped from disk, and the
// pages a search reads stay in the process's resident memory until the system reclaims them
// (on 233,523 items some 150 MB after ten searches). ReleaseResident lets go of them, for
// the segments of the snapshot it holds open (releasePages, as merges do: mergemem.go):
// they stay in the system's page cache and are mapped again when a search reads them. The
// window calls it once its searches pause.
package search
