//go:build !windows

package policy

// programData is Windows' ProgramData folder; SystemPath asks for it only on Windows.
func programData() string { return `C:\ProgramData` }
