package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// Files of the corpus whose outcome differs from what their class alone suggests, with the
// reason. The manifest's own note is quoted where it gives the reason.
var (
	// ok-class files that hold no text PDFium can read.
	pdfOKWithoutText = map[string]string{
		"empty.pdf":     `manifest: "one blank page, no text"`,
		"autoprint.pdf": `manifest: "JavaScript auto-print action, no text"`,
	}
	// scanned-class files with a (junk) text layer.
	pdfScannedWithText = map[string]string{
		"issue13931.pdf": `manifest: "475 dpi JPEG page with junk OCR layer"`,
		"issue5747.pdf":  `manifest: "CCITT 300 dpi scan (Ricoh) with OCR text layer"`,
		"scan-bad.pdf":   `the scan carries the words "pdf.js" as text (pdftotext reads them too)`,
	}
	// encrypted-class files that need a user password we do not have. All others open with
	// the empty password (owner password only).
	pdfNeedsPassword = map[string]string{
		"issue3371.pdf":    `manifest: "user password 'ELXRTQWS'"`,
		"issue6010_1.pdf":  `manifest: "user password 'abc'"`,
		"issue6010_2.pdf":  `manifest: "user password 'æøå' (UTF-8)"`,
		"issue21579.pdf":   `manifest: "AES-256, user password 'pässwört' (UTF-8)"`,
		"saslprep-r6.pdf":  `manifest: "revision 6, password needs SASLprep"`,
		"pr6531_1.pdf":     `manifest: "AES-256 R6, needs a user password that is not published"`,
		"issue19484_1.pdf": `manifest: "needs a user password that is not published"`,
		// poppler opens this Bluebeam AES-256 file with the empty password; PDFium asks for
		// one.
		"pr6531_2.pdf": "PDFium does not accept the empty password for it (poppler does)",
	}
	// encrypted-class files that open but hold no text.
	pdfEncryptedEmpty = map[string]string{
		"empty_protected.pdf": "a blank page (pdftotext finds no text either)",
	}
)

type pdfOutcome struct {
	row     manifestRow
	kind    string // "text", "empty", "refused: encrypted", "refused: damaged", ...
	detail  string
	elapsed time.Duration
	pages   int
}

func outcomeOf(r Result, err error) (kind, detail string) {
	if err != nil {
		var ref *Refusal
		if !errors.As(err, &ref) {
			return "error", err.Error()
		}
		switch {
		case strings.HasPrefix(ref.Reason, "encrypted"):
			return "refused: encrypted", ref.Reason
		case strings.HasPrefix(ref.Reason, "damaged PDF"):
			return "refused: damaged", ref.Reason
		case strings.HasPrefix(ref.Reason, "took longer"):
			return "refused: time", ref.Reason
		case strings.HasPrefix(ref.Reason, "too large"):
			return "refused: size", ref.Reason
		}
		return "refused: other", ref.Reason
	}
	if r.Empty {
		return "empty", r.Reason
	}
	return "text", fmt.Sprintf("%d bytes", len(r.Text))
}

// TestPDFCorpus reads every PDF of the real-world corpus and checks the outcome against the
// file's class in the manifest.
func TestPDFCorpus(t *testing.T) {
	dir := corpusDir(t)
	rows := manifestFolder(t, "pdf", ".pdf")
	lim := DefaultLimits
	warmPDF(t)
	var outcomes []pdfOutcome
	for _, row := range rows {
		data, err := os.ReadFile(row.Path(dir))
		if err != nil {
			t.Errorf("%s: %v", row.File, err)
			continue
		}
		start := time.Now()
		r, err := As(context.Background(), PDF, data, lim)
		o := pdfOutcome{row: row, elapsed: time.Since(start), pages: r.Pages}
		o.kind, o.detail = outcomeOf(r, err)
		outcomes = append(outcomes, o)
		checkPDFOutcome(t, o, r)
	}
	logPDFOutcomes(t, outcomes)
}

func checkPDFOutcome(t *testing.T, o pdfOutcome, r Result) {
	t.Helper()
	name, class := o.row.File, o.row.Class
	fail := func(want string) {
		t.Errorf("%s (%s, %q): got %s (%s), want %s", name, class, o.row.Note, o.kind, o.detail, want)
	}
	if o.kind == "error" {
		fail("a Result or a *Refusal")
		return
	}
	if o.kind == "text" && strings.TrimSpace(r.Text) == "" {
		fail("non-blank text")
	}
	switch class {
	case "ok", "non-latin":
		if reason, ok := pdfOKWithoutText[name]; ok {
			if o.kind != "empty" || r.Reason != "no text layer" {
				fail("Empty, no text layer (" + reason + ")")
			}
		} else if o.kind != "text" {
			fail("text")
		}
	case "scanned":
		if reason, ok := pdfScannedWithText[name]; ok {
			if o.kind != "text" {
				fail("its junk text layer (" + reason + ")")
			}
		} else if o.kind != "empty" || r.Reason != "no text layer" {
			fail("Empty, no text layer")
		}
	case "encrypted":
		if reason, ok := pdfNeedsPassword[name]; ok {
			if o.detail != "encrypted: a password is needed to open it" {
				fail("refused as encrypted (" + reason + ")")
			}
		} else if reason, ok := pdfEncryptedEmpty[name]; ok {
			if o.kind != "empty" {
				fail("Empty (" + reason + ")")
			}
		} else if o.kind != "text" {
			fail("text (it opens without a password)")
		}
	case "broken", "huge":
		// Any Result or Refusal will do: PDFium repairs some files. What matters is that
		// the call returned, within the limits (a time-out is a refusal too, and is
		// reported in the table).
	default:
		t.Errorf("%s: unknown class %q", name, class)
	}
}

func logPDFOutcomes(t *testing.T, outcomes []pdfOutcome) {
	byClass := map[string]map[string][]string{}
	for _, o := range outcomes {
		if byClass[o.row.Class] == nil {
			byClass[o.row.Class] = map[string][]string{}
		}
		byClass[o.row.Class][o.kind] = append(byClass[o.row.Class][o.kind], o.row.File)
	}
	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b strings.Builder
	b.WriteString("PDF corpus outcomes by class:\n")
	for _, c := range classes {
		kinds := make([]string, 0, len(byClass[c]))
		total := 0
		for k, files := range byClass[c] {
			kinds = append(kinds, k)
			total += len(files)
		}
		sort.Strings(kinds)
		fmt.Fprintf(&b, "  %-10s %3d files:", c, total)
		for _, k := range kinds {
			fmt.Fprintf(&b, "  %s %d", k, len(byClass[c][k]))
		}
		b.WriteString("\n")
		for _, k := range kinds {
			if (c == "broken" || c == "huge" || k != "text") && len(byClass[c][k]) > 0 {
				fmt.Fprintf(&b, "      %s: %s\n", k, strings.Join(byClass[c][k], ", "))
			}
		}
	}
	t.Log(b.String())

	sort.Slice(outcomes, func(i, j int) bool { return outcomes[i].elapsed > outcomes[j].elapsed })
	b.Reset()
	b.WriteString("slowest PDF files:\n")
	for _, o := range outcomes[:min(10, len(outcomes))] {
		fmt.Fprintf(&b, "  %8.0f ms  %-38s %-9s %3d pages  %s\n", float64(o.elapsed.Microseconds())/1000, o.row.File, o.row.Class, o.pages, o.kind)
	}
	t.Log(b.String())
}

// BenchmarkPDF reads the ok-class files of the corpus and reports pages per second.
func BenchmarkPDF(b *testing.B) {
	dir := corpusDir(b)
	type file struct {
		name string
		data []byte
	}
	var files []file
	for _, row := range manifestFolder(b, "pdf", ".pdf") {
		if row.Class != "ok" {
			continue
		}
		data, err := os.ReadFile(row.Path(dir))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, file{row.File, data})
	}
	warmPDF(b)
	b.ResetTimer()
	pages, bytes := 0, 0
	for b.Loop() {
		for _, f := range files {
			r, err := As(context.Background(), PDF, f.data, DefaultLimits)
			if err != nil {
				b.Fatalf("%s: %v", f.name, err)
			}
			pages += r.Pages
			bytes += len(f.data)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(pages)/sec, "pages/s")
	b.ReportMetric(float64(bytes)/sec/(1<<20), "MB/s")
	b.Logf("%d ok-class files, %d pages per round", len(files), pages/b.N)
}

// BenchmarkPDFStart measures starting the engine: compiling PDFium's WebAssembly to machine
// code (the first start on a machine), loading that code from the on-disk cache (the first
// start of later runs), and starting an instance from code in memory (after a time-out or a
// large file). It reports the Go heap and resident memory the start added.
func BenchmarkPDFStart(b *testing.B) {
	warm := b.TempDir()
	b.Setenv("XDG_CACHE_HOME", warm) // os.UserCacheDir on Linux
	for _, bc := range []struct {
		name         string
		forget, cold bool
	}{{"compile", true, true}, {"disk-cache", true, false}, {"instance", false, false}} {
		b.Run(bc.name, func(b *testing.B) {
			var heap, rss float64
			for b.Loop() {
				b.StopTimer()
				if bc.cold {
					os.Setenv("XDG_CACHE_HOME", b.TempDir())
				}
				pdfStop(bc.forget)
				h0, r0 := memNow()
				b.StartTimer()
				if _, err := pdfStart(context.Background(), DefaultLimits); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				h1, r1 := memNow()
				heap += float64(h1 - h0)
				rss += float64(r1 - r0)
				os.Setenv("XDG_CACHE_HOME", warm)
				b.StartTimer()
			}
			n := float64(b.N) * (1 << 20)
			b.ReportMetric(heap/n, "MB-heap/op")
			b.ReportMetric(rss/n, "MB-rss/op")
			if pdfEngine.idle != nil {
				b.ReportMetric(float64(pdfEngine.idle.memorySize())/(1<<20), "MB-wasm")
			}
		})
	}
}

// memNow returns the Go heap in use after a collection and the process's resident set, in
// bytes (0 where /proc is absent).
func memNow() (heap, rss int64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if st, err := os.ReadFile("/proc/self/statm"); err == nil {
		var size, res int64
		fmt.Sscan(string(st), &size, &res)
		rss = res * int64(os.Getpagesize())
	}
	return int64(ms.HeapInuse), rss
}
