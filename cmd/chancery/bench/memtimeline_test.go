//go:build unix

package bench_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// memTimeline samples what the process's resident memory is made of every 200 ms while a
// build runs (BenchmarkBuildIndex): from /proc/self/status the resident set (VmRSS), its
// anonymous part (RssAnon: the Go heap, goroutine stacks) and its file-backed part (RssFile:
// mostly Bleve's segment files, mapped into memory), the peak so far (VmHWM); from
// /proc/self/smaps the segment files of the index mapped (count, and the pages of them
// resident) against those on disk; from the Go runtime the heap's live objects and all the
// memory the runtime has mapped. It prints a line every printEvery and at each mark, and
// when stopped the largest of each figure with when it was reached, so that one can tell
// what the peak is made of and when it happens. It runs where there is a /proc (Linux).
type memTimeline struct {
	dir   string // the index folder
	start time.Time
	done  chan struct{}
	wg    sync.WaitGroup

	mu    sync.Mutex
	marks []string // pending marks, printed with the next sample
	max   map[string]memMax
	last  memSample
}

type memMax struct {
	v  int64
	at time.Duration
}

// memSample is one sample; sizes in KiB.
type memSample struct {
	rss, anon, file, hwm         int64
	zapMapped, zapOnDisk, zapRSS int64 // segment files mapped, on disk; KiB of them resident
	zapMappedKiB                 int64 // KiB of segment files mapped
	heapObjects, goTotal         int64
}

const (
	sampleEvery = 200 * time.Millisecond
	printEvery  = 5 * time.Second
)

// startMemTimeline starts sampling for the index in dir.
func startMemTimeline(dir string) *memTimeline {
	if _, err := os.Stat("/proc/self/smaps"); err != nil {
		return nil
	}
	m := &memTimeline{dir: dir, start: time.Now(), done: make(chan struct{}), max: map[string]memMax{}}
	fmt.Fprintf(os.Stderr, "memory timeline (MiB; zap: segment files mapped/on disk, MiB mapped, MiB resident):\n")
	m.wg.Add(1)
	go m.loop()
	return m
}

// mark prints a line with the next sample, saying what just happened.
func (m *memTimeline) mark(what string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.marks = append(m.marks, what)
	m.mu.Unlock()
}

func (m *memTimeline) loop() {
	defer m.wg.Done()
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	lastPrint := time.Time{}
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	for {
		stop := false
		select {
		case <-m.done:
			stop = true
		case <-t.C:
		}
		s := m.sample(samples)
		at := time.Since(m.start)
		m.mu.Lock()
		for name, v := range map[string]int64{"rss": s.rss, "anon": s.anon, "file": s.file, "zap-resident": s.zapRSS,
			"zap-mapped": s.zapMappedKiB, "zap-files-mapped": s.zapMapped, "heap-objects": s.heapObjects, "go-total": s.goTotal} {
			if v > m.max[name].v {
				m.max[name] = memMax{v, at}
			}
		}
		m.last = s
		marks := m.marks
		m.marks = nil
		m.mu.Unlock()
		if len(marks) > 0 || time.Since(lastPrint) >= printEvery || stop {
			lastPrint = time.Now()
			fmt.Fprintf(os.Stderr, "  %6.1fs rss %4d (anon %4d file %4d) hwm %4d | zap %3d/%3d %4d %4d | heap %4d go %4d %s\n",
				at.Seconds(), s.rss>>10, s.anon>>10, s.file>>10, s.hwm>>10, s.zapMapped, s.zapOnDisk, s.zapMappedKiB>>10, s.zapRSS>>10,
				s.heapObjects>>10, s.goTotal>>10, strings.Join(marks, "; "))
		}
		if stop {
			return
		}
	}
}

func (m *memTimeline) sample(samples []metrics.Sample) memSample {
	var s memSample
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range strings.Lines(string(b)) {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			n, _ := strconv.ParseInt(f[1], 10, 64)
			switch f[0] {
			case "VmRSS:":
				s.rss = n
			case "RssAnon:":
				s.anon = n
			case "RssFile:":
				s.file = n
			case "VmHWM:":
				s.hwm = n
			}
		}
	}
	s.zapMapped, s.zapMappedKiB, s.zapRSS = zapMappings(m.dir)
	s.zapOnDisk = int64(zapCount(m.dir))
	metrics.Read(samples)
	s.heapObjects = int64(samples[0].Value.Uint64() >> 10)
	s.goTotal = int64(samples[1].Value.Uint64() >> 10)
	return s
}

// zapMappings reads /proc/self/smaps: how many segment files under dir are mapped, how
// many KiB of them are mapped, and how many KiB of them are resident.
func zapMappings(dir string) (files, mappedKiB, rssKiB int64) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	prefix := []byte(filepath.Clean(dir) + "/")
	seen := map[string]bool{}
	in := false
	r := bufio.NewReaderSize(f, 1<<16)
	for {
		line, err := r.ReadSlice('\n')
		if len(line) > 0 {
			fields := bytes.Fields(line)
			switch {
			case len(fields) >= 5 && bytes.Contains(fields[0], []byte("-")) && !bytes.HasSuffix(fields[0], []byte(":")):
				// A mapping's header: address perms offset dev inode [path].
				in = len(fields) >= 6 && bytes.HasPrefix(fields[5], prefix) && bytes.HasSuffix(fields[5], []byte(".zap"))
				if in {
					seen[string(fields[5])] = true
				}
			case in && len(fields) >= 2 && string(fields[0]) == "Size:":
				n, _ := strconv.ParseInt(string(fields[1]), 10, 64)
				mappedKiB += n
			case in && len(fields) >= 2 && string(fields[0]) == "Rss:":
				n, _ := strconv.ParseInt(string(fields[1]), 10, 64)
				rssKiB += n
			}
		}
		if err == io.EOF || (err != nil && err != bufio.ErrBufferFull) {
			break
		}
	}
	return int64(len(seen)), mappedKiB, rssKiB
}

// stop stops sampling and prints the largest of each figure, with when it was reached.
func (m *memTimeline) stop() {
	if m == nil {
		return
	}
	close(m.done)
	m.wg.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	var parts []string
	for _, name := range []string{"rss", "anon", "file", "zap-mapped", "zap-resident", "zap-files-mapped", "heap-objects", "go-total"} {
		mx := m.max[name]
		v := fmt.Sprintf("%d MiB", mx.v>>10)
		if name == "zap-files-mapped" {
			v = strconv.FormatInt(mx.v, 10)
		}
		parts = append(parts, fmt.Sprintf("%s %s at %.0fs", name, v, mx.at.Seconds()))
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	gc := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(gc)
	fmt.Fprintf(os.Stderr, "memory largest: %s; page faults: %d minor, %d major; GC %.1f CPU s in %d cycles\n",
		strings.Join(parts, ", "), ru.Minflt, ru.Majflt, gc[0].Value.Float64(), gc[1].Value.Uint64())
}

// zapCount is how many segment files the index in dir holds (Bleve keeps them in its store
// folder): after a build, the segments a search reads, and those merged away that Bleve
// has not removed yet.
func zapCount(dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(d.Name(), ".zap") {
			n++
		}
		return nil
	})
	return n
}
