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
// Memory while searching (resident.go): the segment files are mapped from disk, and the
// pages a search reads stay in the process's resident memory until the system reclaims them
// (on 233,523 items some 150 MB after ten searches). ReleaseResident lets go of them, for
// the files of the snapshot it holds open: they stay in the system's page cache and are
// mapped again when a search reads them. The window calls it once its searches pause.
//
// Memory while indexing (tuning.go): a catch-up hands Bleve batches of at most 500 items
// and 2 MB of text (Bleve analyses a whole batch at once, and the analysed words with their
// locations take about 25 times the text), at most two batches ahead of Bleve's persister
// (batches are not synced one by one, so nothing else stops segments piling up in memory
// while it is behind), and a catch-up of 2,000 changes or more sets the Go runtime's soft
// memory limit to 300 MB for its time (a lower limit of the process, GOMEMLIMIT, is kept;
// the one before is put back after). Measured with BenchmarkBuildIndex
// (cmd/chancery/bench) on 2 idle cores, the 10,952 statements of the UN General Debate
// corpus: peak resident memory 782 MiB before, 438 MiB after (of it 215 MiB anonymous,
// 251 MiB Bleve's segment files mapped into memory), 33.5 s → 36.9 s; the size on disk does
// not change. At 233,523 items the anonymous memory stays at 258 MiB, but the segment files
// mapped while Bleve merges reach 778 MiB (peak 1,015 MiB): the merge plan is next.
package search
