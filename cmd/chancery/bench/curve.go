package bench

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Figure is one figure of the curve: its name, unit and value at a point for an engine
// (ok false when not measured).
type Figure struct {
	Name, Unit string
	Value      func(p Point, engine int) (float64, bool)
}

// CurveFigures are the figures the curve shows.
var CurveFigures = []Figure{
	{"indexing time", "s", func(p Point, e int) (float64, bool) {
		if e >= len(p.Builds) {
			return 0, false
		}
		return p.Builds[e].Total.Seconds(), true
	}},
	{"peak memory while indexing", "MB", func(p Point, e int) (float64, bool) {
		if e >= len(p.Builds) || p.Builds[e].PeakRSS == 0 {
			return 0, false
		}
		return float64(p.Builds[e].PeakRSS) / 1e6, true
	}},
	{"on disk", "MB", func(p Point, e int) (float64, bool) {
		if e >= len(p.Builds) {
			return 0, false
		}
		return float64(p.Builds[e].Bytes+p.Builds[e].StoreBytes) / 1e6, true
	}},
	{"top 10 + snippets + facets p50", "ms", latencyFigure(50)},
	{"top 10 + snippets + facets p99", "ms", latencyFigure(99)},
	{"keystroke p95", "ms", func(p Point, e int) (float64, bool) {
		if e >= len(p.Typing) || len(p.Typing[e]) == 0 {
			return 0, false
		}
		return msf(Percentile(p.Typing[e], 95)), true
	}},
	{"precision@5", "", func(p Point, e int) (float64, bool) {
		if e >= len(p.Relevance) {
			return 0, false
		}
		return p.Relevance[e].PrecisionAt5, true
	}},
	{"recall@20", "", func(p Point, e int) (float64, bool) {
		if e >= len(p.Relevance) {
			return 0, false
		}
		return p.Relevance[e].RecallAt20, true
	}},
}

func latencyFigure(pc float64) func(Point, int) (float64, bool) {
	return func(p Point, e int) (float64, bool) {
		if e >= len(p.Faceted) {
			return 0, false
		}
		var all []time.Duration
		for _, c := range Classes {
			all = append(all, p.Faceted[e][c]...)
		}
		if len(all) == 0 {
			return 0, false
		}
		return msf(Percentile(all, pc)), true
	}
}

// Growth is the exponent k of value ∝ items^k between the first and the last point (1:
// linear; above 1: faster than linear), or NaN.
func Growth(items []int, values []float64) float64 {
	n := len(items)
	if n < 2 || values[0] <= 0 || values[n-1] <= 0 || items[0] <= 0 || items[n-1] <= items[0] {
		return math.NaN()
	}
	return math.Log(values[n-1]/values[0]) / math.Log(float64(items[n-1])/float64(items[0]))
}

// PrintCurve prints a small table per figure: its value at each point for each engine, and
// the growth exponent over the curve.
func PrintCurve(w io.Writer, points []Point) {
	if len(points) == 0 {
		return
	}
	names := points[0].Names
	items := make([]int, len(points))
	for i, p := range points {
		items[i] = p.Items
	}
	for _, f := range CurveFigures {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := f.Name
		if f.Unit != "" {
			head += " (" + f.Unit + ")"
		}
		fmt.Fprintf(tw, "%s", head)
		for _, p := range points {
			fmt.Fprintf(tw, "\t%s", thousands(p.Items))
		}
		fmt.Fprint(tw, "\tgrowth\t\n")
		any := false
		for e, n := range names {
			var vs []float64
			fmt.Fprint(tw, n)
			ok := true
			for _, p := range points {
				v, has := f.Value(p, e)
				ok = ok && has
				vs = append(vs, v)
				if has {
					any = true
					fmt.Fprintf(tw, "\t%s", curveValue(v, f.Unit))
				} else {
					fmt.Fprint(tw, "\t-")
				}
			}
			g := "-"
			if k := Growth(items, vs); ok && !math.IsNaN(k) && f.Unit != "" {
				g = fmt.Sprintf("n^%.2f", k)
			}
			fmt.Fprintf(tw, "\t%s\t\n", g)
		}
		if any {
			tw.Flush()
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w, "growth: the exponent k of figure ∝ items^k from the first point to the last; above 1 grows faster than linearly.")
}

func curveValue(v float64, unit string) string {
	switch unit {
	case "ms":
		return fmt.Sprintf("%.2f", v)
	case "":
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// Colours of the engines' lines: Chancery, FTS5 tuned, FTS5 default.
var lineColours = []color.RGBA{{0x1f, 0x5f, 0xbf, 0xff}, {0xe0, 0x7b, 0x10, 0xff}, {0x90, 0x90, 0x90, 0xff}}

// PlotCurve draws the curve's figures as a PNG, one panel per figure (items across, the
// figure up, from 0), one line per engine, with the standard library only.
func PlotCurve(path string, points []Point) error {
	const pw, ph, cols = 420, 260, 3
	var figs []Figure
	for _, f := range CurveFigures {
		if f.Unit == "" {
			continue // relevance: the table says it
		}
		for _, p := range points {
			if _, ok := f.Value(p, 0); ok {
				figs = append(figs, f)
				break
			}
		}
	}
	if len(points) == 0 || len(figs) == 0 {
		return fmt.Errorf("bench: nothing to plot")
	}
	rows := (len(figs) + cols - 1) / cols
	legend := 40
	img := image.NewRGBA(image.Rect(0, 0, pw*cols, ph*rows+legend))
	fill(img, img.Bounds(), color.RGBA{0xff, 0xff, 0xff, 0xff})
	names := points[0].Names
	maxItems := 0
	for _, p := range points {
		maxItems = max(maxItems, p.Items)
	}
	black := color.RGBA{0x20, 0x20, 0x20, 0xff}
	grey := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	for i, f := range figs {
		ox, oy := (i%cols)*pw, (i/cols)*ph
		left, top, right, bottom := ox+60, oy+30, ox+pw-20, oy+ph-40
		var top0 float64
		for e := range names {
			for _, p := range points {
				if v, ok := f.Value(p, e); ok {
					top0 = math.Max(top0, v)
				}
			}
		}
		top0 = niceCeil(top0)
		text(img, ox+10, oy+8, strings.ToUpper(f.Name+" ("+f.Unit+")"), black)
		for k := 0; k <= 4; k++ {
			y := bottom - (bottom-top)*k/4
			line(img, left, y, right, y, grey)
			text(img, ox+4, y-3, strings.ToUpper(short(top0*float64(k)/4)), black)
		}
		line(img, left, top, left, bottom, black)
		line(img, left, bottom, right, bottom, black)
		xOf := func(n int) int { return left + (right-left)*n/max(maxItems, 1) }
		yOf := func(v float64) int {
			if top0 == 0 {
				return bottom
			}
			return bottom - int(float64(bottom-top)*v/top0)
		}
		for _, p := range points {
			x := xOf(p.Items)
			line(img, x, bottom, x, bottom+4, black)
			text(img, x-12, bottom+10, strings.ToUpper(short(float64(p.Items))), black)
		}
		for e := range names {
			c := lineColours[e%len(lineColours)]
			px, py, have := 0, 0, false
			for _, p := range points {
				v, ok := f.Value(p, e)
				if !ok {
					have = false
					continue
				}
				x, y := xOf(p.Items), yOf(v)
				fill(img, image.Rect(x-2, y-2, x+3, y+3), c)
				if have {
					thick(img, px, py, x, y, c)
				}
				px, py, have = x, y, true
			}
		}
	}
	lx := 20
	for e, n := range names {
		c := lineColours[e%len(lineColours)]
		y := ph*rows + legend/2
		fill(img, image.Rect(lx, y-2, lx+30, y+2), c)
		text(img, lx+36, y-5, strings.ToUpper(n), black)
		lx += 60 + 14*len(n)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("bench: %s: %w", path, err)
	}
	return f.Close()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// short writes a number in a few characters: 0.5, 12, 950, 50K, 1.2M.
func short(v float64) string {
	switch {
	case v >= 1e6:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v/1e6), ".0") + "M"
	case v >= 1e4:
		return fmt.Sprintf("%.0fK", v/1e3)
	case v >= 1000 || v == 0:
		return fmt.Sprintf("%.0f", v)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// line draws a line of one pixel (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		if (image.Point{x0, y0}).In(img.Bounds()) {
			img.SetRGBA(x0, y0, c)
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

func thick(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	for _, d := range [][2]int{{0, 0}, {0, 1}, {1, 0}} {
		line(img, x0+d[0], y0+d[1], x1+d[0], y1+d[1], c)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// text draws s in a 3×5 pixel font, doubled (upper case, digits and a few signs).
func text(img *image.RGBA, x, y int, s string, c color.RGBA) {
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			x += 8
			continue
		}
		for row, bits := range g {
			for col := range 3 {
				if bits&(4>>col) != 0 {
					fill(img, image.Rect(x+2*col, y+2*row, x+2*col+2, y+2*row+2), c)
				}
			}
		}
		x += 8
	}
}

// glyphs are 3×5 pixel letters, a row of three bits each.
var glyphs = map[rune][5]uint8{
	'0': {7, 5, 5, 5, 7}, '1': {2, 6, 2, 2, 7}, '2': {7, 1, 7, 4, 7}, '3': {7, 1, 3, 1, 7},
	'4': {5, 5, 7, 1, 1}, '5': {7, 4, 7, 1, 7}, '6': {7, 4, 7, 5, 7}, '7': {7, 1, 1, 2, 2},
	'8': {7, 5, 7, 5, 7}, '9': {7, 5, 7, 1, 7},
	'A': {2, 5, 7, 5, 5}, 'B': {6, 5, 6, 5, 6}, 'C': {3, 4, 4, 4, 3}, 'D': {6, 5, 5, 5, 6},
	'E': {7, 4, 6, 4, 7}, 'F': {7, 4, 6, 4, 4}, 'G': {3, 4, 5, 5, 3}, 'H': {5, 5, 7, 5, 5},
	'I': {7, 2, 2, 2, 7}, 'J': {1, 1, 1, 5, 2}, 'K': {5, 5, 6, 5, 5}, 'L': {4, 4, 4, 4, 7},
	'M': {5, 7, 7, 5, 5}, 'N': {6, 5, 5, 5, 5}, 'O': {2, 5, 5, 5, 2}, 'P': {6, 5, 6, 4, 4},
	'Q': {2, 5, 5, 6, 3}, 'R': {6, 5, 6, 5, 5}, 'S': {3, 4, 2, 1, 6}, 'T': {7, 2, 2, 2, 2},
	'U': {5, 5, 5, 5, 7}, 'V': {5, 5, 5, 5, 2}, 'W': {5, 5, 7, 7, 5}, 'X': {5, 5, 2, 5, 5},
	'Y': {5, 5, 2, 2, 2}, 'Z': {7, 1, 2, 4, 7},
	'.': {0, 0, 0, 0, 2}, ',': {0, 0, 0, 2, 4}, '-': {0, 0, 7, 0, 0}, '+': {0, 2, 7, 2, 0},
	'/': {1, 1, 2, 4, 4}, '(': {1, 2, 2, 2, 1}, ')': {4, 2, 2, 2, 4}, '@': {7, 5, 7, 4, 7},
	'%': {5, 1, 2, 4, 5}, ':': {0, 2, 0, 2, 0},
}
