package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

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
			kept, err := kb.db.MergeContacts(ctx, args)
			if err != nil {
				return err
			}
			fmt.Printf("merged %d contacts into %s (%s); the others are in the trash\n", len(args), kept.ID, kept.Title)
			return kb.syncIndex(ctx)
		}),
	}
}

func contactsExportCmd(dataDir *string) *cobra.Command {
	var tag, country string
	cmd := &cobra.Command{
		Use:     "export FILE",
		Short:   "Export contacts and organisations as vCard 4.0",
		Example: "  chancery contacts export contacts.vcf\n  chancery contacts export nga.vcf --country NGA",
		Args:    cobra.ExactArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			f, err := os.Create(args[0])
			if err != nil {
				return err
			}
			n, err := importer.ExportVCards(ctx, kb.db, f, importer.ExportFilter{Tag: tag, Country: country})
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			fmt.Printf("exported %d %s to %s\n", n, plural(n, "card"), args[0])
			return nil
		}),
	}
	cmd.Flags().StringVar(&tag, "tag", "", "only items with this tag")
	cmd.Flags().StringVar(&country, "country", "", "only items about this country (alpha-3)")
	return cmd
}
