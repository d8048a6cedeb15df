//go:build !unix

package importer

import (
	"fmt"
	"os"
)

// openFile opens path for reading, after checking that it is a regular file or a folder
// (a named pipe would block the open).
func openFile(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		return nil, fmt.Errorf("not a regular file (%s): not read", fileType(st.Mode()))
	}
	return os.Open(path)
}
