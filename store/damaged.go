package store

import (
	"errors"
	"fmt"
)

// corrupt makes an error SQLite gives for a database it finds corrupt, or not a database
// at all (SQLITE_CORRUPT, SQLITE_NOTADB), an ErrDamaged naming the folder; other errors
// pass as they are.
func corrupt(dir string, err error) error {
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 11, 26: // SQLITE_CORRUPT, SQLITE_NOTADB
			return fmt.Errorf("store: the knowledge base in %s is %w: SQLite cannot read its database %s (%v). Nothing was changed: restore it from a backup, or move the folder away to start a new knowledge base",
				dir, ErrDamaged, FileName, err)
		}
	}
	return err
}
