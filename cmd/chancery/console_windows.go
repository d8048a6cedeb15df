package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole lets the Windows build, a GUI-subsystem executable (no console window of
// its own), print to the console it was started from when it was given a command
// (chancery --version, chancery check). Output already redirected to a file or a pipe is
// left as it is. cmd.exe does not wait for a GUI executable: its prompt may come back
// before the output; `start /wait chancery check` waits.
func attachConsole() {
	if len(os.Args) < 2 {
		return
	}
	if h, err := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != windows.InvalidHandle {
		return
	}
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	r, _, _ := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole").Call(attachParentProcess)
	if r == 0 {
		return
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = f, f
	}
}
