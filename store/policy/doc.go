// Package policy reads the administrator's policy: a TOML file at a fixed system-wide place
// (SystemPath) that a ministry's IT unit deploys with the app, and that the user cannot
// override from the app.
//
// What it promises:
//
//   - All or nothing. Load returns a policy only when every setting in the file is valid
//     (known keys, right types, markings in the scheme, folders that exist); otherwise an
//     error naming the file and the line, and the caller must not start.
//   - The system file wins. Find returns the system-wide file whenever it exists; a path
//     given for testing (the --policy flag, $CHANCERY_POLICY) is used only on machines
//     without one, so a user cannot escape the administrator's policy with it.
//   - It only reads. Applying the policy is the caller's work: Options gives the store's
//     (scheme and highest marking, enforced by the store on every save), DataFolder the
//     knowledge base's folder, SeedFolder what to import once.
//
// Settings (all optional): data_folder, classes, max_class, seed_folder, remember_searches
// (false: nothing of a search is kept between runs), export_ceiling (the highest marking a
// file export may carry, and its default ceiling); see
// assets/packaging/policy.example.toml.
package policy
