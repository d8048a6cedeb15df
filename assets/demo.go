package assets

import "embed"

// Demo is the example knowledge base: demo/kb.json (its items) and demo/documents (the
// originals of its documents). store/importer reads it into items (importer.DemoItems).
//
//go:embed demo
var Demo embed.FS
