// Package importer brings files into the store: Markdown and text files (or folders of
// them) as notes, and the UN General Debate corpus (JSON lines, optionally gzipped) as
// documents with country and year.
//
// Imports write in transactions of a few hundred items, so a large import costs few commits;
// each commit is reported before the next begins, and what was reported committed survives
// a crash. Importing the same file or record again updates the item it made before (matched
// by its SourceKey) instead of adding a duplicate, so an interrupted import is finished by
// running it again.
package importer
