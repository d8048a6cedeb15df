package main

// version is the app's version. FyneApp.toml at the repository's root is its one source: the
// build reads it from there and sets this variable (-ldflags "-X main.version=..."; see
// VERSION in the Makefile, and .ci/dist.sh for packages). It is empty in a binary built
// without those flags.
var version string

// build is FyneApp.toml's build number as the packaging set it (-X main.build=...), or empty.
var build string

// appVersion is the version the binary reports: the one the build set, else "devel".
func appVersion() string {
	if version == "" {
		return "devel"
	}
	if build != "" {
		return version + " (build " + build + ")"
	}
	return version
}
