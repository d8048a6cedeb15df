//go:build unix

package importer

import (
	"os"
	"syscall"
)

// openFile opens path for reading without waiting: a FIFO without a writer would block
// an ordinary open for ever. The caller then refuses (f.Stat) what is not a regular file.
func openFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
