package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// articlePage is a hand-made news page: a menu, an article with a heading, a list, a link and
// an image, a sidebar of links and a footer.
const articlePage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Talks resume in Geneva | The Daily Courier</title>
<meta property="og:title" content="Talks resume in Geneva">
<meta name="author" content="Maria Lindqvist">
<meta property="article:published_time" content="2024-05-01T10:00:00Z">
<style>body{font:serif}</style><script>var tracker = "do-not-index";</script></head>
<body><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="ad banner">Buy cheap watches now</div>
<article><h1>Talks resume in Geneva</h1>
<p class="byline">By Maria Lindqvist</p>
<p>Delegations from both sides returned to the negotiating table on Tuesday, after a pause of three weeks that had raised fears of a collapse of the process.</p>
<h2>What is on the table</h2>
<p>The agenda, published by the <a href="https://example.org/mediator">office of the mediator</a>, lists three items that the parties must settle before the summer recess begins.</p>
<ul><li>a ceasefire along the northern line of contact</li><li>the exchange of detained persons</li><li>access for humanitarian convoys</li></ul>
<p><img src="map.png" alt="Map of the region"> Observers said the first session lasted well into the evening, and that both delegations described the atmosphere as businesslike and constructive.</p>
<p>A further round is planned for the middle of June, the spokesperson added, though no date has yet been fixed by the parties.</p></article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Celebrity weds</a></li><li><a href="/b">Ten recipes</a></li></ul></aside>
<footer>© The Daily Courier. Cookie settings. Privacy.</footer></body></html>`

func TestHTMLArticle(t *testing.T) {
	r, err := As(context.Background(), HTML, []byte(articlePage), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Delegations from both sides returned",
		"## What is on the table",
		"- the exchange of detained persons",
		"published by the office of the mediator, lists",
		"no date has yet been fixed",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, r.Text)
		}
	}
	for _, bad := range []string{"Buy cheap watches", "Celebrity weds", "Cookie settings", "do-not-index", "https://example.org", "map.png", "![", "Sport"} {
		if strings.Contains(r.Text, bad) {
			t.Errorf("text holds %q:\n%s", bad, r.Text)
		}
	}
	if r.Title != "Talks resume in Geneva" || r.Author != "Maria Lindqvist" || !r.Date.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("title %q, author %q, date %v", r.Title, r.Author, r.Date)
	}
}

func TestHTMLNoArticle(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string
		not        []string
		empty      bool
	}{
		{"front page of links", `<html><head><title>Portal</title></head><body><ul><li><a href="/1">Elections in Ruritania</a></li><li><a href="/2">Budget vote delayed</a></li></ul><script>x()</script></body></html>`,
			[]string{"Elections in Ruritania", "Budget vote delayed"}, []string{"x()"}, false},
		{"empty body", `<html><head><title>Nothing</title></head><body>  </body></html>`, nil, nil, true},
		{"not even HTML", `just a few words`, []string{"just a few words"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := As(context.Background(), HTML, []byte(tt.page), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Empty != tt.empty {
				t.Errorf("Empty = %v, want %v (text %q)", r.Empty, tt.empty, r.Text)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("text %q lacks %q", r.Text, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(r.Text, w) {
					t.Errorf("text %q holds %q", r.Text, w)
				}
			}
		})
	}
}

func TestHTMLCharset(t *testing.T) {
	ru := "Посольство сообщает о переговорах в Женеве"
	cp1251, _ := charmap.Windows1251.NewEncoder().String(ru)
	latin := "Le ministre a reçu l'ambassadeur à l'hôtel"
	latin1, _ := charmap.ISO8859_1.NewEncoder().String(latin)
	cp1252, _ := charmap.Windows1252.NewEncoder().String(latin)
	zh := "外交部发言人答记者问"
	gb, _ := simplifiedchinese.GBK.NewEncoder().String(zh)
	utf16, _ := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String("<html><body><p>" + ru + "</p></body></html>")
	page := func(head, body string) []byte {
		return []byte("<html><head>" + head + "</head><body><p>" + body + "</p></body></html>")
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"meta windows-1251", page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`, cp1251), ru},
		{"meta charset gb2312 with GB bytes", page(`<meta charset="gb2312">`, gb), zh},
		{"declares gb2312 but is UTF-8", page(`<meta charset="gb2312">`, zh), zh},
		{"declares iso-8859-1 but is UTF-8", page(`<meta charset="iso-8859-1">`, latin), latin},
		{"XML declaration iso-8859-1", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>` + latin1 + `</p></body></html>`), latin},
		{"UTF-8 with BOM", append([]byte("\xEF\xBB\xBF"), page(`<meta charset="windows-1251">`, ru)...), ru},
		{"UTF-16 with BOM", []byte(utf16), ru},
		{"no declaration, not UTF-8", page("", cp1252), latin},
		{"no declaration, Cyrillic bytes", page("", cp1251), ru},
		{"declares UTF-8, has a stray byte", page(`<meta charset="utf-8">`, "Genève \xff fin"), "Genève"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := As(context.Background(), HTML, tt.data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("text %q lacks %q", r.Text, tt.want)
			}
			checkOutcome(t, r, err)
		})
	}
}

func TestHTMLHostile(t *testing.T) {
	var deep bytes.Buffer
	n := (50 << 20) / 11
	deep.WriteString("<html><body>")
	for i := 0; i < n; i++ {
		deep.WriteString("<div>")
	}
	deep.WriteString("the bottom of the well")
	for i := 0; i < n; i++ {
		deep.WriteString("</div>")
	}
	var wide bytes.Buffer
	wide.WriteString("<html><body>")
	for wide.Len() < 20<<20 {
		wide.WriteString("<div><p>A paragraph of a very long page.</p></div>\n")
	}
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string
	}{
		{"50 MB of nested divs", deep.Bytes(), Limits{Time: 5 * time.Minute}, "the bottom of the well"},
		{"20 MB of paragraphs, MaxText 1 MB", wide.Bytes(), Limits{MaxText: 1 << 20, Time: 5 * time.Minute}, "A paragraph of a very long page."},
		{"article nested 400 deep", []byte("<html><body>" + strings.Repeat("<div>", 400) + strings.Repeat("<p>Deep inside the page there is a long paragraph of real prose, written to be found by the reader.</p>", 5) + strings.Repeat("</div>", 400)), Limits{}, "real prose, written"},
		{"unclosed tags", []byte("<html><body><p>open <b>bold <i>italic <table><tr><td>cell"), Limits{}, "cell"},
		{"binary junk", []byte("\x00\x01\x02<html>\xff\xfe\x00<p>still text</p>"), Limits{}, "still text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := As(context.Background(), HTML, tt.data, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			checkOutcome(t, r, err)
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("text (%d bytes) lacks %q", len(r.Text), tt.want)
			}
			if tt.lim.MaxText > 0 && len(r.Text) > tt.lim.MaxText {
				t.Errorf("text is %d bytes, MaxText %d", len(r.Text), tt.lim.MaxText)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := As(ctx, HTML, wide.Bytes(), Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

// words splits text into lower-case words for comparison; each Han, kana or Hangul
// character counts as a word of its own, since those scripts do not separate words.
func words(text string) map[string]int {
	m := map[string]int{}
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			m[w.String()]++
			w.Reset()
		}
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			flush()
			m[string(r)]++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return m
}

func overlap(a, b map[string]int) (common, na, nb int) {
	for w, ca := range a {
		na += ca
		common += min(ca, b[w])
	}
	for _, cb := range b {
		nb += cb
	}
	return
}

// htmlLowRecall are corpus pages allowed below the per-page floor, with the reason. None is
// needed at present; a page goes here only with a reason.
var htmlLowRecall = map[string]string{}

func TestHTMLCorpus(t *testing.T) {
	dir, rows := filepath.Join(corpusDir(t), "html"), manifestFolder(t, "html", ".html")
	type score struct {
		page              string
		recall, precision float64
		titleOK           bool
		title, wantTitle  string
	}
	var scores []score
	outcome := outcomes{}
	for _, row := range rows {
		if strings.HasSuffix(row.File, ".expected.html") {
			continue
		}
		page := strings.TrimSuffix(row.File, ".html")
		r, err := outcome.read(t, dir, row)
		switch {
		case err != nil:
			t.Errorf("%s (class %s): refused: %v", row.File, row.Class, err)
			continue
		case r.Empty:
			t.Errorf("%s (class %s): no text", row.File, row.Class)
		}
		checkOutcome(t, r, err)
		exp, err := os.ReadFile(filepath.Join(dir, page+".expected.html"))
		if err != nil {
			t.Fatal(err)
		}
		expText, _, _ := visibleText(context.Background(), string(exp), 0)
		common, nExp, nOurs := overlap(words(expText), words(r.Text))
		s := score{page: page, title: r.Title}
		if nExp > 0 {
			s.recall = float64(common) / float64(nExp)
		}
		if nOurs > 0 {
			s.precision = float64(common) / float64(nOurs)
		}
		var meta struct {
			Title string `json:"title"`
		}
		if b, err := os.ReadFile(filepath.Join(dir, page+".expected-metadata.json")); err == nil && json.Unmarshal(b, &meta) == nil {
			s.wantTitle = clean(meta.Title)
			s.titleOK = clean(r.Title) == s.wantTitle
		}
		scores = append(scores, s)
	}
	outcome.log(t, "html")
	sort.Slice(scores, func(i, j int) bool { return scores[i].recall < scores[j].recall })
	var sumR, sumP float64
	titles := 0
	var table strings.Builder
	fmt.Fprintf(&table, "%-28s %7s %9s  title\n", "page", "recall", "precision")
	for _, s := range scores {
		sumR += s.recall
		sumP += s.precision
		mark := "same"
		if s.titleOK {
			titles++
		} else {
			mark = fmt.Sprintf("%q, expected %q", s.title, s.wantTitle)
		}
		fmt.Fprintf(&table, "%-28s %7.3f %9.3f  %s\n", s.page, s.recall, s.precision, mark)
	}
	n := float64(len(scores))
	fmt.Fprintf(&table, "%-28s %7.3f %9.3f  %d/%d titles as expected\n", "MEAN", sumR/n, sumP/n, titles, len(scores))
	t.Log("\n" + table.String())
	// Floors from the measured figures (go test -run TestHTMLCorpus -v ./store/extract/): mean recall
	// 0.997 and precision 0.994, the lowest page 0.904 / 0.894 (nytimes-5, a page of article
	// teasers) and 39 of 39 titles. The floors leave room for small changes in the libraries
	// but fail on a real regression: falling back to the whole page's text gives a precision
	// near 0.3 on these pages, and losing the article gives a recall near 0.
	if sumR/n < 0.95 || sumP/n < 0.95 {
		t.Errorf("mean recall %.3f, precision %.3f; want both at least 0.95", sumR/n, sumP/n)
	}
	for _, s := range scores {
		if why, known := htmlLowRecall[s.page]; known {
			t.Logf("%s: below the floor allowed: %s", s.page, why)
			continue
		}
		if s.recall < 0.85 || s.precision < 0.85 {
			t.Errorf("%s: recall %.3f, precision %.3f; want both at least 0.85", s.page, s.recall, s.precision)
		}
	}
	if titles*10 < len(scores)*9 {
		t.Errorf("%d of %d titles as Readability.js finds them; want at least 90%%", titles, len(scores))
	}
}

func BenchmarkHTML(b *testing.B) {
	benchmarkFolder(b, "html", ".html", HTML, func(name string) bool { return strings.HasSuffix(name, ".expected.html") })
}

func FuzzHTML(f *testing.F) {
	if dir, ok := corpusPath(); ok {
		files, _ := filepath.Glob(filepath.Join(dir, "html", "*.html"))
		for _, p := range files {
			// Only the smaller pages: the fuzzer mutates every seed, and megabyte seeds slow it.
			if st, err := os.Stat(p); err == nil && st.Size() < 64<<10 {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(data)
				}
			}
		}
	}
	f.Add([]byte(articlePage))
	f.Add([]byte(`<meta charset="koi8-r"><p>` + "\xf0\xd2\xc9\xd7\xc5\xd4" + `</p>`))
	f.Add([]byte(`<?xml version="1.0" encoding="utf-16"?><div><div><p>x`))
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := As(context.Background(), HTML, data, Limits{Time: 10 * time.Second})
		checkOutcome(t, r, err)
	})
}
