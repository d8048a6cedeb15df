package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"chancery/store"
	"chancery/store/importer"
)

func contactsCmd(dataDir *string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contacts",
		Short: "Find and merge duplicate contacts; export contacts and organisations as vCard 4.0",
		Long: `Work on contacts. Import them with "chancery import" (vCard .vcf 2.1/3.0/4.0, or an Outlook
or Google contacts .csv export).`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(contactsDuplicatesCmd(dataDir), contactsMergeCmd(dataDir), contactsExportCmd(dataDir))
	return cmd
}

func contactsDuplicatesCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "duplicates",
		Short: "List groups of contacts that share an email address or a name",
		Long: `List groups of live contacts that are likely the same person: the same email address
(ignoring case) or the same given and family name. Nothing is changed; merge a group with
"chancery contacts merge ID ID...".`,
		Args: cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			groups, err := kb.db.DuplicateContacts(ctx)
			if err != nil {
				return err
			}
			if len(groups) == 0 {
				fmt.Println("no duplicate contacts")
				return nil
			}
			for i, g := range groups {
				fmt.Printf("%d. same %s\n", i+1, strings.Join(g.Reasons, "; "))
				var ids []string
				for _, it := range g.Items {
					var emails []string
					if it.Contact != nil {
						for _, e := range it.Contact.Emails {
							emails = append(emails, e.Value)
						}
					}
					fmt.Printf("   %s  %s  %s\n", it.ID, it.Title, strings.Join(emails, ", "))
					ids = append(ids, it.ID)
				}
				fmt.Printf("   merge: chancery contacts merge %s\n", strings.Join(ids, " "))
			}
			fmt.Printf("%d %s\n", len(groups), plural(len(groups), "group"))
			return nil
		}),
	}
}

func contactsMergeCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "merge ID ID...",
		Short: "Merge contacts into the first one; the others go to the trash",
		Long: `Merge contacts into the first ID: it gets all their emails, phones, addresses, tags and
countries, and links to the others now point to it. The others go to the trash, from which
they can be restored.`,
		Args: cobra.MinimumNArgs(2),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			p := newProgress("merging") // one transaction: "merging 0/1", then 1/1 once committed
			p.update(0, 1)
			kept, err := kb.db.MergeContacts(ctx, args)
			if err != nil {
				return err
			}
			p.update(1, 1)
			p.finish()
			fmt.Printf("merged %d contacts into %s (%s); the others are in the trash\n", len(args), kept.ID, kept.Title)
			return kb.waitIndexed(ctx)
		}),
	}
}

func contactsExportCmd(dataDir *string) *cobra.Command {
	var tag, country, ceiling string
	cmd := &cobra.Command{
		Use:   "export FILE",
		Short: "Export contacts and organisations as vCard 4.0, up to a marking",
		Long: `Export contacts and organisations as vCard 4.0 to FILE, readable by you only.

The export carries nothing marked above its ceiling: --ceiling, else the administrator's
export_ceiling, else the lowest marking. It says how many items it left out, by ID. A
contact whose organisation is above the ceiling is exported without it. A card marked above
the lowest marking starts its note with "Marking: RESTRICTED", which phones show.`,
		Example: "  chancery contacts export contacts.vcf\n  chancery contacts export nga.vcf --country NGA --ceiling RESTRICTED",
		Args:    cobra.ExactArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			c, err := kb.exportCeiling(ctx, ceiling)
			if err != nil {
				return err
			}
			var rep importer.ExportReport
			err = writeOwnerOnly(args[0], func(w io.Writer) error {
				rep, err = importer.ExportVCards(ctx, kb.db, w, importer.ExportFilter{Tag: tag, Country: country, Ceiling: c})
				return err
			})
			if err != nil {
				return err
			}
			if err := kb.auditExport(ctx, args[0], store.AuditEvent{Subject: "contacts", Marking: rep.Ceiling, Detail: fmt.Sprintf("%d vCards (tag %q, country %q) to %s, up to %s, %d withheld", rep.Written, tag, country, args[0], rep.Ceiling, len(rep.Withheld))}); err != nil {
				return err
			}
			fmt.Printf("exported %d %s up to %s to %s\n", rep.Written, plural(rep.Written, "card"), rep.Ceiling, args[0])
			if n := len(rep.Withheld); n > 0 {
				fmt.Printf("left out %d %s marked above %s: %s\n", n, plural(n, "item"), rep.Ceiling, listIDs(rep.Withheld))
			} else {
				fmt.Printf("left out nothing: nothing is marked above %s\n", rep.Ceiling)
			}
			if n := len(rep.OrgWithheld); n > 0 {
				fmt.Printf("%d %s exported without an organisation marked above %s: %s\n", n, plural(n, "contact"), rep.Ceiling, listIDs(rep.OrgWithheld))
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&tag, "tag", "", "only items with this tag")
	cmd.Flags().StringVar(&country, "country", "", "only items about this country (alpha-3)")
	cmd.Flags().StringVar(&ceiling, "ceiling", "", "the highest marking to export (default: the policy's export_ceiling, else the lowest marking)")
	return cmd
}
