//go:build !windows

package ui

// markDownloaded marks a copy of an original as coming from outside the machine; only
// Windows has such a mark (see originals_windows.go).
func markDownloaded(path string) error { return nil }
