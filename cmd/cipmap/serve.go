package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/httpapi"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/ownership"
	"github.com/cipmap/cipmap/resolve"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/taxonomy"
)

// ServeCommand serves the JSON API, the reconciliation service and the web UI.
type ServeCommand struct{ m *Main }

const serveHelp = `Usage: cipmap serve [--addr 127.0.0.1:8080] [--db PATH|postgres://...] [--max-upload MIB]
                    [--copy=false] [--graph=false] [--sectors=false]

Serves the database over HTTP from this one binary, with no network needed:
  /                    a web UI in Chinese and English (?lang=zh|en): what the
                       database holds, search, firm pages with names, statements
                       and their sources, ownership up and down, staff, flows
                       received, designations and patents; pages of persons,
                       funds (government capital looked through), government
                       bodies, policies and programs; /graph/{id}, an entity's
                       ownership and funding neighbourhood as a drawing;
                       /tags and /sectors/TAG (sector profiles with SVG charts and
                       their data as CSV, /sectors/compare?tag=A&tag=B), /crosswalk,
                       /trace?from=..., /path?a=...&b=..., /review (the review
                       queue; sign in at /signin with the token to judge pairs)
  /api/v1/...          a JSON API, described at /api/v1/openapi.json
  /reconcile           an OpenRefine reconciliation service for firms (API v0.2)
The server listens on loopback by default. The database is opened read-only, unless
CIPMAP_TOKEN is set: then POST /api/v1/judgements records review decisions (as
'cipmap review judge') for requests with "Authorization: Bearer $CIPMAP_TOKEN" and
refuses others with 401, and the review page records decisions after signing in
with the token at /signin. Without a token every write is refused (403).

Ingest through the API (with CIPMAP_TOKEN set): POST /api/v1/ingest takes the
mapping as the part "mapping" and each source file as a part named by the file
name the mapping gives (plain names: no folders, no "..", no absolute paths):
  curl -H "Authorization: Bearer $CIPMAP_TOKEN" -F mapping=@m.yaml \
       -F data.csv=@data.csv http://127.0.0.1:8080/api/v1/ingest
It runs as 'cipmap ingest m.yaml' would, in a fresh folder holding only the files
sent (so the mapping's source paths must be bare file names or globs such as
*.csv; edit paths like ../data/x.csv before sending), and answers with the load's summary as JSON (dataset, version, rows,
rejects, statements added and removed); a bad mapping or bad values give 400 with
each bad value's file:line:column, and nothing is written. Add -F on_error=skip to
load the good rows (the rejected ones are listed in the answer) and -F force=true
to write the same content again. The body may be up to --max-upload MiB. One
ingest runs at a time: another sent meanwhile gets 409 Conflict at once; send it
again later. Requests served during an ingest see the data from before it or
after it, never half a dataset; after an ingest or a review decision the match
index and sector profiles are rebuilt on their next use, and the ownership graph
is loaded again in the background.

On a read-only DuckDB file the server builds in the background, one after the
other, what it then answers from memory (each ready in turn; meanwhile every
page is answered from the database, the same answers more slowly):
  1. the search index (about a minute and 2.3 GB at a million firms);
  2. with --copy (the default), a copy of every entity's statements, edges and
     patent facts (about two minutes and 5 GB), so that a page makes no query;
  3. with --graph (the default), the whole ownership graph (about a minute and
     2.2 GB): firm pages and sector profiles look through ownership from memory,
     where they read each firm's neighbourhood otherwise (a sector of 300,000
     firms took half a minute);
  4. with --sectors (the default), the facts of every firm in some sector
     (revenue by year, flows, programs; about 20 s), then the profile of every
     CTT tag, the most used first, so that a sector page answers at once; the
     largest sectors' firms and patents by year are kept (up to 1 GB), so a
     profile for other years (?from=2016) is computed in well under a second.
With CIPMAP_TOKEN set, or on PostgreSQL, only the graph and the profiles are
built (the data may change); they are built again after each write.
Memory: about 15 GB at a million firms with everything on; --copy=false,
--graph=false and --sectors=false each give some back for slower pages.

A DuckDB file can be open in one process only: while the server holds it, ingest
through the API, or stop the server to run 'cipmap ingest'.
在本机提供网页界面、JSON API 与 OpenRefine 企业对齐服务；写操作（审核、通过
POST /api/v1/ingest 导入数据）需 CIPMAP_TOKEN。

Examples:
  cipmap serve
  cipmap serve --addr 127.0.0.1:9000 --db demo.duckdb
  CIPMAP_TOKEN=$(openssl rand -hex 16) cipmap serve --addr 0.0.0.0:8080
  CIPMAP_TOKEN=$(openssl rand -hex 16) cipmap serve --max-upload 1024`

func (c *ServeCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("serve", serveHelp)
	var f dbFlags
	c.m.addDBFlag(fs, &f)
	addr := fs.String("addr", "127.0.0.1:8080", "the address to listen on; loopback unless you mean to share")
	var o serveOptions
	fs.BoolVar(&o.graph, "graph", true, "load the whole ownership graph into memory in the background (about a minute and 2.5 GB at a million firms); firm pages and sectors look through each firm's neighbourhood until it is loaded, and always with --graph=false")
	fs.BoolVar(&o.sectors, "sectors", true, "once the ownership graph is loaded, build the profile of every CTT tag in the background (the most used first; a few minutes at a million firms), so that sector pages answer from memory, and keep the firms' facts and the largest sectors' bases, so that other years are computed from them; without it each profile is built when first asked for (1 to 5 s at a million firms)")
	fs.BoolVar(&o.copy, "copy", true, "copy every entity's statements, edges and patent facts into memory in the background, on a read-only DuckDB file (about 3 minutes and 5 GB at a million firms); pages read them from the database until it is made, and always with --copy=false")
	maxUpload := fs.Int64("max-upload", httpapi.DefaultMaxUpload>>20, "the largest body of POST /api/v1/ingest, in MiB (other requests: 1 MiB)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *maxUpload <= 0 || *maxUpload > 1<<20 {
		return cipmap.Errorf(cipmap.EINVALID, "--max-upload %d: want a size in MiB, from 1 to 1048576", *maxUpload)
	}
	h, _, err := c.handler(ctx, f.db, *maxUpload<<20, o)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return cipmap.WrapError(cipmap.EINVALID, err, "--addr %s", *addr)
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(c.m.Stderr, "warning: listening on %s, reachable from other machines\n", host)
	}
	if c.m.Getenv("CIPMAP_TOKEN") == "" {
		fmt.Fprintln(c.m.Stderr, "writes disabled: set CIPMAP_TOKEN to record review decisions and ingest through the API")
	}
	srv := httpapi.NewHTTPServer(*addr, h)
	fmt.Fprintf(c.m.Stdout, "cipmap serving %s at http://%s/\n", f.db, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		if e := <-done; err == nil && !errors.Is(e, http.ErrServerClosed) {
			err = e
		}
		return err
	}
}

// serveOptions are what the server holds in memory besides the search index.
type serveOptions struct {
	graph   bool // the whole ownership graph
	copy    bool // the point copy of a read-only DuckDB file
	sectors bool // every tag's sector profile, after the graph
}

// handler opens the store (read-only unless writes are enabled by CIPMAP_TOKEN) and
// returns the server over it, wired to the loaders the CLI uses, and the whole
// ownership graph it loads with o.graph.
func (c *ServeCommand) handler(ctx context.Context, db string, maxUpload int64, o serveOptions) (*httpapi.Server, *wholeGraph, error) {
	graph := o.graph
	token := c.m.Getenv("CIPMAP_TOKEN")
	st, err := c.m.openStore(ctx, db, token == "")
	if err != nil {
		return nil, nil, err
	}
	var served cipmap.Store = st
	if v := c.m.Getenv("CIPMAP_DEBUG_SQL"); v != "" {
		served = debugStore{st, c.m.Stderr, v == "full"}
	}
	logf := func(format string, args ...any) { fmt.Fprintf(c.m.Stderr, format+"\n", args...) }
	whole := newWholeGraph(st, c.m.Now, logf)
	load := func() {
		if graph {
			whole.start(ctx)
		}
	}
	// Search from memory, on a read-only file only (with a token, ingest through
	// the API changes what there is to find), and with o.copy every entity's
	// statements, edges and facts. They are built in the background: until
	// each is ready, reads run their SQL, so the server answers at once. The
	// whole ownership graph is loaded after them, so that they do not share the
	// cores: at a million firms each takes both for a minute or more.
	if ix, ok := st.(interface {
		BuildSearchIndex(context.Context) (time.Duration, error)
		BuildPointCopy(context.Context) (duckdb.PointCopyInfo, error)
	}); ok && token == "" {
		go func() {
			defer load()
			bctx := context.WithoutCancel(ctx)
			d, err := ix.BuildSearchIndex(bctx)
			if err != nil {
				logf("search index not built (search scans the statements): %v", err)
			} else {
				logf("search index built in %.1f s", d.Seconds())
			}
			if !o.copy {
				return
			}
			info, err := ix.BuildPointCopy(bctx)
			if err != nil {
				logf("no copy in memory (pages read the database): %v", err)
				return
			}
			logf("copy in memory %s", info)
			// The copy, the search index and the graph are gigabytes that hold
			// no pointers: a collection costs little whatever their size, but
			// by default the heap may grow to twice what is live before one.
			// At a million firms the server then grew to 21 GB; collect when
			// it has grown by a quarter instead, unless GOGC says otherwise.
			if info.Bytes > 1<<30 && c.m.Getenv("GOGC") == "" {
				debug.SetGCPercent(25)
			}
		}()
	} else {
		load()
	}
	cfg := httpapi.Config{
		Store: served,
		Token: token,
		Now:   c.m.Now,
		Index: func(ctx context.Context) (*resolve.Index, error) { return loadIndex(ctx, st) },
		Ownership: func(ctx context.Context, ids []string, down bool) (*ownership.View, error) {
			day := ownership.FromTime(c.m.Now())
			if v := whole.on(day); v != nil {
				return v, nil
			}
			n, err := ownership.Around(ctx, served, ids, day, ownership.DefaultOptions(), down)
			if err != nil {
				return nil, err
			}
			return n.View, nil
		},
		Registry:  func(ctx context.Context) (*taxonomy.Registry, error) { return c.m.registry(ctx, db) },
		Logf:      logf,
		MaxUpload: maxUpload,
	}
	if token != "" {
		// After a write, the lookup tables the load left stale are rebuilt, so
		// pages read by key again. A failure is logged and not the write's:
		// pages read the tables' sources meanwhile, and Close tries again.
		refresh := func(ctx context.Context) error {
			if r, ok := st.(interface{ RefreshLookups(context.Context) error }); ok {
				if err := r.RefreshLookups(ctx); err != nil {
					log.Printf("cipmap serve: rebuild the lookup tables: %v", err)
				}
			}
			if graph {
				whole.changed(ctx)
			}
			return nil
		}
		cfg.Judge = func(ctx context.Context, js []cipmap.Judgement) (int, error) {
			n, err := addJudgements(ctx, st, js, "cipmap serve")
			if err == nil {
				err = refresh(ctx)
			}
			return n, err
		}
		cfg.Ingest = func(ctx context.Context, mapping string, opts ingest.Options) (*ingest.Summary, error) {
			schemas, err := schema.Load()
			if err != nil {
				return nil, err
			}
			sum, err := ingest.RunFile(ctx, st, mapping, schemas, opts)
			if err == nil {
				err = refresh(ctx)
			}
			return sum, err
		}
	}
	h, err := httpapi.New(cfg)
	if err == nil && o.sectors {
		whole.setOnLoad(func() {
			begin := time.Now()
			n, err := h.WarmSectors(context.WithoutCancel(ctx))
			if err != nil {
				logf("sector profiles: %d built in %.1f s, then: %v", n, time.Since(begin).Seconds(), err)
				return
			}
			facts, bases, bytes := h.SectorMemory()
			logf("sector profiles built in %.1f s: %d tags; facts of %d firms, %d sectors' bases kept (%.0f MB)",
				time.Since(begin).Seconds(), n, facts, bases, float64(bytes)/1e6)
		})
	}
	return h, whole, err
}
