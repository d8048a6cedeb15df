package search

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// residentOf is how many bytes of the files at paths are resident in this process's maps,
// from /proc/self/smaps.
func residentOf(paths []string) (int64, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	var kb int64
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			in = len(fields) >= 6 && want[strings.Join(fields[5:], " ")]
		case in && len(fields) >= 2 && fields[0] == "Rss:":
			n, _ := strconv.ParseInt(fields[1], 10, 64)
			kb += n
		}
	}
	return kb << 10, sc.Err()
}
