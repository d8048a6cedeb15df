package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"chancery/cmd/chancery/bench"
)

func benchCmd() *cobra.Command {
	var (
		corpus, work, only, worker string
		rounds                     int
		rebuild, detail            bool
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure search against SQLite FTS5 on the UN General Debate corpus: speed, size, memory, relevance",
		Long: `Measure Chancery's search against its peer, a plain SQLite FTS5 table, in one run.

Both are built from the UN General Debate corpus (10,952 statements): Chancery through its own
store and index, as "chancery import" does; FTS5 with the same titles and texts. Each is built
in a process of its own, so that its peak memory is its own. Then:

  index      items/s, total time, size on disk and peak memory of each, with the ratio;
  latency    p50/p95/p99 of the top 10 with highlighted snippets, by query class, for the
             committed query set (cmd/chancery/bench/queries.txt), without and with facets;
  typing     the time of each keystroke's results when the queries are typed a letter at a time;
  relevance  precision@5 and recall@20 over the committed judgements (cmd/chancery/bench/judgements.json).

The figures are measured, never asserted. With --work the built indexes are kept there and used
again by the next run (--rebuild builds them anew).`,
		Example: "  chancery bench --corpus ../shared/corpora/ungd/ungd-1946-2024.jsonl.gz\n" +
			"  chancery bench --work /tmp/bench --only relevance --detail",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if worker != "" {
				return benchWorker(ctx, worker, corpus, work)
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
			}
			built := exists(filepath.Join(work, bench.ChanceryDir, "index")) && exists(filepath.Join(work, bench.FTS5Dir))
			if want("index") || rebuild || !built {
				if err := bench.CheckCorpus(corpus); err != nil {
					return err
				}
				var builds [2]bench.Build
				for i, engine := range []string{"chancery", "fts5"} {
					fmt.Fprintf(os.Stderr, "building %s from %s…\n", engine, corpus)
					b, err := spawnBuild(ctx, engine, corpus, work)
					if err != nil {
						return fmt.Errorf("build %s: %w", engine, err)
					}
					builds[i] = b
				}
				bench.Rule(os.Stdout, "Indexing")
				bench.PrintBuilds(os.Stdout, builds[0], builds[1])
			}
			engines, closeAll, err := bench.Open(ctx, work)
			if err != nil {
				return err
			}
			defer closeAll()
			return bench.Report(ctx, os.Stdout, engines, bench.ReportOptions{
				Latency: want("latency"), Typing: want("typing"), Relevance: want("relevance"),
				Rounds: rounds, Detail: detail,
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&corpus, "corpus", defaultCorpus(), "the UN General Debate corpus file (or $CHANCERY_CORPUS)")
	f.StringVar(&work, "work", "", "keep the built indexes in this folder and use them again (default: a temporary folder)")
	f.StringVar(&only, "only", "index,latency,typing,relevance", "the parts to run, comma-separated")
	f.IntVar(&rounds, "rounds", 5, "times each query is run for the latency tables, after one round to warm up")
	f.BoolVar(&rebuild, "rebuild", false, "build the indexes again even when --work holds them")
	f.BoolVar(&detail, "detail", false, "list each judged query's figures")
	f.StringVar(&worker, "build-worker", "", "")
	_ = f.MarkHidden("build-worker")
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

// spawnBuild builds one engine in a child process of this binary, so that the peak memory
// measured is that engine's own.
func spawnBuild(ctx context.Context, engine, corpus, work string) (bench.Build, error) {
	exe, err := os.Executable()
	if err != nil {
		return bench.Build{}, err
	}
	c := exec.CommandContext(ctx, exe, "bench", "--build-worker", engine, "--corpus", corpus, "--work", work)
	c.Stderr = os.Stderr
	out, err := c.Output()
	if err != nil {
		return bench.Build{}, err
	}
	var b bench.Build
	if err := json.Unmarshal(out, &b); err != nil {
		return bench.Build{}, fmt.Errorf("reading the build's figures: %w", err)
	}
	b.PeakRSS = peakRSS(c.ProcessState)
	return b, nil
}

// benchWorker builds one engine and prints its figures as JSON (the child of spawnBuild).
func benchWorker(ctx context.Context, engine, corpus, work string) error {
	var b bench.Build
	var err error
	switch engine {
	case "chancery":
		b, err = bench.BuildChancery(ctx, corpus, filepath.Join(work, bench.ChanceryDir))
	case "fts5":
		b, err = bench.BuildFTS5(ctx, corpus, filepath.Join(work, bench.FTS5Dir))
	default:
		err = fmt.Errorf("unknown engine %q", engine)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(b)
}
