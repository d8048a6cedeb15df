package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"chancery/search"
	"chancery/store"
	"chancery/store/importer"
)

func importCmd(dataDir *string) *cobra.Command {
	var class string
	var co importer.CorpusOptions
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import PDF, DOCX and HTML documents, Markdown and text notes, vCard and CSV contacts, or the UN General Debate corpus",
		Long: `Import files into the knowledge base.

  PDF, DOCX and HTML files (.pdf, .docx, .html, .htm) become documents: their text is
  extracted (an HTML page's main content, not its menus) and the original file is kept. Each
  ends imported, imported without text (a scan: "no text layer"), or refused with the reason
  (encrypted, damaged, too large...); a refused file is kept too and listed. A document is
  known by its content: the same file imported again, under any name, adds nothing.

  Markdown (.md) and text (.txt) files, or folders of them, become notes: front matter,
  #tags and [[wikilinks]] become fields, tags and links.
  A UN General Debate corpus file (.jsonl or .jsonl.gz) becomes one document per statement,
  with its country and year.
  vCard files (.vcf: 2.1 as Outlook writes it, 3.0, 4.0) and Outlook or Google contacts
  exports (.csv, any common encoding, columns matched by name) become contacts; a company
  becomes an organisation. jCard (.json) and xCard (.xml) files are read too. A card or row
  that cannot be read is named and skipped.

Importing the same file again updates what it imported before; nothing is duplicated, no
marking is lowered, and an edit made in Chancery is never overwritten: when both the item
and its file changed, Chancery's version stays and the file's is saved as a revision (listed). Work
is committed every ` + fmt.Sprint(importer.BatchSize) + ` items (documents every 20): an interrupted import keeps what it committed, and
running it again finishes it.`,
		Example: "  chancery import ~/briefings/*.pdf ~/notes\n  chancery import ../shared/corpora/ungd/ungd-1946-2024.jsonl.gz\n  chancery import contacts.vcf outlook.csv",
		Args:    cobra.MinimumNArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			p := newProgress("committed")
			p.everyUpdate = true
			var docs []store.ImportedFile
			// The index follows the import's commits by itself, so that most of it is
			// indexed by the time the import ends.
			rep, err := runImport(ctx, kb.db, args, co, importer.Options{Progress: p.update,
				Read: func(r store.ImportedFile) { docs = append(docs, r) }, Class: class})
			kb.auditImport(ctx, args, class, rep, err)
			if st := kb.ix.Status(); st.Err != nil && ctx.Err() == nil {
				fmt.Fprintln(os.Stderr, "indexing while importing:", st.Err)
			}
			p.finish()
			for _, f := range rep.Failed {
				fmt.Fprintln(os.Stderr, "not imported:", f.Error())
			}
			for _, b := range rep.Both {
				fmt.Println("changed both in Chancery and in its file:", b, "(Chancery's version kept; the file's saved as a revision)")
			}
			printDocuments(os.Stdout, docs)
			if err != nil {
				if ctx.Err() != nil {
					return fmt.Errorf("interrupted after committing %d items; run the same import again to finish it", rep.Saved)
				}
				if full := diskFullError(err, kb.db.Dir(), fmt.Sprintf("the import stopped after committing %d items, which are kept", p.done)); full != nil {
					return full
				}
				return err
			}
			fmt.Printf("imported %d items, %d failed", rep.Saved, len(rep.Failed))
			if len(rep.Both) > 0 {
				fmt.Printf(", %d changed both in Chancery and in their file (both versions kept)", len(rep.Both))
			}
			fmt.Println()
			return kb.waitIndexed(ctx)
		}),
	}
	cmd.Flags().BoolVar(&co.Paragraphs, "paragraphs", false, "with a UN General Debate corpus file: also every paragraph of every statement as an item of its own (about 234,000 items)")
	cmd.Flags().IntVar(&co.Limit, "limit", 0, "with a UN General Debate corpus file: stop after this many items (statements first, then paragraphs)")
	cmd.Flags().StringVar(&class, "class", "", "the marking of what this import saves (default: the policy's default_marking, else the lowest); a file that names a higher one keeps it")
	return cmd
}

// printDocuments lists the documents that did not simply import, then counts them all.
func printDocuments(w io.Writer, docs []store.ImportedFile) {
	if len(docs) == 0 {
		return
	}
	var ok, empty, refused, again int
	for _, r := range docs {
		switch {
		case r.Again:
			again++
		case r.Status == store.StatusOK:
			ok++
		case r.Status == store.StatusEmpty:
			empty++
			fmt.Fprintf(w, "without text: %s (%s)\n", r.Path, r.Reason)
		default:
			refused++
			fmt.Fprintf(w, "refused: %s: %s\n", r.Path, r.Reason)
		}
	}
	fmt.Fprintf(w, "documents: %d imported, %d without text, %d refused, %d already there\n", ok, empty, refused, again)
}

func searchCmd(dataDir *string) *cobra.Command {
	var asJSON, facets bool
	var limit int
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search the knowledge base: ranked hits with snippets",
		Long: `Search every kind of item. The query language:

  oil spill            items with both words (in any form: spill, spills, spilled; also
                       as the start of a longer word, and with a small typo)
  "oil spill"          the exact phrase
  river -danube        exclude a word
  spill OR leak        either word
  kind:contact  country:NGA  topic:environment  tag:oil-spill  class:restricted  lang:fr
  year:2019  year:2010..2020  date:2026-11  after:2026-01-01  before:2026-06-30`,
		Example: `  chancery search "oil spill"
  chancery search 'disarmament country:IND year:1990..1999' --json`,
		Args: cobra.MinimumNArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			if err := kb.waitIndexed(ctx); err != nil {
				return err
			}
			q := strings.Join(args, " ")
			res, err := kb.ix.Search(ctx, q, search.Options{Size: limit, Facets: facets || asJSON})
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(q, res)
			}
			printHits(res, facets)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	cmd.Flags().BoolVar(&facets, "facets", false, "also print facet counts (kind, country, topic, year)")
	cmd.Flags().IntVarP(&limit, "limit", "n", 10, "how many hits to print")
	return cmd
}

// withKB makes a command's RunE that opens the knowledge base, runs fn on it, and closes it.
func withKB(dataDir *string, fn func(ctx context.Context, kb *knowledgeBase, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		kb, err := openKB(cmd.Context(), *dataDir)
		if err != nil {
			return err
		}
		defer kb.Close()
		return fn(cmd.Context(), kb, args)
	}
}

func printHits(res search.Result, facets bool) {
	verb := "items match"
	if res.Total == 1 {
		verb = "item matches"
	}
	fmt.Printf("%d %s (%s)\n", res.Total, verb, res.Took.Round(10*time.Microsecond))
	for i, h := range res.Hits {
		var meta []string
		meta = append(meta, string(h.Kind), h.Class)
		if len(h.Countries) > 0 {
			meta = append(meta, strings.Join(h.Countries, ","))
		}
		if !h.Date.IsZero() {
			meta = append(meta, store.FormatDate(h.Date))
		}
		fmt.Printf("\n%2d. %s\n    [%s]  id %s\n", i+1, h.Title, strings.Join(meta, " · "), h.ID)
		for _, s := range h.Snippets {
			fmt.Printf("    %s\n", s.String())
		}
	}
	if facets {
		for _, f := range res.Facets {
			var parts []string
			for _, t := range f.Terms {
				parts = append(parts, fmt.Sprintf("%s %d", t.Term, t.Count))
			}
			fmt.Printf("\n%s: %s", f.Name, strings.Join(parts, ", "))
		}
		fmt.Println()
	}
}

func printJSON(q string, res search.Result) error {
	type jsonHit struct {
		ID        string   `json:"id"`
		Kind      string   `json:"kind"`
		Title     string   `json:"title"`
		Class     string   `json:"class"`
		Countries []string `json:"countries,omitempty"`
		Date      string   `json:"date,omitempty"`
		Score     float64  `json:"score"`
		Snippets  []string `json:"snippets,omitempty"`
	}
	out := struct {
		Query   string         `json:"query"`
		Total   uint64         `json:"total"`
		TookMS  float64        `json:"took_ms"`
		Partial bool           `json:"partial,omitempty"`
		Hits    []jsonHit      `json:"hits"`
		Facets  []search.Facet `json:"facets,omitempty"`
	}{Query: q, Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000, Partial: res.Partial, Hits: []jsonHit{}, Facets: res.Facets}
	for _, h := range res.Hits {
		jh := jsonHit{ID: h.ID, Kind: string(h.Kind), Title: h.Title, Class: h.Class, Countries: h.Countries, Score: h.Score}
		if !h.Date.IsZero() {
			jh.Date = store.FormatDate(h.Date)
		}
		for _, s := range h.Snippets {
			jh.Snippets = append(jh.Snippets, s.String())
		}
		out.Hits = append(out.Hits, jh)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func reindexCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Throw the search index away and rebuild it from the store",
		Args:  cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			p := newProgress("indexing")
			err := kb.ix.Rebuild(ctx, p.update)
			p.finish()
			return err
		}),
	}
}

func checkCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check the database's integrity and that the search index agrees with it",
		Long: `Check the knowledge base: SQLite's integrity and foreign key checks on the database, then
the search index against the store (it is first brought up to date, which repairs an index
left behind by a crash). Exits with status 1 when a problem remains.`,
		Args: cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			if s := kb.pol.Summary(); s != "" {
				fmt.Println("policy:", s)
			}
			problems, err := kb.db.Check(ctx)
			if err != nil {
				return err
			}
			above, err := kb.db.AboveCeiling(ctx)
			if err != nil {
				return err
			}
			for _, a := range above {
				problems = append(problems, "marked above "+kb.db.MaxClass()+", the highest marking the policy allows: "+a)
			}
			stats, err := kb.db.Stats(ctx)
			if err != nil {
				return err
			}
			if len(problems) == 0 {
				fmt.Printf("database: ok (%d items, %d in the trash, %d original files)\n", stats.Live, stats.Trash, stats.Files)
			}
			for _, p := range problems {
				fmt.Println("database:", p)
			}
			if err := kb.waitIndexed(ctx); err != nil {
				return err
			}
			ixProblems, err := kb.ix.Check(ctx)
			if err != nil {
				return err
			}
			if len(ixProblems) == 0 {
				fmt.Printf("index: ok (agrees with the store at change %d)\n", kb.ix.Applied())
			}
			for _, p := range ixProblems {
				fmt.Println("index:", p)
			}
			if n := len(problems) + len(ixProblems); n > 0 {
				if len(problems) > len(above) { // the database's own checks failed
					return fmt.Errorf("%d problems found; the database is %w", n, store.ErrDamaged)
				}
				return fmt.Errorf("%d problems found", n)
			}
			return nil
		}),
	}
}

func demoCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Load the example knowledge base (an oil spill into an international river)",
		Long: `Load the example knowledge base into the knowledge base: notes, contacts, organisations,
documents and a briefing about an oil spill from a depot into an international river with
five downstream countries. Fictional. Loading it again restores its items as shipped.`,
		Args: cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			n, err := importer.LoadDemo(ctx, kb.db)
			if err != nil {
				return err
			}
			stats, err := kb.db.Stats(ctx)
			if err != nil {
				return err
			}
			var parts []string
			for _, k := range store.Kinds {
				if c := stats.Kinds[k]; c > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", c, plural(c, string(k))))
				}
			}
			fmt.Printf("example knowledge base loaded: %d items in %s (%s)\n", n, kb.db.Dir(), strings.Join(parts, ", "))
			return kb.waitIndexed(ctx)
		}),
	}
}

// plural is the word with an s when n is not one.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
