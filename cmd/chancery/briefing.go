package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"chancery/store"
	"chancery/store/briefing"
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

Every pack is a release copy up to a ceiling: --ceiling, else the administrator's
export_ceiling, else the lowest marking. Included items marked above the ceiling are left
out and listed on the cover by section number and marking only ("Section 5 (CONFIDENTIAL)");
a briefing itself marked above the ceiling cannot be exported at it (give a higher
--ceiling; the highest marking withholds nothing). The file is readable by you only. The
format is taken from --format, or else from the file's extension.`,
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
			c, err := kb.exportCeiling(ctx, ceiling)
			if err != nil {
				return err
			}
			var b bytes.Buffer
			p, err := briefing.Export(ctx, kb.db, args[0], f, briefing.Options{Ceiling: c}, &b)
			if err != nil {
				if ce := (*briefing.CeilingError)(nil); errors.As(err, &ce) {
					return fmt.Errorf("%w; give --ceiling %s or higher", err, ce.Marking)
				}
				return err
			}
			if err := writeOwnerOnly(out, func(w io.Writer) error { _, err := w.Write(b.Bytes()); return err }); err != nil {
				return fmt.Errorf("save the briefing: %w", err)
			}
			if err := kb.auditExport(ctx, out, store.AuditEvent{Subject: args[0], Marking: p.Ceiling, Detail: fmt.Sprintf("briefing %q (%s) as %s to %s, release copy up to %s, %d withheld", p.Title, p.Marking, f, out, p.Ceiling, len(p.Withheld))}); err != nil {
				return err
			}
			for _, n := range p.Notices {
				fmt.Fprintln(os.Stderr, "note:", n)
			}
			copyOf := fmt.Sprintf("release copy up to %s, %d %s withheld", p.Ceiling, len(p.Withheld), plural(len(p.Withheld), "section"))
			fmt.Printf("exported %q (%s; %s; %d %s) to %s\n", p.Title, p.Marking, copyOf, len(p.Sections), plural(len(p.Sections), "section"), out)
			if len(p.Withheld) > 0 {
				fmt.Printf("withheld: %s\n", strings.Join(p.Withheld, ", "))
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&format, "format", "", "pdf, docx, html or md (default: the file's extension)")
	cmd.Flags().StringVar(&ceiling, "ceiling", "", "leave out what is marked above this marking (default: the policy's export_ceiling, else the lowest marking)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the file to write")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}
