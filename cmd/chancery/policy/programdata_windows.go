package policy

import "golang.org/x/sys/windows"

// programData is the machine's ProgramData folder as Windows knows it (the known-folder
// API), never the %ProgramData% variable, which any user can set for the programs they
// start. Only if the API fails is the usual place assumed.
func programData() string {
	if d, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0); err == nil && d != "" {
		return d
	}
	return `C:\ProgramData`
}
