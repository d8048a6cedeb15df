package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"chancery/search"
	"chancery/store"
	"chancery/store/pack"
	"chancery/ui"
)

func packCmd(dataDir *string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pack",
		Short: "Export and import encrypted knowledge packs (items, links, originals, history)",
		Long: `A knowledge pack carries items to another Chancery: the items, their links, the original
files of documents and their history, up to a ceiling, encrypted with age to people's age keys
(kept with their contact cards: "chancery pack key") or to a passphrase. The standard age
tool opens it too ("age -d"). The format is written down in store/pack/doc.go.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(packExportCmd(dataDir), packImportCmd(dataDir), packKeyCmd(dataDir))
	return cmd
}

func packExportCmd(dataDir *string) *cobra.Command {
	var query, tag, briefing, incident, ceiling, passFile, out string
	var ids, to []string
	cmd := &cobra.Command{
		Use:   "export (--query Q | --tag T | --briefing ID | --incident ID | --id ID...) (--to KEY_OR_CONTACT... | --passphrase-file F) --out FILE",
		Short: "Write the selected items as an encrypted knowledge pack",
		Long: `Write a knowledge pack of the selected live items (a search, a tag, a briefing and the
items it includes, an incident with its records and what they link to, IDs; several
selections add up), with their links, originals and history. An incident in the pack
carries its records: timeline, call sheet, actions, positions and situation reports.

Every pack is a release copy up to a ceiling: --ceiling, else the administrator's
export_ceiling, else the lowest marking. Items marked above it are left out (listed on
stderr by ID and marking), and so is every trace of them in what goes: links to them, their
names as organisation or participant, briefing sections that include them, and revisions
that were marked above the ceiling. Incident records above it are left out the same way,
with the lines of situation reports drafted from them (see store/pack/doc.go).

--to takes an age public key (age1...) or the ID of a contact whose age key is kept
("chancery pack key"); give it once per person. --passphrase-file encrypts to the
passphrase on the file's first line instead. The file is readable by you only.`,
		Example: "  chancery pack export --tag oil-spill --to 0190c3a1... --to age1qyq... --out oil-spill.pack\n" +
			"  chancery pack export --query 'danube kind:contact' --passphrase-file pass.txt --ceiling RESTRICTED --out contacts.pack",
		Args: cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			if out == "" {
				return errors.New("give the pack's file with --out")
			}
			pass := ""
			if passFile != "" {
				var err error
				if pass, err = readPassphrase(passFile); err != nil {
					return err
				}
			}
			recipients, err := packRecipients(ctx, kb.db, to, pass)
			if err != nil {
				return err
			}
			sel, what, err := packSelection(ctx, kb, query, tag, briefing, incident, ids)
			if err != nil {
				return err
			}
			c, err := kb.exportCeiling(ctx, ceiling)
			if err != nil {
				return err
			}
			p, err := pack.Collect(ctx, kb.db, sel, pack.Options{Ceiling: c, Selection: what})
			if err != nil {
				return err
			}
			if len(p.Withheld) > 0 {
				fmt.Fprintf(os.Stderr, "withheld (marked above %s): %s\n", c, listIDs(p.Withheld))
			}
			if err := writeOwnerOnly(out, func(w io.Writer) error { return p.Write(w, recipients...) }); err != nil {
				return err
			}
			if err := kb.auditExport(ctx, out, packExportEvent(out, what, c, len(to), pass != "", p.Items(), p.Revisions(), len(p.Originals), len(p.Withheld))); err != nil {
				return err
			}
			recs := ""
			if n := p.RecordCount(); n > 0 {
				recs = fmt.Sprintf(", %d incident %s", n, plural(n, "record"))
			}
			fmt.Printf("packed %d %s, %d %s, %d original %s%s up to %s into %s\n", p.Items(), plural(p.Items(), "item"),
				p.Revisions(), plural(p.Revisions(), "revision"), len(p.Originals), plural(len(p.Originals), "file"), recs, c, out)
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&query, "query", "", "the items a search finds (the search box's language)")
	f.StringVar(&tag, "tag", "", "the items with this tag")
	f.StringVar(&briefing, "briefing", "", "a briefing and the items it includes")
	f.StringVar(&incident, "incident", "", "an incident, its records and the items they link to")
	f.StringSliceVar(&ids, "id", nil, "an item by ID (repeat, or separate with commas)")
	f.StringSliceVar(&to, "to", nil, "a recipient: an age public key or a contact's ID (repeat)")
	f.StringVar(&passFile, "passphrase-file", "", "encrypt to the passphrase on this file's first line")
	f.StringVar(&ceiling, "ceiling", "", "the highest marking the pack may hold (default: the policy's export_ceiling, else the lowest)")
	f.StringVarP(&out, "out", "o", "", "the pack file to write")
	return cmd
}

// packSelection is the IDs the selections name, in order, once each, and what they are in
// words.
func packSelection(ctx context.Context, kb *knowledgeBase, query, tag, briefing, incident string, ids []string) ([]string, string, error) {
	var sel, what []string
	if query != "" {
		if err := kb.waitIndexed(ctx); err != nil {
			return nil, "", err
		}
		const page = 1000
		for from := 0; ; from += page {
			res, err := kb.ix.Search(ctx, query, search.Options{Size: page, From: from})
			if err != nil {
				return nil, "", err
			}
			for _, h := range res.Hits {
				sel = append(sel, h.ID)
			}
			if len(res.Hits) < page || uint64(from+page) >= res.Total {
				break
			}
		}
		what = append(what, "search: "+query)
	}
	if tag != "" {
		t, err := pack.TagIDs(ctx, kb.db, tag)
		if err != nil {
			return nil, "", err
		}
		sel = append(sel, t...)
		what = append(what, "tag: "+tag)
	}
	if briefing != "" {
		b, err := pack.BriefingIDs(ctx, kb.db, briefing)
		if err != nil {
			return nil, "", err
		}
		if b, err = pack.Live(ctx, kb.db, b); err != nil {
			return nil, "", err
		}
		sel = append(sel, b...)
		what = append(what, "briefing: "+briefing)
	}
	if incident != "" {
		b, err := pack.IncidentIDs(ctx, kb.db, incident)
		if err != nil {
			return nil, "", err
		}
		sel = append(sel, b...)
		what = append(what, "incident: "+incident)
	}
	if len(ids) > 0 {
		sel = append(sel, ids...)
		what = append(what, "items: "+strings.Join(ids, ", "))
	}
	if len(what) == 0 {
		return nil, "", errors.New("choose what goes in the pack: --query, --tag, --briefing, --incident or --id")
	}
	if len(sel) == 0 {
		return nil, "", fmt.Errorf("nothing to pack: no live item matches (%s)", strings.Join(what, "; "))
	}
	return sel, strings.Join(what, "; "), nil
}

// packRecipients are the age recipients of to (keys, or contacts' keys) or a passphrase;
// one of the two.
func packRecipients(ctx context.Context, db *store.DB, to []string, pass string) ([]age.Recipient, error) {
	switch {
	case len(to) > 0 && pass != "":
		return nil, errors.New("encrypt to recipients (--to) or to a passphrase (--passphrase-file), not both")
	case pass != "":
		r, err := age.NewScryptRecipient(pass)
		if err != nil {
			return nil, err
		}
		return []age.Recipient{r}, nil
	case len(to) == 0:
		return nil, errors.New("say who may open the pack: --to an age key or a contact's ID, or --passphrase-file")
	}
	var out []age.Recipient
	for _, t := range to {
		t = strings.TrimSpace(t)
		if strings.HasPrefix(t, "age1") {
			r, err := store.ParseAgeKey(t)
			if err != nil {
				return nil, fmt.Errorf("--to %s is not an age public key: %v", t, err)
			}
			out = append(out, r)
			continue
		}
		it, err := db.Get(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("--to %s: neither an age key (age1...) nor a contact's ID: %w", t, err)
		}
		if it.Contact == nil || it.Contact.AgeKey == "" {
			return nil, fmt.Errorf("--to %s: %s %q has no age key; add it with `chancery pack key %s KEY` (an age1 key)", t, it.Kind, it.Title, it.ID)
		}
		r, err := store.ParseAgeKey(it.Contact.AgeKey)
		if err != nil {
			return nil, fmt.Errorf("--to %s: the age key of %q is not one: %v", t, it.Title, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func readPassphrase(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read the passphrase: %w", err)
	}
	pass, err := pack.Passphrase(data)
	if err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	return pass, nil
}

func packImportCmd(dataDir *string) *cobra.Command {
	var passFile, identityFile string
	var skip bool
	cmd := &cobra.Command{
		Use:   "import FILE (--passphrase-file F | --identity FILE)",
		Short: "Import an encrypted knowledge pack: items keep their IDs; nothing edited here is overwritten",
		Long: `Import a knowledge pack made by another Chancery (or this one), in one transaction: all of
it or nothing. The pack is decrypted and checked whole first: a wrong passphrase or identity,
a truncated or altered pack, a pack from a newer Chancery, and a pack holding items marked
above this machine's ceiling are refused in words, and nothing is written.

Items keep their IDs. A new item is added with its history; a newer version of an item here
updates it; an older one changes nothing. An item changed here since the version the pack's
was made from is a conflict: the version here stays current, the pack's is kept as the
revision before it (see the item's history), and the item is listed as kept as conflict.
An item in the trash here stays there.

--identity is an age identity file (AGE-SECRET-KEY-..., as age-keygen writes it).
--skip-above-ceiling imports the rest of a pack holding items above this machine's ceiling,
naming those left out by ID and marking.`,
		Example: "  chancery pack import oil-spill.pack --identity ~/.config/chancery/key.txt\n  chancery pack import contacts.pack --passphrase-file pass.txt",
		Args:    cobra.ExactArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			pass := ""
			if passFile != "" {
				var err error
				if pass, err = readPassphrase(passFile); err != nil {
					return err
				}
			}
			ids, err := packIdentities(pass, identityFile)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("read the pack: %w", err)
			}
			p, err := pack.Read(bytes.NewReader(data), args[0], ids...)
			if err != nil {
				return err
			}
			fmt.Printf("pack of %d %s made %s up to %s (%s)\n", p.Items(), plural(p.Items(), "item"),
				p.Header.Created.Format("2006-01-02 15:04 MST"), p.Header.Ceiling, p.Header.Selection)
			prog := newProgress("committed")
			prog.everyUpdate = true
			prog.update(0, p.Items()) // one transaction: the start, then its commit
			res, err := kb.db.ApplyPack(ctx, p.Incoming(), p.Originals, p.ApplyOptions(store.ApplyOptions{SkipAboveCeiling: skip, Progress: prog.update, Source: args[0]}))
			prog.finish()
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			// The store records the import in the audit trail, in ApplyPack's transaction.
			printPackResult(os.Stdout, res, kb.db.MaxClass())
			return kb.waitIndexed(ctx)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&passFile, "passphrase-file", "", "open the pack with the passphrase on this file's first line")
	f.StringVar(&identityFile, "identity", "", "open the pack with an age identity file")
	f.BoolVar(&skip, "skip-above-ceiling", false, "leave out items above this machine's ceiling instead of refusing the pack")
	return cmd
}

// packIdentities open a pack: a passphrase, the identities in an age identity file.
func packIdentities(pass, identityFile string) ([]age.Identity, error) {
	var ids []age.Identity
	if pass != "" {
		id, err := age.NewScryptIdentity(pass)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if identityFile != "" {
		f, err := os.Open(identityFile)
		if err != nil {
			return nil, fmt.Errorf("read the identity: %w", err)
		}
		defer f.Close()
		more, err := age.ParseIdentities(f)
		if err != nil {
			return nil, fmt.Errorf("%s is not an age identity file: %w", identityFile, err)
		}
		ids = append(ids, more...)
	}
	if len(ids) == 0 {
		return nil, errors.New("give --passphrase-file or --identity to open the pack")
	}
	return ids, nil
}

// printPackResult prints what a pack import did, one line per item changed, then counts.
func printPackResult(w io.Writer, res store.PackResult, ceiling string) {
	for _, l := range []struct {
		label string
		lines []string
	}{
		{"added", res.Added},
		{"updated", res.Updated},
		{"older, kept the version here", res.Older},
		{"kept as conflict", res.Conflicts},
		{"refused (marked above " + ceiling + ")", res.Refused},
		{"revision left out (marked above " + ceiling + ")", res.SkippedRevisions},
		{"topic added", res.TopicsAdded},
		{"incident records", res.Records},
		{"incident record", res.RecordConflicts},
		{"incident record refused (marked above " + ceiling + ")", res.RefusedRecords},
	} {
		for _, s := range l.lines {
			fmt.Fprintf(w, "%s: %s\n", l.label, s)
		}
	}
	fmt.Fprintf(w, "%d added, %d updated, %d unchanged, %d older, %d kept as conflict, %d refused\n",
		len(res.Added), len(res.Updated), len(res.Unchanged), len(res.Older), len(res.Conflicts), len(res.Refused))
}

func packKeyCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "key CONTACT_ID [AGE_KEY]",
		Short: "Show, set or (with \"\") remove the age key kept with a contact card",
		Long: `Keep a person's age public key (age1..., from age-keygen) with their contact card, so that
"chancery pack export --to CONTACT_ID" encrypts packs to them. With no key, prints the one
kept; an empty key ("") removes it.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			it, err := kb.db.Get(ctx, args[0])
			if err != nil {
				return err
			}
			if it.Kind != store.KindContact || it.Contact == nil {
				return fmt.Errorf("%s is a %s, not a contact", it.ID, it.Kind)
			}
			if len(args) == 1 {
				if it.Contact.AgeKey == "" {
					return fmt.Errorf("%s %q has no age key", it.ID, it.Title)
				}
				fmt.Println(it.Contact.AgeKey)
				return nil
			}
			it.Contact.AgeKey = args[1]
			saved, err := kb.db.Save(ctx, it)
			if err != nil {
				return err
			}
			if saved.Contact.AgeKey == "" {
				fmt.Printf("removed the age key of %s %q\n", saved.ID, saved.Title)
			} else {
				fmt.Printf("kept age key %s with %s %q\n", saved.Contact.AgeKey, saved.ID, saved.Title)
			}
			return kb.waitIndexed(ctx)
		}),
	}
}

// exportPackForUI is ui.Deps.ExportPack: what search query finds, as the command line's
// pack export --query does it.
func (kb *knowledgeBase) exportPackForUI(ctx context.Context, query, ceiling string, to []string, pass string, w io.Writer) (ui.PackInfo, error) {
	recipients, err := packRecipients(ctx, kb.db, to, pass)
	if err != nil {
		return ui.PackInfo{}, err
	}
	sel, what, err := packSelection(ctx, kb, query, "", "", "", nil)
	if err != nil {
		return ui.PackInfo{}, err
	}
	c, err := kb.exportCeiling(ctx, ceiling)
	if err != nil {
		return ui.PackInfo{}, err
	}
	p, err := pack.Collect(ctx, kb.db, sel, pack.Options{Ceiling: c, Selection: what})
	if err != nil {
		return ui.PackInfo{}, err
	}
	if err := p.Write(w, recipients...); err != nil {
		return ui.PackInfo{}, err
	}
	// Recorded, or refused: the window then removes the file.
	if err := kb.audit(ctx, packExportEvent("(a file chosen in the window)", what, c, len(to), pass != "", p.Items(), p.Revisions(), len(p.Originals), len(p.Withheld))); err != nil {
		return ui.PackInfo{}, err
	}
	return ui.PackInfo{Items: p.Items(), Revisions: p.Revisions(), Originals: len(p.Originals), Ceiling: c, Withheld: p.Withheld}, nil
}

// importPackForUI is ui.Deps.ImportPack: the command line's pack import, its report as
// lines.
func (kb *knowledgeBase) importPackForUI(ctx context.Context, r io.Reader, name, pass, identityFile string) ([]string, error) {
	ids, err := packIdentities(pass, identityFile)
	if err != nil {
		return nil, err
	}
	p, err := pack.Read(r, name, ids...)
	if err != nil {
		return nil, err
	}
	res, err := kb.db.ApplyPack(ctx, p.Incoming(), p.Originals, p.ApplyOptions(store.ApplyOptions{Source: name}))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// Recorded in the audit trail in ApplyPack's transaction.
	var buf bytes.Buffer
	printPackResult(&buf, res, kb.db.MaxClass())
	return strings.Split(strings.TrimSpace(buf.String()), "\n"), nil
}
