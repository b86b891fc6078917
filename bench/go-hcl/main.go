// Command go-hcl-parse is the benchmark's comparator: it parses every .tf file under a directory
// with HashiCorp's Go HCL parser (github.com/hashicorp/hcl/v2/hclsyntax, the parser Terraform and
// tflint use) on N worker goroutines, and prints how many files and bytes it parsed and how long
// it took. It does nothing with the syntax trees: it measures parsing alone, so that cxlint's whole
// run can be compared with the parse step of the Go tool chain on the same files.
//
// Usage: go-hcl-parse [-workers N] [-quiet] DIR
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func main() {
	workers := flag.Int("workers", 2, "number of parser goroutines")
	quiet := flag.Bool("quiet", false, "print nothing on success (for timing with hyperfine)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: %s [-workers N] [-quiet] DIR\n", filepath.Base(os.Args[0]))
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *workers < 1 {
		flag.Usage()
		os.Exit(2)
	}
	root := flag.Arg(0)
	runtime.GOMAXPROCS(*workers)

	start := time.Now()
	// Walk first, then parse: the walk is cheap and a fixed list lets the workers share it evenly.
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".tf") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: walking %s: %v\n", root, err)
		os.Exit(2)
	}

	var next, bytes, diags, failed int64
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1) - 1
				if i >= int64(len(files)) {
					return
				}
				src, err := os.ReadFile(files[i])
				if err != nil {
					fmt.Fprintf(os.Stderr, "error: reading %s: %v\n", files[i], err)
					atomic.AddInt64(&failed, 1)
					continue
				}
				atomic.AddInt64(&bytes, int64(len(src)))
				_, d := hclsyntax.ParseConfig(src, files[i], hcl.Pos{Line: 1, Column: 1, Byte: 0})
				if d.HasErrors() {
					atomic.AddInt64(&diags, int64(len(d)))
					atomic.AddInt64(&failed, 1)
					fmt.Fprintf(os.Stderr, "%s\n", d.Error())
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()

	if !*quiet || failed > 0 {
		mb := float64(bytes) / 1e6
		fmt.Printf("files=%d bytes=%d parse_errors=%d workers=%d elapsed_s=%.3f mb_per_s=%.1f\n",
			len(files), bytes, diags, *workers, elapsed, mb/elapsed)
	}
	if failed > 0 {
		os.Exit(1)
	}
}
