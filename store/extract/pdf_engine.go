package extract

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// The PDF engine is PDFium compiled to WebAssembly (shipped inside go-pdfium) and run by
// wazero, so no C toolchain is needed. There are PDFEngines engines (one per core, at most
// two), each one instance kept and reused from file to file and started on first use; each
// reads one file at a time, and they share the compiled code.
//
// Limits are enforced like this:
//   - memory: the wazero runtime caps the instance's linear memory at Limits.Memory (in 64 KiB
//     pages). When PDFium cannot grow its heap it fails; the file is refused as too large. A
//     runtime is tied to one cap, so a call with another Limits.Memory starts a new runtime
//     (the compiled code is shared through an in-memory compilation cache).
//   - time: the runtime is configured to close a module when its context is done; when the
//     file's deadline passes, the worker is killed and the next file gets a fresh instance.
//   - linear memory never shrinks, so an instance that grew past recycleBytes is dropped after
//     its file and a fresh one is started for the next.
var pdfEngines = newPDFEngineSet(min(runtime.NumCPU(), 2))

// pdfEngine is the first engine, which the benchmarks look into.
var pdfEngine = pdfEngines.all[0]

// PDFEngines is how many PDFs can be read at once; a caller that reads more at a time makes
// them wait for an engine, and the wait counts against their time limit.
func PDFEngines() int { return len(pdfEngines.all) }

// pdfEngineSet hands out engines that are not in use.
type pdfEngineSet struct {
	free chan *pdfPool
	all  []*pdfPool
}

func newPDFEngineSet(n int) *pdfEngineSet {
	s := &pdfEngineSet{free: make(chan *pdfPool, n)}
	for range n {
		p := &pdfPool{slot: make(chan struct{}, 1)}
		s.all = append(s.all, p)
		s.free <- p
	}
	return s
}

// acquire waits for a free engine (or ctx) and returns it with a worker running under
// lim.Memory.
func (s *pdfEngineSet) acquire(ctx context.Context, lim Limits) (*pdfPool, *pdfWorker, error) {
	var p *pdfPool
	select {
	case p = <-s.free:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	w, err := p.acquire(ctx, lim)
	if err != nil {
		s.free <- p
		return nil, nil, err
	}
	return p, w, nil
}

// release gives the worker back to its engine, and the engine back to the set.
func (s *pdfEngineSet) release(p *pdfPool, w *pdfWorker, err error, killed bool, lim Limits) {
	p.release(w, err, killed, lim)
	s.free <- p
}

// sharedCache is PDFium's machine code, shared by every engine's runtimes.
var sharedCache struct {
	sync.Mutex
	c wazero.CompilationCache
}

func pdfCache() wazero.CompilationCache {
	sharedCache.Lock()
	defer sharedCache.Unlock()
	if sharedCache.c == nil {
		sharedCache.c = compilationCache()
	}
	return sharedCache.c
}

const (
	wasmPage     = 64 << 10
	recycleBytes = 128 << 20
)

type pdfPool struct {
	slot chan struct{} // held while a file is being read; guards the fields below

	pool  pdfium.Pool // guarded by slot
	pages uint32      // the memory cap of pool, in wasm pages
	idle  *pdfWorker  // the instance kept between files
}

type pdfWorker struct {
	inst     pdfium.Pdfium
	mod      api.Module // the instance's WebAssembly module, to read its memory size; may be nil
	capBytes int64
	killOnce sync.Once
}

// acquire waits for the engine (or ctx) and returns a worker running under lim.Memory.
func (p *pdfPool) acquire(ctx context.Context, lim Limits) (*pdfWorker, error) {
	select {
	case p.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	w, err := p.worker(ctx, lim)
	if err != nil {
		<-p.slot
		return nil, err
	}
	return w, nil
}

func (p *pdfPool) worker(ctx context.Context, lim Limits) (*pdfWorker, error) {
	pages := memoryPages(lim.Memory)
	if p.pool != nil && p.pages != pages {
		p.dropIdle()
		p.pool.Close()
		p.pool = nil
	}
	if p.pool == nil {
		pool, err := webassembly.Init(webassembly.Config{
			MinIdle:      0,
			MaxIdle:      1,
			MaxTotal:     1,
			ReuseWorkers: true,
			FSConfig:     wazero.NewFSConfig(), // no access to the host's files
			Stdout:       io.Discard,
			Stderr:       io.Discard,
			RuntimeConfig: wazero.NewRuntimeConfig().
				WithCloseOnContextDone(true).
				WithMemoryLimitPages(pages).
				WithCompilationCache(pdfCache()),
		})
		if err != nil {
			return nil, err
		}
		p.pool, p.pages = pool, pages
	}
	if p.idle != nil {
		w := p.idle
		p.idle = nil
		return w, nil
	}
	inst, err := p.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return nil, err
	}
	return &pdfWorker{inst: inst, mod: moduleOf(inst), capBytes: int64(pages) * wasmPage}, nil
}

// release gives the worker back after a file. A worker that was killed, that failed with
// something other than PDFium's own error codes (a trap, an exhausted heap), or that grew
// large is not kept.
func (p *pdfPool) release(w *pdfWorker, err error, killed bool, lim Limits) {
	defer func() { <-p.slot }()
	keep := !killed && (err == nil || isPdfiumCode(err)) && w.memorySize() < recycleBytes
	if keep {
		p.idle = w
		return
	}
	w.kill()
}

func (p *pdfPool) dropIdle() {
	if p.idle != nil {
		p.idle.kill()
		p.idle = nil
	}
}

// WarmUpPDF starts the PDF engine ahead of the first PDF. Compiling PDFium takes seconds (5 s
// on a quiet two-core machine, far more on a busy one), and without this the first PDF read
// pays for it within its time limit. Calling it is optional; it returns at once when the
// engine is running.
func WarmUpPDF(ctx context.Context) error {
	// Every engine: the first compiles PDFium, the others start from the shared code.
	for range pdfEngines.all {
		p, w, err := pdfEngines.acquire(ctx, DefaultLimits)
		if err != nil {
			return err
		}
		defer pdfEngines.release(p, w, nil, false, DefaultLimits)
	}
	return nil
}

// pdfStart starts the engine with lim's memory cap, if it is not running, and reports how long
// that took. It is used by the benchmarks to measure the start cost.
func pdfStart(ctx context.Context, lim Limits) (time.Duration, error) {
	start := time.Now()
	p, w, err := pdfEngines.acquire(ctx, lim.withDefaults())
	if err != nil {
		return 0, err
	}
	pdfEngines.release(p, w, nil, false, lim)
	return time.Since(start), nil
}

// pdfStop closes the engine; the next file starts it again. The compiled code is kept unless
// forget is set. It is used by the benchmarks.
func pdfStop(forget bool) {
	for _, p := range pdfEngines.all {
		p.slot <- struct{}{}
		p.dropIdle()
		if p.pool != nil {
			p.pool.Close()
			p.pool = nil
		}
		<-p.slot
	}
	sharedCache.Lock()
	defer sharedCache.Unlock()
	if forget && sharedCache.c != nil {
		sharedCache.c.Close(context.Background())
		sharedCache.c = nil
	}
}

// interrupt stops the worker's running call from another goroutine. It closes the wazero
// module, which wazero documents as safe during a call when WithCloseOnContextDone is set,
// and leaves go-pdfium's own state to kill (go-pdfium's Kill writes fields its methods read
// without a lock; the race detector flags it when called during a call).
func (w *pdfWorker) interrupt() {
	if w.mod == nil {
		w.kill()
		return
	}
	_ = w.mod.CloseWithExitCode(context.Background(), 1)
}

// kill drops the instance; call it only from the goroutine that uses the worker.
func (w *pdfWorker) kill() {
	w.killOnce.Do(func() { _ = w.inst.Kill() })
}

// memorySize is the size of the instance's linear memory in bytes (0 if unknown).
func (w *pdfWorker) memorySize() (n int64) {
	if w.mod == nil {
		return 0
	}
	defer func() {
		if recover() != nil {
			n = 0
		}
	}()
	if m := w.mod.Memory(); m != nil {
		return int64(m.Size())
	}
	return 0
}

// memoryExhausted says whether the instance's memory is close enough to its cap that a
// failure was most likely an allocation that did not fit.
func (w *pdfWorker) memoryExhausted(lim Limits) bool {
	return w.memorySize() >= w.capBytes-w.capBytes/4
}

// checkMemory refuses the file once the instance has used up its memory cap.
func (w *pdfWorker) checkMemory(lim Limits) error {
	if w.memorySize() >= w.capBytes-wasmPage*16 {
		return refuse("too large to read within the memory limit (%d MB)", lim.Memory>>20)
	}
	return nil
}

func isPdfiumCode(err error) bool {
	for _, e := range []error{pdfiumerrors.ErrPassword, pdfiumerrors.ErrSecurity, pdfiumerrors.ErrFormat, pdfiumerrors.ErrFile, pdfiumerrors.ErrPage, pdfiumerrors.ErrUnknown} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func memoryPages(limit int64) uint32 {
	pages := limit / wasmPage
	if pages < 1 {
		pages = 1
	}
	if pages > 65536 {
		pages = 65536
	}
	return uint32(pages)
}

// moduleOf finds the wazero module behind a go-pdfium instance. go-pdfium keeps it in an
// exported field of an internal type, so it is reached by reflection; nil when not found.
func moduleOf(inst pdfium.Pdfium) api.Module {
	v := reflect.ValueOf(inst.GetImplementation())
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("Module")
	if !f.IsValid() || !f.CanInterface() {
		return nil
	}
	m, _ := f.Interface().(api.Module)
	return m
}

// compilationCache keeps PDFium's machine code in the user's cache directory
// (~/.cache/chancery/pdfium-wasm on Linux), so that only the first start after an install or
// upgrade pays for compiling it; wazero names its entries by its own version and the module's
// hash. Where there is no usable cache directory the code is kept in memory only.
func compilationCache() wazero.CompilationCache {
	if dir, err := os.UserCacheDir(); err == nil {
		if c, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "chancery", "pdfium-wasm")); err == nil {
			return c
		}
	}
	return wazero.NewCompilationCache()
}
