// Package ui is Chancery's desktop interface, built with Fyne. It owns the windows, their
// screens and dialogs, and nothing else: no data lives here that the store does not hold.
//
// # Boundaries
//
// The package talks to the knowledge base only through the small interfaces it declares
// itself (Items, Library, Searcher, Memory, Kept, Incidents) and the functions in Deps (IsEmpty, LoadDemo,
// Import, ExportBriefing). It never asks the index to catch up: the index follows the store
// by itself, and the window hears of both through their subscriptions (Library.Subscribe,
// Searcher.Subscribe). It uses the
// store's and the search index's value types (store.Item, search.Result...) but never opens,
// closes or configures either: cmd/chancery is the composition root that does, and hands the
// open parts to NewMainWindow. Only this package and cmd import Fyne; no Fyne type leaves it
// except the fyne.Window NewMainWindow returns.
//
// # Threading
//
// Every Fyne callback runs on the one UI goroutine, and widgets are touched only there.
// I/O never runs on it: a handler (onXxx) starts a goroutine that does the work (a search, a
// read from the store) and hands the result back with fyne.Do, where a show method updates
// the widgets. Work that a newer request makes pointless is cancelled through its context,
// and results that arrive late anyway are recognised by a generation number and dropped.
// So the screen's own fields (the hits, the generation, the selection) are only read and
// written on the UI goroutine and need no locks.
//
// # Screens
//
// One file per screen. A screen is a struct holding its widgets and dependencies, built by
// a constructor (newSearchScreen) from a small struct of what it needs (searchDeps) and
// the handlers it calls upward (searchHandlers: onNewBriefing...), with onXxx methods as
// its own handlers. The main window builds every screen that way and wires the screens
// together through those handlers; it never writes into a screen's fields. What each
// screen depends on:
//
//   - search (searchScreen): searchDeps {searcher, items, dataDir, do, log, out, newPane,
//     keptStore}; searchHandlers {onNewBriefing, onKeep, onKeptSeen}.
//   - kept searches and incidents (keptPanel, under the navigation): nothing; onOpen,
//     onRename, onDelete, onIncident.
//   - an incident's workspace (incidentScreen): incidentDeps {incidents, ctx, do, log, win,
//     classes, now, loc}; incidentHandlers {onOpenKept, onKeep, onOpenItem}. Its panes
//     (timelinePane, callPane, actionsPane, positionsPane, sitrepPane) are built by it and
//     share its deps and its write (off the UI goroutine, a failure shown in words).
//   - browse (browseScreen): browseDeps {lib, ctx, do, log, win, vocab, drafts, opened,
//     out, newPane}; browseHandlers {onGo}.
//   - the item pane (itemPane, with its view and editors): env (the shared services: lib,
//     do, log, ctx, win, vocab, drafts, pickTitle, out, opened) and an itemView;
//     paneHandlers {onAddToBriefing, onExportBriefing}.
//   - the item view (itemView): viewDeps {items, ctx, do, log, out}; onOpen.
//   - nav (navColumn): nothing; onGo.
//   - palette: paletteDeps {lib, ctx, do, log, win, vocab}; each open gives its own pick
//     and cancel.
//   - briefings (briefingDesk): briefingDeps {lib, ctx, do, log, win, vocab,
//     exportBriefing, ceiling, choose}; briefingHandlers {pane, panes, results, onCreated}.
//   - importing (importPanel): importDeps {app, win, ctx, do, log, run, vocab};
//     importHandlers {onOpen}.
//   - first start (firstStart): firstStartDeps {win, ctx, do, log, isEmpty, loadDemo,
//     waitFor (Searcher.WaitFor)}; onLoaded.
//   - drafts offered at start (draftOffer): drafts, ctx, do, log, win; onRestore.
//   - help and settings (helpDialogs): app, win, dataDir.
//   - history: env (lib, ctx, do, win, out); restored.
//   - packs (packDesk, packs.go): packDeps {ctx, do, log, win, vocab, ceiling, query (the
//     search shown), export (Deps.ExportPack), load (Deps.ImportPack), saveFile,
//     openFile}: File > Export Pack… of what the current search finds, up to a ceiling,
//     to people's age keys or a passphrase; File > Import Pack…, saying what it did.
//
// The files:
//
//   - app.go: the interfaces and Deps, the main window (the workbench): the screens wired
//     together, the navigation beside the place shown, the menu with every global shortcut
//     (shortcuts on the canvas do not fire while an entry has the focus), saving on close
//     (asking about what cannot be saved). The knowledge base's news reaches the window in
//     one place, follow: every commit to the store, whoever made it (a save here, an
//     import, later sync), reloads the list shown and the counts (storeChanged); the
//     index's news shows its progress and, once a catch-up has applied changes, runs the
//     search again (indexChanged; a search behind another place is marked stale and runs
//     again when shown). No screen polls, and no screen refreshes itself after
//     its own writes: the announcement does it. The window's own first reads (the
//     vocabulary and counts, the kept searches' news) start once the app has started
//     (NewMainWindow: Lifecycle's OnStarted), so that on a large knowledge base they do not
//     compete with building and first drawing the window.
//   - remember.go: what is remembered between runs. Fyne's preferences (in the user's
//     profile, roaming on Windows) keep only the window's size, layout and theme; the
//     place, the item open and the last search are kept in the knowledge base (Memory: the
//     store's settings table, in the data folder), and nothing of a search under a policy
//     with remember_searches = false. Logs carry counts and kinds of error (errKind), never
//     a query, a title or the path of an imported file.
//   - nav.go: the navigation column (Search, the kinds, Trash, Tags, Countries, Topics).
//   - kept.go: standing searches (Kept; *store.DB is one). Keep this search (Ctrl+Shift+K,
//     or the button under the results) asks a name; the kept searches are listed under the
//     navigation, each with "N new · M changed": the items the store wrote since the search
//     was last opened (store.FreshSince: new when they were inserted after it (item_births),
//     by the change sequence, not by timestamps) that its query matches in the index
//     (search.Options.Only). They are counted again, off the UI goroutine, one count at a
//     time with one more after when asked meanwhile, on every storeChanged and whenever
//     the index has applied changes (indexChanged): after a save, an import or a later
//     sync, without a restart. Opening one runs it in the search screen: the new items
//     first, then the changed ones, then the rest, each marked (New, Changed) in its row
//     and counted in the status line; then it is marked seen as of the change the index
//     had applied (it waits up to a second for the index to hold the store's latest), so
//     nothing it could not show is lost. Rename and Delete are in each row's menu and in
//     the Edit menu (for the search open, or in a workspace the incident's only standing
//     search: Ctrl+Shift+R, Ctrl+Shift+Delete). Kept searches are not items: keeping one moves
//     no change sequence and is not announced, so the window counts again after its own.
//   - incident.go: an incident's workspace (Incidents; *store.DB is one), reached from the
//     incident's line under the navigation (with the new and changed counts of its
//     standing searches), from its item (Open workspace) and with Ctrl+Shift+I; every
//     action is on the Incident menu with its key (incident_menu.go, also listed in the
//     help); Alt+N opens its standing search with the most news. The header: the
//     marking banner (the highest of the incident and what it holds: store.HeldClass),
//     the name (EXERCISE first when it is one), status, type,
//     place, zero hour in local time and how long ago, severity, lead, the affected
//     countries in downstream order, its standing searches as buttons. It reads the
//     incident and all its records in one read (store.Records) and again on every
//     storeChanged while shown (one read at a time): record writes move the incident's
//     change sequence, so its own writes come back that way. Times are stored in UTC and
//     shown in the desk's local time (incidentDeps.loc; times typed are read in it).
//     incident_timeline.go: one line and Enter adds an entry (a time typed first, "14:05
//     …", for an earlier one), of the type chosen (Alt+E), significant or not (Alt+S);
//     Alt+C corrects the selected entry with a new one naming it (never edited in place);
//     the "Found items" toggle merges in, by date (Hit.Date: the item's date, else when it
//     was written), the items the incident's standing searches find (incidentDeps.searcher,
//     off the UI goroutine, again after each count of the kept searches), italic and
//     marked "Found ·", never entries; choosing one (a click, Enter on the empty line)
//     opens it.
//     incident_calls.go: the call sheet in downstream order, each row with the
//     counterpart's local time now, last contact, status, outcome, next action; marked
//     "personal contact data — not for public release" with the highest marking of its
//     rows; a call is Alt+L, a digit for the status reached (1 no answer … 4 receipt
//     confirmed), a line of text, Enter (store.LogCallWith: a timeline entry and the
//     contact's last contact), then the next row to call is selected; Alt+O proposes rows
//     from the affected countries' contacts; each row's button (and Ctrl+Shift+D on the
//     selected row) opens its country's dossier (incidentHandlers.onDossier), and
//     Ctrl+Shift+I comes back to the workspace shown last. incident_actions.go: actions, overdue ones
//     first, bold, red, marked OVERDUE; one line and Enter (owner, due time and zone beside
//     it), Alt+D done. incident_positions.go: positions per country in downstream order,
//     Alt+P adds one, a row's Edit… (Alt+Shift+P on the selected row) edits it
//     (store.SavePosition on the same record). incident_sitreps.go: the reports; Alt+R drafts the next
//     (store.DraftSitrep), each section's own text is edited and saved (Ctrl+S, and on
//     leaving it), Alt+I issues it after a confirmation (Enter confirms: the confirming
//     button has the focus); an issued report is read-only, with when it was issued and
//     its SHA-256; Alt+M (or its Amend button) drafts an amendment after a confirmation
//     (store.AmendSitrep: the next number, "amends SITREP n") and shows it; Alt+X exports the report shown through Deps.ExportSitrep with the
//     briefings' export dialog (format, release ceiling, file; briefings.go's exportRun
//     with another exporter). Nil ExportSitrep: not offered.
//   - place.go: where the navigation goes, as values (place: the search, a kind's items,
//     the trash, the terms in use, the items with one term), compared with ==; written
//     as text ("kind:note", "tag:oil-spill") only to be remembered between runs.
//   - search.go: the search screen: query box, status line, facet filters, the results.
//   - dossier.go: a country's dossier (dossierScreen, read through DossierReader off the UI
//     goroutine): names in the six UN languages, counterparts with phone and last contact,
//     organisations, latest notes and documents, positions, incidents. It takes the item
//     pane's place beside the list of a country's items (one click from Countries; the
//     Dossier button brings it back after an item is opened); a search whose query names a
//     country (search.Query.Countries) offers "Open dossier: …"; mainWindow.openDossier is
//     the hook for any other screen (a call sheet's row).
//   - rows.go: the row model every list of items draws (row: id, kind, title, marking,
//     countries, date, snippet), made from a search hit, a listed item or a term in use;
//     the search and the browse screen draw it with the same resultRow.
//   - browse.go: every other place: a list over pages the screen owns, read page by
//     page off the UI goroutine as their rows are drawn (hundreds of thousands of rows
//     scroll smoothly), the pages far from the rows drawn forgotten (browseKeep: a list
//     holds a few thousand items, whatever its length), or the tags,
//     countries and topics in use with their counts; docfilter.go: the Documents' import
//     status filter (All, Imported, Without text, Refused, with their counts).
//   - importing.go: importing through Deps.Import (File > Import… Ctrl+I, Import Folder…,
//     Import from a Path…, or files and folders dropped on the window): a strip at the
//     foot of the window shows the progress with Cancel while the window stays usable;
//     then a summary lists each file, refused ones first, and opens the item of the one
//     chosen. Closing the window cancels the import and waits for it to stop.
//     importing.go has the entry points (the menu's dialogs, the marking asked),
//     importstrip.go the strip with Cancel, importsummary.go the summary and its list,
//     importpaths.go the paths (dropped, typed, checked). What an import did is one
//     store.ImportReport, the model the command line prints too.
//   - pane.go: the selected item beside a list: toolbar (edit, save, trash, restore,
//     history, open original, add to briefing, export), and the item's view (itemview.go)
//     or editor (editor.go). Saving is explicit (Ctrl+S), automatic after a pause, and
//     happens on leaving the editor and on closing the window. What is typed is never
//     lost: each change typed is a generation, and a save running is followed by another
//     while a newer one was typed; the editor closes only once everything typed is saved.
//     A save that fails (a field that cannot be read, named with what is wrong; a marking
//     above the ceiling; a conflict; a full disk) keeps the editor open with the text and
//     the reason; leaving it then asks (Keep editing, Discard changes), and closing the
//     window asks (Save as draft, Discard, Cancel).
//   - drafts.go: what an editor holds unsaved is kept within a second as a draft,
//     drafts/KEY.json in the data folder (0600, written to a temporary file, synced,
//     renamed), removed once saved or discarded; the next start offers each draft left
//     (after a crash, or kept on closing) to restore into the editor, unsaved.
//     Emptying the trash removes the drafts of the items it purges.
//   - warnings.go: what went wrong on opening without stopping Chancery (the policy the
//     knowledge base was opened under is missing or different, the seed folder cannot be
//     reached), shown once in a dialog at start.
//   - editor.go: the editors of every kind, with the pickers of widgets.go (completion
//     entries, lists of values as chips, repeatable labelled fields) and links.go ([[Title]] links typed
//     with [[ or @, saved as "mentions" links, shown as clickable links). An incident's own
//     fields are incidentform.go (incidentFields: times in the desk's local time, the
//     affected countries typed in downstream order and read back under the field; one not
//     known is a problem naming it, so nothing is saved); File → New Incident opens it.
//   - composer.go: a briefing's editor: audience, purpose, marking and the pack's
//     marking, and its sections as a list, each its own Markdown or an included note,
//     contact card, organisation or document excerpt (with the item's title and marking),
//     edited, removed, moved with Alt+Up/Alt+Down, its buttons, or by dragging its handle,
//     and added as text or through the palette.
//   - briefings.go: starting a briefing from the search's top results, Add to Briefing
//     (Ctrl+B) from any open item, and the export dialog: format, release ceiling (up to
//     Deps.ExportCeiling; by default that, else the lowest marking, raised to the
//     briefing's own), file (made owner-only before it is written), progress with Cancel,
//     then where it was written, its notices and what was withheld (by section number).
//     The export itself is Deps.ExportBriefing: the package never composes a pack.
//   - palette.go: the quick-open palette (Ctrl+K), fuzzy over every title; it also picks
//     link targets, the items a briefing includes and the briefing an item is added to.
//   - history.go, settings.go, help.go (with helpDialogs: one at a time, F1, Escape),
//     firststart.go: the dialogs.
//   - backup.go: File → Back Up… (AddBackups, like AddAbout, adds it to the File menu
//     from outside): a passphrase typed twice, or age keys (only keys, or none, under a
//     policy with recovery keys), progress of each step, then the file and what it holds;
//     ShowBackupStatus puts what an automatic backup did in the status line. The backup
//     itself is Backups.Make. restoreoffer.go: the window shown instead of the workbench
//     when the knowledge base is damaged and a backup can be restored (ShowRestoreOffer).
//   - sync.go: team sync in the window (AddTeamSync, from cmd/chancery when the policy
//     has a [sync] section; TeamSync: Round, State, Conflicts, DeskName): a status line
//     at the window's foot (last synced, changes waiting, open conflicts with a button
//     to the Conflicts view, the last failure in words) and a line of what the last
//     round brought that the user must know (received, new conflicts, items withdrawn or
//     deleted on another desk and hidden here: also a system notification). The rounds
//     run in one goroutine of their own (never the UI goroutine; results through do): one
//     at start, on the timer (TeamSync.Every), on demand (Team → Sync Now, Ctrl+Shift+S,
//     the button), and after commits once they settle (TeamSync.Settle) when changes are
//     waiting: sync's own writes wait for nothing, so they start no round. The index
//     follows what sync writes by itself, as every commit.
//   - conflicts.go: the Conflicts view (conflictsView; Team → Conflicts…, Ctrl+Shift+C,
//     the status line's button; conflictsDeps {conflicts (Conflicts: *store.DB), ctx,
//     do, log, env, deskName}): the open conflicts (title, kind, the other desk, when
//     found, the fields that differ), the selected one's two versions side by side, this
//     desk's on the left, the differing fields highlighted; Keep this desk's version
//     (Ctrl+Shift+1), Keep the other desk's (Ctrl+Shift+2), Merge (Ctrl+Shift+M: the
//     item's editor prefilled with this desk's version beside the other's; Ctrl+S or
//     its button saves it). Each is store.DB.ResolveConflict, off the UI goroutine.
//   - vocab.go: what the screens share (env) and what the pickers complete from: the
//     classification scheme, topics and tags at start; the titles and sources too on up to
//     vocabEager (20,000) items, else once an editor is opened (env.wantTitles), so that
//     a window that only searches a large knowledge base never reads its titles; at most
//     the vocabTermMax most used tags and sources.
//   - style.go: classification colours, and how counts, dates and snippets are written.
//   - widgets.go: the reusable widgets: the pickers, keyEntry (the search's and the
//     palette's box, handing navigation keys to its screen), the facet chip, the
//     classification badge, and resultRow (every list's row).
//
// # Nothing leaves by itself
//
// Text from the knowledge base (notes, contacts' notes, briefings, the editor's preview,
// history) is rendered through outside.go, never straight into Fyne's Markdown renderer,
// which would fetch a web image (a beacon) or read a file: image as soon as it is drawn.
// An image is a placeholder naming its address; Load image fetches that one image (http
// or https only, size-limited); other schemes never load. Links go through one decision,
// openableLink: only http, https and mailto addresses are links, and they open only after
// a confirmation showing the full address; any other scheme (file:, ms-msdt:,
// search-ms:...) is shown as text naming its address. The opener (outside.open, fyne's
// OpenURL) is a field that tests replace.
//
// Open original writes a copy for the system's viewer (originals.go). The copies live in
// the knowledge base's own folder ("opened"), not in the user's cache: a copy of a marked
// document stays where the knowledge base is kept, under its protection. Each is 0600 in a
// 0700 folder, and none outlives the app: they are removed when the window closes, when
// their item is purged (emptying the trash), and at the next start (after a crash, or when
// a viewer held one open). On Windows each carries the Mark of the Web (a Zone.Identifier
// stream, Internet zone), so Office and SmartScreen treat it as a file from outside.
//
// Classification markings are always visible: a coloured badge on every list, result and
// palette row, and a full-width banner above the open item and its editor (UNCLASSIFIED
// green, RESTRICTED amber, CONFIDENTIAL orange, SECRET red; grey for markings of another
// scheme).
package ui
