package extract

import (
	"strconv"
	"strings"
	"time"
)

// pdfDate parses a PDF date string ("D:YYYYMMDDHHmmSSOHH'mm'", PDF 32000-1:2008 §7.9.4),
// where every part after the year is optional. It returns the zero time when s is not such a
// date.
func pdfDate(s string) time.Time {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "D:")
	digits := 0
	for digits < len(s) && digits < 14 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits < 4 || digits%2 != 0 {
		return time.Time{}
	}
	num := func(from, to, def int) int {
		if to > digits {
			return def
		}
		n, _ := strconv.Atoi(s[from:to])
		return n
	}
	year, month, day := num(0, 4, 0), num(4, 6, 1), num(6, 8, 1)
	hour, min, sec := num(8, 10, 0), num(10, 12, 0), num(12, 14, 0)
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 || year < 1000 {
		return time.Time{}
	}
	loc := time.UTC
	rest := s[digits:]
	if len(rest) > 0 && (rest[0] == '+' || rest[0] == '-') {
		tz := strings.NewReplacer("'", "", ":", "").Replace(rest[1:])
		h, m := 0, 0
		if len(tz) >= 2 {
			h, _ = strconv.Atoi(tz[:2])
		}
		if len(tz) >= 4 {
			m, _ = strconv.Atoi(tz[2:4])
		}
		off := h*3600 + m*60
		if rest[0] == '-' {
			off = -off
		}
		if h <= 14 && m < 60 {
			loc = time.FixedZone("", off)
		}
	}
	return time.Date(year, time.Month(month), day, hour, min, sec, 0, loc)
}
