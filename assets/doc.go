// Package assets holds what ships inside the binary: the app's icon and the example
// knowledge base.
//
// The example knowledge base (demo/kb.json and the files in demo/documents) is fictional:
// an oil spill from a depot into an international river with five downstream countries,
// written for Chancery, with the spill as an incident (demo/incidents.json holds its
// timeline, call sheet, actions, positions and SITREP 1 and 2). Its items and records have
// fixed IDs ("demo-..."), so loading it again restores them as shipped instead of adding
// copies.
package assets
