package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"chancery/briefing"
	"chancery/store"
)

func briefingCmd(dataDir *string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "briefing",
		Short: "List briefings, or export one as PDF, DOCX, HTML or Markdown",
	}
	cmd.AddCommand(briefingListCmd(dataDir), briefingExportCmd(dataDir))
	return cmd
}

func briefingListCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the briefings: ID, marking, date and title",
		Args:  cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			items, err := kb.db.List(ctx, store.ListOptions{Kind: store.KindBriefing})
			if err != nil {
				return err
			}
			for _, it := range items {
				fmt.Printf("%s\t%s\t%s\t%s\n", it.ID, it.Class, store.FormatDate(it.DisplayDate()), it.Title)
			}
			fmt.Printf("%d %s\n", len(items), plural(len(items), "briefing"))
			return nil
		}),
	}
}

func briefingExportCmd(dataDir *string) *cobra.Command {
	var format, ceiling, out string
	cmd := &cobra.Command{
		Use:   "export ID",
		Short: "Export a briefing pack with its cover, contents, sections and classification banners",
		Long: `Export a briefing as a pack to hand over: a cover page (title, purpose, audience, date,
marking), a table of contents, its sections with the included notes, contact cards and
document excerpts, and the classification banner (the highest marking included) at the top
and bottom of every page.

With --ceiling the pack is a release copy: included items marked above the ceiling are left
out and listed on the cover. The format is taken from --format, or else from the file's
extension.`,
		Example: "  chancery briefing export demo-briefing-orbc-extraordinary-session -o pack.pdf\n" +
			"  chancery briefing export ID --format docx --ceiling RESTRICTED -o release.docx",
		Args: cobra.ExactArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			f := strings.ToLower(strings.TrimPrefix(format, "."))
			if f == "" {
				f = strings.ToLower(strings.TrimPrefix(filepath.Ext(out), "."))
			}
			if !slices.Contains(briefing.Formats, f) {
				return fmt.Errorf("say which format to export with --format (%s), or give the file one of those extensions", strings.Join(briefing.Formats, ", "))
			}
			var b bytes.Buffer
			p, err := briefing.Export(ctx, kb.db, args[0], f, briefing.Options{Ceiling: ceiling}, &b)
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
				return fmt.Errorf("save the briefing: %w", err)
			}
			for _, n := range p.Notices {
				fmt.Fprintln(os.Stderr, "note:", n)
			}
			copyOf := "full copy"
			if p.Ceiling != "" {
				copyOf = fmt.Sprintf("release copy up to %s, %d %s withheld", p.Ceiling, len(p.Withheld), plural(len(p.Withheld), "section"))
			}
			fmt.Printf("exported %q (%s; %s; %d %s) to %s\n", p.Title, p.Marking, copyOf, len(p.Sections), plural(len(p.Sections), "section"), out)
			return nil
		}),
	}
	cmd.Flags().StringVar(&format, "format", "", "pdf, docx, html or md (default: the file's extension)")
	cmd.Flags().StringVar(&ceiling, "ceiling", "", "make a release copy: leave out what is marked above this marking")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the file to write")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}
