package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"chancery/cmd/chancery/bench"
)

func benchCmd() *cobra.Command {
	var (
		corpus, work, only, worker, scale, sizesFlag, report string
		rounds                                               int
		rebuild, detail, curve                               bool
		budget                                               time.Duration
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure search against SQLite FTS5 (tuned and default) on the UN General Debate corpus: speed, size, memory, relevance, and how they grow",
		Long: `Measure Chancery's search against two peers, SQLite FTS5 tables, in one run: one tuned as
an FTS5 expert would (prefix index, the top 10 found before any snippet or join, filters
and facets over a table keyed by rowid) and the default one of FTS5's documentation.

--scale statements (the default) builds the UN General Debate corpus's 10,952 statements;
--scale paragraphs adds every paragraph of every statement as an item of its own (233,523
items). --curve measures the paragraphs scale at 10,952 (the statements scale, exactly),
50,000, 120,000 and 233,523 items; --sizes gives other points. Every engine is built from
the same items, once, in a process of its own (so that its peak memory is its own), and
stops at each point while the others catch up and the figures are taken. At each point:

  index      items/s, time, size on disk and peak memory of each, with Chancery's ratio to the tuned peer;
  latency    p50/p95/p99 of the top 10 with highlighted snippets, by query class, for the
             committed query set (cmd/chancery/bench/queries.txt), without and with facets;
  typing     the time of each keystroke's results when the queries are typed a letter at a time;
  relevance  precision@5 and recall@20 over the committed judgements (cmd/chancery/bench/judgements.json);
             with paragraphs, each hit counts as its statement;
  targets    the issue's targets, met or missed, from those figures.

Then, over several points, a table per figure with its growth, and a plot (curve.png) in
--report (or --work). The figures are measured, never asserted. Latency rounds go down
as the corpus grows (--rounds at 10,952 items, at least 2 beyond), and each engine gets
at most --budget per table per point (a fixed shuffled order, so a cut is a fair sample).
With --work the built indexes are kept there and used again by the next run (--rebuild
builds them anew; one point only).`,
		Example: "  chancery bench --corpus ../shared/corpora/ungd/ungd-1946-2024.jsonl.gz\n" +
			"  chancery bench --scale paragraphs --curve --work /tmp/bench --report /tmp/bench\n" +
			"  chancery bench --work /tmp/bench --only relevance --detail",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			explicit, err := bench.ParseSizes(sizesFlag)
			if err != nil {
				return err
			}
			sizes, paragraphs, err := bench.Sizes(scale, curve, explicit)
			if err != nil {
				return err
			}
			if worker != "" {
				return benchWorker(ctx, worker, corpus, work, sizes, paragraphs)
			}
			parts := strings.Split(only, ",")
			for _, p := range parts {
				if !slices.Contains([]string{"index", "latency", "typing", "relevance"}, p) {
					return fmt.Errorf("--only: unknown part %q (index, latency, typing, relevance)", p)
				}
			}
			want := func(p string) bool { return slices.Contains(parts, p) }
			if work == "" {
				tmp, err := os.MkdirTemp("", "chancery-bench-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				work = tmp
			} else if report == "" {
				report = work
			}
			out := io.Writer(os.Stdout)
			if report != "" {
				if err := os.MkdirAll(report, 0o700); err != nil {
					return err
				}
				f, err := os.Create(filepath.Join(report, "report.txt"))
				if err != nil {
					return err
				}
				defer f.Close()
				out = io.MultiWriter(os.Stdout, f)
			}
			opt := bench.PointOptions{Latency: want("latency"), Typing: want("typing"), Relevance: want("relevance"),
				Rounds: rounds, Budget: budget, Detail: detail}
			started := time.Now()
			built := exists(filepath.Join(work, bench.ChanceryDir, "index")) && exists(filepath.Join(work, bench.FTS5Dir)) && exists(filepath.Join(work, bench.TunedDir))
			var points []bench.Point
			if want("index") || rebuild || !built {
				if err := bench.CheckCorpus(corpus); err != nil {
					return err
				}
				points, err = benchCurve(ctx, out, corpus, work, sizes, paragraphs, opt)
			} else {
				var p bench.Point
				p, err = benchPoint(ctx, out, work, nil, opt)
				points = append(points, p)
			}
			if err != nil {
				return err
			}
			if len(points) > 1 {
				bench.Rule(out, "How cost grows")
				fmt.Fprintln(out)
				bench.PrintCurve(out, points)
				if report != "" {
					png := filepath.Join(report, "curve.png")
					if err := bench.PlotCurve(png, points); err != nil {
						return err
					}
					fmt.Fprintf(out, "plot: %s\n", png)
				}
			}
			fmt.Fprintf(out, "\nthe bench took %s (processor time, builders included: %s; the load average was %s at the end)\n",
				time.Since(started).Round(time.Second), bench.CPUTime().Round(time.Second), loadAverage())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&corpus, "corpus", defaultCorpus(), "the UN General Debate corpus file (or $CHANCERY_CORPUS)")
	f.StringVar(&work, "work", "", "keep the built indexes in this folder and use them again (default: a temporary folder)")
	f.StringVar(&only, "only", "index,latency,typing,relevance", "the parts to run, comma-separated")
	f.StringVar(&scale, "scale", "statements", "statements (10,952 items) or paragraphs (233,523: the statements and each of their paragraphs)")
	f.BoolVar(&curve, "curve", false, "measure the paragraphs scale at 10,952, 50,000, 120,000 and 233,523 items (implies --scale paragraphs)")
	f.StringVar(&sizesFlag, "sizes", "", "the points to measure, in items, comma-separated (\"all\": the whole scale), instead of --curve's")
	f.StringVar(&report, "report", "", "write report.txt and curve.png in this folder (default: --work's)")
	f.IntVar(&rounds, "rounds", 5, "times each query is run for the latency tables at 10,952 items, after one round to warm up (fewer beyond, at least 2)")
	f.DurationVar(&budget, "budget", 20*time.Second, "the most time each engine gets per table at each point (0: no limit)")
	f.BoolVar(&rebuild, "rebuild", false, "build the indexes again even when --work holds them")
	f.BoolVar(&detail, "detail", false, "list each judged query's figures")
	f.StringVar(&worker, "build-worker", "", "")
	_ = f.MarkHidden("build-worker")
	cmd.PreRunE = func(*cobra.Command, []string) error {
		if curve {
			scale = "paragraphs"
		}
		return nil
	}
	return cmd
}

func defaultCorpus() string {
	if c := os.Getenv("CHANCERY_CORPUS"); c != "" {
		return c
	}
	return filepath.Join("..", "shared", "corpora", "ungd", "ungd-1946-2024.jsonl.gz")
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// builder is a build worker: a child process of this binary building one engine, stopping
// at each point until told to go on.
type builder struct {
	engine string
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
}

// startBuilder starts a worker; it waits for its first "go".
func startBuilder(ctx context.Context, engine, corpus, work string, sizes []int, paragraphs bool) (*builder, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var ss []string
	for _, n := range sizes {
		ss = append(ss, strconv.Itoa(n))
	}
	scale := "statements"
	if paragraphs {
		scale = "paragraphs"
	}
	c := exec.CommandContext(ctx, exe, "bench", "--build-worker", engine, "--corpus", corpus, "--work", work,
		"--scale", scale, "--sizes", strings.Join(ss, ","))
	c.Stderr = os.Stderr
	in, err := c.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := c.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := c.Start(); err != nil {
		return nil, err
	}
	return &builder{engine: engine, cmd: c, in: in, out: bufio.NewReader(out)}, nil
}

// next lets the worker build up to its next point and returns its figures there.
func (b *builder) next() (bench.Build, error) {
	if _, err := io.WriteString(b.in, "go\n"); err != nil {
		return bench.Build{}, fmt.Errorf("build %s: %w", b.engine, err)
	}
	line, err := b.out.ReadBytes('\n')
	if err != nil {
		return bench.Build{}, fmt.Errorf("build %s: the worker stopped: %w", b.engine, b.wait(err))
	}
	var fig bench.Build
	if err := json.Unmarshal(line, &fig); err != nil {
		return bench.Build{}, fmt.Errorf("build %s: reading the build's figures: %w", b.engine, err)
	}
	if fig.Final {
		b.in.Close()
		if err := b.wait(nil); err != nil {
			return fig, fmt.Errorf("build %s: %w", b.engine, err)
		}
		fig.PeakRSS = max(fig.PeakRSS, bench.PeakRSS(b.cmd.ProcessState))
	}
	return fig, nil
}

func (b *builder) wait(err error) error {
	if werr := b.cmd.Wait(); werr != nil {
		return werr
	}
	return err
}

// benchCurve builds the three engines point by point, one at a time, and measures them at
// each point.
func benchCurve(ctx context.Context, out io.Writer, corpus, work string, sizes []int, paragraphs bool, opt bench.PointOptions) ([]bench.Point, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the workers on an error
	var builders []*builder
	for _, e := range []string{bench.EngineChancery, bench.EngineTuned, bench.EngineDefault} {
		b, err := startBuilder(ctx, e, corpus, work, sizes, paragraphs)
		if err != nil {
			return nil, err
		}
		builders = append(builders, b)
	}
	var points []bench.Point
	for range sizes {
		var builds []bench.Build
		for _, b := range builders {
			fmt.Fprintf(os.Stderr, "building %s…\n", b.engine)
			fig, err := b.next()
			if err != nil {
				return points, err
			}
			builds = append(builds, fig)
		}
		p, err := benchPoint(ctx, out, work, builds, opt)
		if err != nil {
			return points, err
		}
		points = append(points, p)
		if builds[0].Final {
			break
		}
	}
	return points, nil
}

// benchPoint opens the engines built in work and measures them.
func benchPoint(ctx context.Context, out io.Writer, work string, builds []bench.Build, opt bench.PointOptions) (bench.Point, error) {
	engines, closeAll, err := bench.Open(ctx, work)
	if err != nil {
		return bench.Point{}, err
	}
	defer closeAll()
	p := bench.Point{Builds: builds, Items: len(engines[0].(bench.Chancery).IDs)}
	if len(builds) > 0 {
		p.Items = builds[0].Items
	}
	p.Paragraphs = p.Items > bench.Statements
	err = bench.Measure(ctx, out, engines, &p, opt)
	return p, err
}

// benchWorker builds one engine, printing its figures as a JSON line at each point and
// going on when a line comes on its input (the child of startBuilder).
func benchWorker(ctx context.Context, engine, corpus, work string, sizes []int, paragraphs bool) error {
	in := bufio.NewReader(os.Stdin)
	wait := func() error {
		if _, err := in.ReadString('\n'); err != nil {
			return fmt.Errorf("bench: stopped before the build's end: %w", err)
		}
		return nil
	}
	if err := wait(); err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	opt := bench.BuildOptions{Paragraphs: paragraphs, Sizes: sizes, PeakRSS: bench.SelfPeakRSS,
		Checkpoint: func(b bench.Build) error {
			if err := enc.Encode(b); err != nil {
				return err
			}
			if b.Final {
				return nil
			}
			return wait()
		}}
	var err error
	switch engine {
	case bench.EngineChancery:
		_, err = bench.BuildChanceryAt(ctx, corpus, filepath.Join(work, bench.ChanceryDir), opt)
	case bench.EngineTuned:
		_, err = bench.BuildTunedAt(ctx, corpus, filepath.Join(work, bench.TunedDir), opt)
	case bench.EngineDefault:
		_, err = bench.BuildFTS5At(ctx, corpus, filepath.Join(work, bench.FTS5Dir), opt)
	default:
		err = fmt.Errorf("unknown engine %q", engine)
	}
	return err
}

// loadAverage is the first line of /proc/loadavg where there is one: how busy the machine
// was, for reading the timings.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
