package bench_test

import (
	"context"
	"os"
	"testing"

	"chancery/cmd/chancery/bench"
)

// BenchmarkQuerySet runs the whole query set on Chancery's engine, as the search screen
// asks (top 10, snippets, facets), for profiling. Point it at a work folder that
// `chancery bench --work DIR` built:
//
//	CHANCERY_BENCH_WORK=/tmp/bench go test -run '^$' -bench QuerySet -cpuprofile cpu.prof ./cmd/chancery/bench/
func BenchmarkQuerySet(b *testing.B) {
	work := os.Getenv("CHANCERY_BENCH_WORK")
	if work == "" {
		b.Skip("set CHANCERY_BENCH_WORK to a folder built by chancery bench --work")
	}
	ctx := context.Background()
	engines, closeAll, err := bench.Open(ctx, work)
	if err != nil {
		b.Fatal(err)
	}
	defer closeAll()
	qs := bench.Queries()
	for _, class := range bench.Classes {
		b.Run(class, func(b *testing.B) {
			for b.Loop() {
				for _, q := range qs {
					if q.Class != class {
						continue
					}
					if _, err := engines[0].Search(ctx, q.Text, 10, true); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
