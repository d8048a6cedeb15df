//go:build !windows

package policy

import (
	"io/fs"
	"syscall"
)

// adminOwned says whether root owns fi, a link an ordinary user cannot have made.
func adminOwned(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Uid == 0
}
