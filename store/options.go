package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrAboveCeiling: the item is marked above the highest marking allowed on this machine
// (Options.MaxClass). It is also an ErrInvalid.
var ErrAboveCeiling = fmt.Errorf("%w: marked above what this machine allows", ErrInvalid)

// Options tune OpenWith. The zero value changes nothing.
type Options struct {
	// Classes, when not empty, is the classification scheme, lowest marking first. Open
	// makes the knowledge base's scheme this one; it fails when items carry a marking the
	// scheme lacks.
	Classes []string
	// MaxClass, when set, is the highest marking allowed: saving (and so importing) an
	// item marked above it fails with ErrAboveCeiling. It must be one of the scheme's.
	MaxClass string
	// DefaultClass, when set, is the marking given to items saved without one (instead of
	// the lowest). It must be one of the scheme's, and not above MaxClass.
	DefaultClass string
}

// OpenWith is Open with options: the classification scheme and the highest marking allowed
// (an administrator's policy sets them).
func OpenWith(ctx context.Context, dir string, opt Options) (*DB, error) {
	db, err := Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := db.apply(ctx, opt); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.auditOptions(ctx); err != nil { // a changed scheme or ceiling, in the audit trail
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) apply(ctx context.Context, opt Options) error {
	if len(opt.Classes) > 0 {
		if err := db.setScheme(ctx, opt.Classes); err != nil {
			return err
		}
	}
	if err := db.applyMaxClass(ctx, opt); err != nil {
		return err
	}
	return db.applyDefaultClass(ctx, opt)
}

// applyDefaultClass checks and sets the marking of items saved without one.
func (db *DB) applyDefaultClass(ctx context.Context, opt Options) error {
	def := strings.ToUpper(strings.TrimSpace(opt.DefaultClass))
	if def == "" {
		return nil
	}
	var rank int
	err := db.sql.QueryRowContext(ctx, "SELECT rank FROM classes WHERE name = ?", def).Scan(&rank)
	if errors.Is(err, sql.ErrNoRows) {
		classes, _ := db.Classes(ctx)
		return fmt.Errorf("store: default marking %q is not in the classification scheme (%s)", opt.DefaultClass, strings.Join(classes, ", "))
	}
	if err != nil {
		return fmt.Errorf("store: read marking %s: %w", def, err)
	}
	if db.maxClass != "" && rank > db.maxRank {
		return fmt.Errorf("store: default marking %s is above the highest marking allowed here (%s)", def, db.maxClass)
	}
	db.defaultClass = def
	return nil
}

// DefaultClass is the marking of items saved without one: the policy's default, or the
// lowest of the scheme.
func (db *DB) DefaultClass() string {
	if db.defaultClass != "" {
		return db.defaultClass
	}
	classes, err := db.Classes(context.Background())
	if err != nil || len(classes) == 0 {
		return ""
	}
	return classes[0]
}

func (db *DB) applyMaxClass(ctx context.Context, opt Options) error {
	if opt.MaxClass == "" {
		return nil
	}
	max := strings.ToUpper(strings.TrimSpace(opt.MaxClass))
	var rank int
	err := db.sql.QueryRowContext(ctx, "SELECT rank FROM classes WHERE name = ?", max).Scan(&rank)
	if errors.Is(err, sql.ErrNoRows) {
		classes, _ := db.Classes(ctx)
		return fmt.Errorf("store: highest marking allowed %q is not in the classification scheme (%s)", opt.MaxClass, strings.Join(classes, ", "))
	}
	if err != nil {
		return fmt.Errorf("store: read marking %s: %w", max, err)
	}
	db.maxClass, db.maxRank = max, rank
	return nil
}

// setScheme makes the classes table hold exactly scheme, ranked in its order, in one
// transaction; nothing changes when it already does.
func (db *DB) setScheme(ctx context.Context, scheme []string) error {
	var names []string
	for _, c := range scheme {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" {
			return fmt.Errorf("store: classification scheme has an empty marking")
		}
		if slices.Contains(names, c) {
			return fmt.Errorf("store: classification scheme names %s twice", c)
		}
		names = append(names, c)
	}
	if cur, err := db.Classes(ctx); err != nil {
		return err
	} else if slices.Equal(cur, names) {
		return nil
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT class FROM items UNION "+recordClasses+" ORDER BY class") // incident.go
		if err != nil {
			return err
		}
		var missing []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			if !slices.Contains(names, c) {
				missing = append(missing, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(missing) > 0 {
			return fmt.Errorf("the knowledge base holds items marked %s, which the scheme (%s) lacks", strings.Join(missing, ", "), strings.Join(names, ", "))
		}
		// Out of the way of the UNIQUE rank first, then the scheme's ranks.
		if _, err := tx.ExecContext(ctx, "UPDATE classes SET rank = -1 - rank"); err != nil {
			return err
		}
		for i, n := range names {
			if _, err := tx.ExecContext(ctx, "INSERT INTO classes(name, rank) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET rank = excluded.rank", n, i); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM classes WHERE rank < 0")
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set classification scheme: %w", err)
	}
	return nil
}

// MaxClass is the highest marking allowed on this machine, or "" when any is.
func (db *DB) MaxClass() string { return db.maxClass }

// checkCeiling refuses an item (already normalised) marked above the highest marking allowed.
func (db *DB) checkCeiling(it Item, classes map[string]int) error {
	if db.maxClass == "" || classes[it.Class] <= db.maxRank {
		return nil
	}
	return fmt.Errorf("%w: %q is marked %s; the highest marking allowed here is %s", ErrAboveCeiling, it.Title, it.Class, db.maxClass)
}

// Setting returns the value stored under key, or ErrNotFound.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, notFound(err))
	}
	return v, nil
}

// SetSetting stores value under key, replacing what was there.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.sql.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("store: set %s: %w", key, err)
	}
	return nil
}

// AboveCeiling lists the items marked above the highest marking allowed (saved before the
// ceiling was set), live or in the trash, as "ID (MARKING) title", followed by "(in the
// trash)" for those in the trash; none when there is no ceiling.
func (db *DB) AboveCeiling(ctx context.Context) ([]string, error) {
	if db.maxClass == "" {
		return nil, nil
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT i.id, i.class, i.title, i.deleted IS NOT NULL FROM items i JOIN classes c ON c.name = i.class
		WHERE c.rank > ? ORDER BY i.id`, db.maxRank)
	if err != nil {
		return nil, fmt.Errorf("store: items above %s: %w", db.maxClass, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, class, title string
		var trashed bool
		if err := rows.Scan(&id, &class, &title, &trashed); err != nil {
			return nil, fmt.Errorf("store: items above %s: %w", db.maxClass, err)
		}
		line := fmt.Sprintf("%s (%s) %s", id, class, title)
		if trashed {
			line += " (in the trash)"
		}
		out = append(out, line)
	}
	return out, rows.Err()
}
