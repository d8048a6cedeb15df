package search

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// releaseMapped drops this process's resident pages of the read-only mappings of files
// (MADV_DONTNEED: for a file mapped shared and read-only, the pages are not lost, they
// stay in the page cache and are mapped again on the next read). The caller keeps the
// files mapped meanwhile, so the address ranges read from /proc/self/maps cannot have been
// given to anything else. Mappings are known by inode and name (the path in
// /proc/self/maps has its symbolic links resolved).
func releaseMapped(files []string) int64 {
	type key struct {
		ino  uint64
		name string
	}
	want := map[key]bool{}
	for _, p := range files {
		if st, err := os.Stat(p); err == nil {
			if sys, ok := st.Sys().(*syscall.Stat_t); ok {
				want[key{uint64(sys.Ino), filepath.Base(p)}] = true
			}
		}
	}
	if len(want) == 0 {
		return 0
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0
	}
	defer f.Close()
	var released int64
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 {
			continue
		}
		ino, err := strconv.ParseUint(fields[4], 10, 64)
		if err != nil || !want[key{ino, filepath.Base(strings.Join(fields[5:], " "))}] {
			continue
		}
		if perms := fields[1]; len(perms) < 4 || perms[1] != '-' || perms[3] != 's' {
			continue // only shared read-only mappings: nothing in them can be lost
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED); errno == 0 {
			released += int64(end - start)
		}
	}
	return released
}
