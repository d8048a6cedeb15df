//go:build ignore

// guiscale measures the window on a large knowledge base (issue 15), for .ci/gui-scale.sh,
// on the screen of an Xvfb started with -fbdir (its framebuffer file, read as
// .ci/screenwait.go reads it: mapped, looked at every 2 ms, no screenshots while timing):
//
//   - start: the same binary as a bare Fyne window (CHANCERY_BARE_WINDOW=1: one search
//     field) and as Chancery on the data folder, alternated, -runs times each. Each run is
//     timed from exec to the first frame that shows the window ("window"), and to
//     "usable": the query typed (Ctrl+1 for the search, Ctrl+A, then the words, -key-delay
//     ms a key; the place the last session ended is remembered) from the moment the
//     window shows, until the last frame that changed before the screen stayed still for
//     -settle (the bare window echoes what is typed; Chancery shows the results: the
//     screen must first differ from before the typing by -results pixels). Medians
//     and the ratio Chancery/bare are printed.
//   - memory: Chancery started once more, ten searches typed one after the other (each
//     timed to its settled results), then VmRSS and VmHWM from /proc/PID/status, as the
//     last search settled and again -rest later (the window lets go of what its searches
//     read once they pause).
//   - scrolling: in the same window, the results list and then the Documents list
//     (Ctrl+5) scrolled with the mouse wheel (-steps steps of three notches, then four
//     flings of 150 notches as fast as the wheel sends them); each step timed from the action to the first frame that changed and to the last one
//     before the screen settled; p95 and max printed.
//
// It never fails on a timing; it fails (exit 1) when a step cannot be done: no window,
// no change on the screen after typing in it.
//
// Usage: go run .ci/guiscale.go -bin BINARY -data DIR -out DIR -fb FBFILE
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var (
	bin      = flag.String("bin", "", "the chancery binary (built with cgo)")
	data     = flag.String("data", "", "the knowledge base's folder")
	out      = flag.String("out", "", "where screenshots and logs go")
	fbPath   = flag.String("fb", "", "Xvfb's framebuffer file (-fbdir DIR: DIR/Xvfb_screen0)")
	runs     = flag.Int("runs", 3, "starts of each window")
	steps    = flag.Int("steps", 25, "wheel steps in each list")
	query    = flag.String("query", "nuclear", "the query typed at start")
	settle   = flag.Duration("settle", 600*time.Millisecond, "how long the screen must stay still to count as settled")
	minPix   = flag.Int("min", 200, "pixels that must change for a frame to count")
	bigPix   = flag.Int("results", 20000, "pixels that must differ from the frame before typing for Chancery's results to count as shown")
	rest     = flag.Duration("rest", 3*time.Second, "how long the window is left alone after the ten searches before its memory is read again (it lets go of what its searches read once they pause: 2 s)")
	listX    = flag.Float64("list-x", 0.30, "where the lists are, as a share of the window's width")
	listY    = flag.Float64("list-y", 0.55, "where the lists are, as a share of the window's height")
	noScroll = flag.Bool("no-scroll", false, "leave the scrolling out")
	keyDelay = flag.Int("key-delay", 30, "ms between the keys typed (a quick typist: 150-200)")
	trace    = flag.Bool("trace", false, "print each frame change while settling: ms after the action, pixels changed")
)

var searches = []string{"water", "nuclear disarmament", "climate change", "refugees", "sovereignty",
	"apartheid", "human rights", "sustainable development", "terrorism", "Palestine"}

func main() {
	flag.Parse()
	if *bin == "" || *data == "" || *out == "" || *fbPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	s, err := newScreen(*fbPath)
	if err != nil {
		fail(err)
	}
	log, err := os.Create(filepath.Join(*out, "guiscale.log"))
	if err != nil {
		fail(err)
	}
	defer log.Close()
	s.log = log

	// Start: bare and Chancery alternated, so that the machine's load falls on both alike.
	var bareWin, bareUse, appWin, appUse []float64
	for r := 1; r <= *runs; r++ {
		for _, bare := range []bool{true, false} {
			name := "chancery"
			if bare {
				name = "bare"
			}
			w, u := s.start(bare, fmt.Sprintf("%s-%d", name, r))
			fmt.Printf("  start %-8s run %d: window %5.0f ms, usable %5.0f ms\n", name, r, w, u)
			if bare {
				bareWin, bareUse = append(bareWin, w), append(bareUse, u)
			} else {
				appWin, appUse = append(appWin, w), append(appUse, u)
			}
		}
	}
	bw, bu, aw, au := median(bareWin), median(bareUse), median(appWin), median(appUse)
	fmt.Printf("start (median of %d): bare window %.0f ms, usable %.0f ms; Chancery window %.0f ms, usable %.0f ms\n", *runs, bw, bu, aw, au)
	fmt.Printf("start ratio Chancery/bare: window %.2f, usable %.2f (target: usable ≤ 1.5)\n", aw/bw, au/bu)

	// Memory after ten searches, then scrolling, in one more start.
	p := s.launch(false)
	defer p.stop(s)
	if _, ok := s.waitFirst(p.t0, 60*time.Second); !ok {
		fail(errors.New("the window did not show within 60 s"))
	}
	win := s.window()
	s.park(win) // the scrolling puts it back over the lists
	s.settleAfter(time.Now())
	rss0, hwm0 := p.memory()
	fmt.Printf("memory after start: VmRSS %d MB, VmHWM %d MB\n", rss0, hwm0)
	var waits []float64
	for i, q := range searches {
		before := append([]byte(nil), s.live...)
		t := time.Now()
		xdo("key", "ctrl+1")
		xdo("key", "ctrl+a")
		xdo("type", "--delay", strconv.Itoa(*keyDelay), q)
		if !s.results(before, t) {
			s.shot("failed-search")
			fail(fmt.Errorf("search %d (%q): no results shown within 60 s", i+1, q))
		}
		last, ok := s.settleAfter(t)
		if !ok {
			s.shot("failed-search")
			fail(fmt.Errorf("search %d (%q): nothing changed on the screen", i+1, q))
		}
		waits = append(waits, ms(last.Sub(t)))
	}
	s.shot("after-ten-searches")
	rss, hwm := p.memory()
	fmt.Printf("ten searches typed (%s): each typed and settled in %s ms\n", strings.Join(searches, ", "), join(waits))
	fmt.Printf("memory after ten searches, as the last settled: VmRSS %d MB, VmHWM %d MB\n", rss, hwm)
	time.Sleep(*rest) // the window lets go of what its searches read once they pause
	rss, hwm = p.memory()
	fmt.Printf("memory after ten searches, %s later: VmRSS %d MB, VmHWM %d MB (target: ≤ 300 MB)\n", *rest, rss, hwm)

	if !*noScroll {
		s.scroll(win, "results list")
		s.shot("results-scrolled")
		t := time.Now()
		xdo("key", "ctrl+5") // the Documents
		if _, ok := s.settleAfter(t); !ok {
			s.shot("failed-documents")
			fail(errors.New("Ctrl+5 did not show the Documents"))
		}
		s.shot("documents")
		s.scroll(win, "Documents list")
		s.shot("documents-scrolled")
		rss, hwm = p.memory()
		fmt.Printf("memory after scrolling: VmRSS %d MB, VmHWM %d MB\n", rss, hwm)
	}
}

// screen is the framebuffer, mapped.
type screen struct {
	live []byte
	prev []byte
	log  *os.File
}

func newScreen(path string) (*screen, error) {
	live, err := frame(path)
	if err != nil {
		return nil, err
	}
	return &screen{live: live, prev: append([]byte(nil), live...)}, nil
}

// changed reports whether the screen changed since the last look that saw a change.
func (s *screen) changed() bool {
	if diff(s.prev, s.live, *minPix, false) >= *minPix {
		copy(s.prev, s.live)
		return true
	}
	return false
}

// waitFirst waits for the first change after t0 (up to timeout).
func (s *screen) waitFirst(t0 time.Time, timeout time.Duration) (time.Time, bool) {
	for time.Since(t0) < timeout {
		if s.changed() {
			return time.Now(), true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Time{}, false
}

// results waits (up to 60 s from t) until the screen differs from before by -results
// pixels: a list of results, not the letters typed (a search may take longer than
// -settle, and the screen is still meanwhile).
func (s *screen) results(before []byte, t time.Time) bool {
	for time.Since(t) < 60*time.Second {
		if diff(before, s.live, *bigPix, false) >= *bigPix {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return false
}

// settleAfter waits for the screen to change after t and then stay still for -settle; it
// returns the last frame that changed (false when nothing did within 20 s).
func (s *screen) settleAfter(t time.Time) (time.Time, bool) {
	var last time.Time
	for {
		now := time.Now()
		if last.IsZero() && now.Sub(t) > 20*time.Second {
			return time.Time{}, false
		}
		if !last.IsZero() && now.Sub(last) > *settle {
			return last, true
		}
		if *trace {
			if n := diff(s.prev, s.live, 0, true); n >= *minPix {
				fmt.Printf("    change at %4.0f ms: %d pixels\n", ms(time.Since(t)), n)
			}
		}
		if s.changed() {
			last = time.Now()
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// proc is a started window.
type proc struct {
	cmd *exec.Cmd
	t0  time.Time
}

func (s *screen) launch(bare bool) *proc {
	cmd := exec.Command(*bin, "--data", *data)
	cmd.Env = os.Environ()
	if bare {
		cmd.Env = append(cmd.Env, "CHANCERY_BARE_WINDOW=1")
	}
	cmd.Stdout, cmd.Stderr = s.log, s.log
	copy(s.prev, s.live)
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	return &proc{cmd: cmd, t0: t0}
}

// stop asks the window to close (SIGTERM closes it as its close button does), then kills
// it after 20 s, and waits for the screen to be empty again.
func (p *proc) stop(s *screen) {
	if p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
	time.Sleep(300 * time.Millisecond)
	s.changed()
}

// memory reads VmRSS and VmHWM (MB) of the process, and prints how the resident memory
// divides (anonymous: the Go heap, cgo and modernc's allocations; file: the binary, the
// index's mapped segments) and its largest mappings.
func (p *proc) memory() (rss, hwm int) {
	defer p.mappings()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		fail(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.Atoi(f[1])
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		case "RssAnon:", "RssFile:", "RssShmem:":
			fmt.Printf("  %s %d MB", strings.TrimSuffix(f[0], ":"), kb/1024)
		}
	}
	fmt.Println()
	return rss, hwm
}

// mappings prints the largest resident mappings (/proc/PID/smaps), files by name.
func (p *proc) mappings() {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", p.cmd.Process.Pid))
	if err != nil {
		return
	}
	byName := map[string]int{}
	name := ""
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			name = "[anonymous]"
			if len(f) >= 6 {
				name = f[5]
				if strings.Contains(name, "/index/") {
					name = filepath.Dir(name) + "/*"
				}
			}
		case len(f) >= 2 && f[0] == "Rss:":
			kb, _ := strconv.Atoi(f[1])
			byName[name] += kb
		}
	}
	type m struct {
		name string
		kb   int
	}
	var ms []m
	for n, kb := range byName {
		ms = append(ms, m{n, kb})
	}
	slices.SortFunc(ms, func(a, b m) int { return b.kb - a.kb })
	var parts []string
	for _, x := range ms[:min(6, len(ms))] {
		parts = append(parts, fmt.Sprintf("%s %d MB", filepath.Base(x.name), x.kb/1024))
	}
	fmt.Printf("  resident by mapping: %s\n", strings.Join(parts, ", "))
}

// start starts a window, types the query as soon as it shows, and returns the ms from exec
// to the window and to the settled result.
func (s *screen) start(bare bool, name string) (window, usable float64) {
	p := s.launch(bare)
	defer p.stop(s)
	first, ok := s.waitFirst(p.t0, 60*time.Second)
	if !ok {
		fail(fmt.Errorf("%s: the window did not show within 60 s", name))
	}
	s.park(s.window())
	before := append([]byte(nil), s.live...)
	t := time.Now()
	xdo("key", "ctrl+1") // the search, wherever the last session ended (the bare window ignores it)
	xdo("key", "ctrl+a")
	xdo("type", "--delay", strconv.Itoa(*keyDelay), *query)
	if !bare && !s.results(before, t) {
		s.shot("failed-" + name)
		fail(fmt.Errorf("%s: no results shown within 60 s of typing %q", name, *query))
	}
	last, ok := s.settleAfter(t)
	if !ok {
		s.shot("failed-" + name)
		fail(fmt.Errorf("%s: typing %q changed nothing on the screen", name, *query))
	}
	s.shot("start-" + name)
	if strings.HasSuffix(name, "-1") {
		rss, hwm := p.memory()
		fmt.Printf("  %s: VmRSS %d MB, VmHWM %d MB after the query\n", name, rss, hwm)
	}
	return ms(first.Sub(p.t0)), ms(last.Sub(p.t0))
}

// geometry is a window's place on the screen.
type geometry struct{ x, y, w, h int }

// window finds the window, puts the pointer in it and gives it the focus.
func (s *screen) window() geometry {
	var id string
	for range 100 {
		o, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Chancery").Output()
		if f := strings.Fields(string(o)); len(f) > 0 {
			id = f[0]
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if id == "" {
		fail(errors.New("no window named Chancery"))
	}
	o, err := exec.Command("xdotool", "getwindowgeometry", "--shell", id).Output()
	if err != nil {
		fail(err)
	}
	var g geometry
	for _, l := range strings.Split(string(o), "\n") {
		k, v, _ := strings.Cut(l, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "X":
			g.x = n
		case "Y":
			g.y = n
		case "WIDTH":
			g.w = n
		case "HEIGHT":
			g.h = n
		}
	}
	xdo("mousemove", strconv.Itoa(g.x+g.w/2), strconv.Itoa(g.y+g.h/2))
	exec.Command("xdotool", "windowfocus", id).Run()
	return g
}

// park moves the pointer off the window g (the keyboard focus stays with it): Xvfb draws
// the pointer into its framebuffer, and a window that changes the pointer's shape, or a row
// that lights up under it, changes 200-odd pixels, enough to count as a frame changing and
// to put off "settled" by -settle each time. Measured so, the bare window's start was
// usable in 750 to 1,862 ms over five runs.
func (s *screen) park(g geometry) {
	o, err := exec.Command("xdotool", "getdisplaygeometry").Output()
	f := strings.Fields(string(o))
	if err != nil || len(f) != 2 {
		fail(fmt.Errorf("xdotool getdisplaygeometry: %q %v", o, err))
	}
	w, _ := strconv.Atoi(f[0])
	h, _ := strconv.Atoi(f[1])
	if g.x+g.w >= w && g.y+g.h >= h {
		fail(fmt.Errorf("the window (%+v) covers the screen's corner: nowhere to park the pointer", g))
	}
	xdo("mousemove", strconv.Itoa(w-1), strconv.Itoa(h-1))
}

// scroll scrolls the list under (list-x, list-y) with the wheel, step by step, then in
// flings, timing each step.
func (s *screen) scroll(g geometry, what string) {
	at := func(fx, fy float64) (string, string) {
		return strconv.Itoa(g.x + int(fx*float64(g.w))), strconv.Itoa(g.y + int(fy*float64(g.h)))
	}
	x, y := at(*listX, *listY)
	xdo("mousemove", x, y)
	time.Sleep(300 * time.Millisecond)
	s.changed()
	var first, done []float64
	still := 0
	step := func(args ...[]string) {
		t := time.Now()
		for _, a := range args {
			xdo(a...)
		}
		f, ok := s.waitFirst(t, 2*time.Second)
		if !ok {
			still++
			return
		}
		last, _ := s.settleAfter(t)
		if last.Before(f) {
			last = f
		}
		first, done = append(first, ms(f.Sub(t))), append(done, ms(last.Sub(t)))
	}
	// Settling takes -settle; the wheel's steps are shorter: 250 ms.
	saved := *settle
	*settle = 250 * time.Millisecond
	for range *steps {
		step([]string{"click", "--repeat", "3", "--delay", "15", "5"})
	}
	*settle = saved
	wheel := len(first)
	// Flings: 150 notches as fast as the wheel sends them, each about 180 rows on: the
	// Documents list reads its second page on the way.
	for range 4 {
		step([]string{"click", "--repeat", "150", "--delay", "2", "5"})
	}
	fmt.Printf("scrolling the %s: %d wheel steps (3 notches), %d flings (150 notches), %d steps with no change; first frame p95 %.0f ms, max %.0f ms; settled p95 %.0f ms, max %.0f ms\n",
		what, wheel, len(first)-wheel, still, p95(first), slices.Max(append(first, 0)), p95(done), slices.Max(append(done, 0)))
	fmt.Printf("  %s, each step to its first frame (ms): %s\n  to its settled frame (ms): %s\n", what, join(first), join(done))
}

func (s *screen) shot(name string) {
	exec.Command("import", "-window", "root", filepath.Join(*out, name+".png")).Run()
	s.changed()
}

func xdo(args ...string) {
	if err := exec.Command("xdotool", args...).Run(); err != nil {
		fail(fmt.Errorf("xdotool %v: %w", args, err))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func p95(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	return v[min(len(v)-1, int(0.95*float64(len(v))+0.5)-1)]
}

func join(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strings.Join(s, " ")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "guiscale:", err)
	os.Exit(1)
}
