package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"chancery/cmd/chancery/policy"
	"chancery/store"
	"chancery/store/importer"
)

// policyFile is the --policy flag: a policy file for testing, used only where the machine
// has no system-wide one (see policy.Find).
var policyFile string

// loadPolicy reads the administrator's policy that applies on this machine, whole or not at
// all.
func loadPolicy() (policy.Policy, error) {
	path := policy.Find(policyFile)
	if asked := cmp.Or(policyFile, os.Getenv(policy.Env)); asked != "" && path != asked {
		fmt.Fprintf(os.Stderr, "ignoring the policy %s: this machine's policy %s applies\n", asked, path)
	}
	return policy.Load(path)
}

// chooseDataDir is the knowledge base's folder: the policy's when it fixes one (another
// one asked for with --data or $CHANCERY_DATA is refused), else the one asked for, else the
// default.
func chooseDataDir(pol policy.Policy, flag string) (string, error) {
	asked := flag
	if asked == "" {
		asked = os.Getenv("CHANCERY_DATA")
	}
	if pol.DataFolder == "" {
		if asked == "" {
			return defaultDataDir(), nil
		}
		return asked, nil
	}
	if asked != "" {
		abs, err := filepath.Abs(asked)
		if err != nil || abs != pol.DataFolder {
			return "", fmt.Errorf("the administrator's policy (%s) keeps the knowledge base in %s; it cannot be opened from %s", pol.Where("data_folder"), pol.DataFolder, asked)
		}
	}
	return pol.DataFolder, nil
}

// applyPolicy does on the opened knowledge base what the policy asks at every start, and
// returns the warnings for the window (each already printed on stderr): a private user
// namespace, a knowledge base opened before under another policy or none (policy.Record).
// The seed folder is imported after it, once the index is open (openKB, importSeed).
func applyPolicy(ctx context.Context, db *store.DB, pol policy.Policy) ([]string, error) {
	var warnings []string
	warn := func(s string) {
		if s != "" {
			warnings = append(warnings, warning(s))
		}
	}
	if uidMap, private := policy.UserNamespace(); private {
		warn(fmt.Sprintf("Chancery is running in a private user namespace (uid_map %q), where the administrator's policy can be hidden or replaced; if you did not expect this, tell your IT unit.", uidMap))
	}
	if err := auditPolicy(ctx, db, pol); err != nil { // a changed policy, in the audit trail
		return nil, err
	}
	w, err := policy.Record(ctx, db, pol)
	if err != nil {
		return nil, err
	}
	warn(w)
	return warnings, nil
}

// warning prints a warning on stderr and returns it, for the window.
func warning(s string) string {
	fmt.Fprintln(os.Stderr, "warning:", s)
	return s
}

// seedKey is the store setting that records that a seed folder was imported.
func seedKey(dir string) string { return "policy.seed_imported " + dir }

// importSeed imports the policy's seed folder into db unless it was imported before, with
// the index open, which follows it like any import. Files
// that cannot be imported (or are marked above the ceiling) are reported and do not stop
// it. A seed folder that cannot be reached (a share offline), or an import that fails as a
// whole, is a warning, not recorded, so the next start tries again; once imported, the
// folder is not looked at again.
func importSeed(ctx context.Context, db *store.DB, pol policy.Policy) (warning string, err error) {
	if pol.SeedFolder == "" {
		return "", nil
	}
	key := seedKey(pol.SeedFolder)
	if _, err := db.Setting(ctx, key); err == nil {
		return "", nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	if st, err := os.Stat(pol.SeedFolder); err != nil || !st.IsDir() {
		why := "it is not a folder"
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			why = pe.Err.Error()
		}
		return fmt.Sprintf("the administrator's seed folder %s (%s) cannot be reached (%s); Chancery goes on without it, and it is imported at a later start", pol.SeedFolder, pol.Where("seed_folder"), why), nil
	}
	fmt.Fprintf(os.Stderr, "importing the administrator's seed folder %s (once)\n", pol.SeedFolder)
	rep, err := importer.Import(ctx, db, []string{pol.SeedFolder}, importer.Options{})
	if aerr := auditImport(ctx, db, []string{pol.SeedFolder}, "", fmt.Sprintf("the administrator's seed folder: %d items saved, %d files failed (%v)", rep.Saved, len(rep.Failed), err)); aerr != nil {
		fmt.Fprintln(os.Stderr, "warning:", aerr)
	}
	for _, f := range rep.Failed {
		fmt.Fprintln(os.Stderr, "seed: not imported:", f.Error())
	}
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("seed folder %s (%s): %w", pol.SeedFolder, pol.Where("seed_folder"), err)
		}
		return fmt.Sprintf("the administrator's seed folder %s (%s) could not be imported (%v); Chancery goes on without it, and it is imported again at a later start", pol.SeedFolder, pol.Where("seed_folder"), err), nil
	}
	fmt.Fprintf(os.Stderr, "seed: imported %d items, %d failed\n", rep.Saved, len(rep.Failed))
	return "", db.SetSetting(ctx, key, fmt.Sprintf("%s: %d items, %d failed", time.Now().UTC().Format(time.RFC3339), rep.Saved, len(rep.Failed)))
}
