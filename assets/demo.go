package assets

import "embed"

// Demo is the example knowledge base: demo/kb.json (its items), demo/incidents.json (what
// its incidents hold: timelines, call sheets, actions, positions, situation reports) and
// demo/documents (the originals of its documents). store/importer reads it into items
// (importer.DemoItems) and incident records (importer.DemoIncidents).
//
//go:embed demo
var Demo embed.FS
