// Command chancery is Chancery's one binary: with no subcommand it opens the GUI on the
// user's knowledge base; its subcommands do the same work headless, for scripts and
// administrators. It is the composition root: it opens the store and the index and hands
// them to the UI or a subcommand.
//
// The index follows the store by itself (search.Open starts its follower): nothing here
// tells it to catch up. A subcommand that needs what is committed searchable (import,
// search, check, demo, merge) waits for the store's last change with kb.waitIndexed, the
// one routine that waits, showing "indexing done/total" on the terminal; the window waits
// through the same search.Index.WaitFor (importForUI, the first start's example).
//
// Files: main.go wires the commands; kb.go opens a knowledge base (store and index) and
// shows progress; commands.go holds the headless subcommands (contacts.go, briefing.go and
// incident.go those for contacts, briefings and incidents; export.go what every file export shares: its ceiling,
// default and policy limit, and files written owner-only); gui.go starts the window;
// policy.go applies the administrator's policy (cmd/chancery/policy) before anything is opened:
// the data folder, the store's scheme and ceiling; the seed folder is imported once, after
// the index is opened, so it is indexed like any import; then
// it warns (on stderr, and in the window) when the knowledge base was opened before under
// another policy or none, when the seed folder cannot be reached, and in a private user
// namespace;
// audit.go lists and verifies the audit trail (chancery audit) and records in it what
// the commands do that a security officer needs to know: exports and pack exports (a
// file export that cannot be recorded is removed), imports, backups and restores
// (backup.go calls it), the administrator's policy when it changed;
// backup.go holds backup, verify and restore (store/backup), the one routine that makes a
// backup (knowledgeBase.backup: the command, File → Back Up… and the automatic backups), and
// offerRestore, which adds to a damaged-database error the latest backup and the command
// that restores it; gui_backup.go wires the window's backups, the policy's automatic
// backups (shown in the status line) and the restore offer at a damaged start;
// prompt_*.go asks for a passphrase on a terminal without echo;
// version.go holds the version, which the build sets from FyneApp.toml.
// gui_resident.go hands the window the index wrapped so that, once its searches pause,
// the index pages they mapped are let go of (search.Index.ReleaseResident) and the heap's
// freed memory returned; profile.go holds CHANCERY_CPUPROFILE, CHANCERY_MEMPROFILE and
// the bare window of .ci/gui-scale.sh.
// diskfull.go puts a full disk and a read-only data folder in words.
// Tests run the binary itself as a child process (TestMain), killing it to prove that
// imports survive crashes: the kill campaign (campaign_test.go, a table of operations
// killed at their progress lines, campaign_backup_test.go its rows for backups, restores
// and pack imports; -kills=1000 for the full one) and the index damage
// campaign (damage_campaign_test.go).
package main
