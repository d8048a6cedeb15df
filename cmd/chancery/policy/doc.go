// Package policy reads the administrator's policy: a TOML file at a fixed system-wide place
// (SystemPath) that a ministry's IT unit deploys with the app, and that the user cannot
// override from the app.
//
// What it promises:
//
//   - All or nothing. Load returns a policy only when every setting in the file is valid
//     (known keys, right types, markings in the scheme, a data folder the user cannot
//     redirect, a seed folder that is a folder); otherwise an error naming the file and the
//     line, and the caller must not start. A seed folder that cannot be reached now (a share
//     offline) is not an error: the caller warns, goes on, and imports it at a later start.
//   - The system file wins. Find returns the system-wide file whenever it exists; a path
//     given for testing (the --policy flag, $CHANCERY_POLICY) is used only on machines
//     without one, so a user cannot escape the administrator's policy with it.
//   - Nothing the user sets moves it. SystemPath reads no environment (on Windows the
//     ProgramData known folder, not %ProgramData%); "~" in data_folder is the home folder in
//     the user database (by uid), not $HOME; a data_folder that is, or passes through, a
//     symbolic link an ordinary user owns is refused, naming the link ($VARIABLES are the
//     user's own: a folder that must not move is written with ~ or in full).
//   - What it cannot stop, it reports. A user who can make a private user namespace
//     (`unshare -rm`) can bind-mount a file of their own over the policy. Record keeps in the
//     knowledge base (the store's settings) the path and SHA-256 of the policy it was opened
//     under, and returns a warning naming that policy when it is later opened without it or
//     under another; UserNamespace says when Chancery runs in a private user namespace.
//   - It only reads. Applying the policy is the caller's work: Options gives the store's
//     (scheme, highest marking and default marking, enforced by the store on every save),
//     DataFolder the knowledge base's folder, SeedFolder what to import once,
//     ExportCeilingFor the ceiling of a file export.
//
// Settings (all optional): data_folder, classes, max_class, default_marking (the marking of
// items saved or imported without one), seed_folder, remember_searches (false: nothing of a
// search is kept between runs), export_ceiling (the highest marking a file export may
// carry, and its default ceiling), backup_recipients (age1... recovery keys every backup is
// also encrypted to), backup_folder (where backups go), backup_every and backup_keep
// (automatic backups made by the app, the newest N kept; backup_every needs
// backup_recipients, since no one is asked for a passphrase); see
// assets/packaging/policy.example.toml.
package policy
