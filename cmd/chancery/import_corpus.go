package main

import (
	"context"
	"fmt"
	"strings"

	"chancery/store"
	"chancery/store/importer"
)

// runImport imports paths as `chancery import` does; with co's Paragraphs or Limit set
// (`--paragraphs`, `--limit`), every path must be a UN General Debate corpus file, imported
// through importer.ImportCorpusItems: the ~234,000-item knowledge base of issue 15 that
// .ci/gui-scale.sh measures the window on.
func runImport(ctx context.Context, db *store.DB, paths []string, co importer.CorpusOptions, opt importer.Options) (store.ImportReport, error) {
	if !co.Paragraphs && co.Limit <= 0 {
		return importer.Import(ctx, db, paths, opt)
	}
	var rep store.ImportReport
	for _, p := range paths {
		l := strings.ToLower(p)
		if !strings.HasSuffix(l, ".jsonl") && !strings.HasSuffix(l, ".jsonl.gz") {
			return rep, fmt.Errorf("import %s: --paragraphs and --limit are for the UN General Debate corpus (.jsonl or .jsonl.gz)", p)
		}
		r, err := importer.ImportCorpusItems(ctx, db, p, co, opt)
		rep.Saved += r.Saved
		rep.Failed = append(rep.Failed, r.Failed...)
		rep.Both = append(rep.Both, r.Both...)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}
