package httpapi

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/ownership"
	"github.com/cipmap/cipmap/resolve"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

// MaxBodyBytes is the largest request body the server reads.
const MaxBodyBytes = 1 << 20

// Config is what a Server serves and how.
type Config struct {
	// Store is read for everything; required.
	Store cipmap.Store
	// Index builds the firm match index (reconciliation); it is called once, on
	// first use. Nil disables reconciliation (503).
	Index func(ctx context.Context) (*resolve.Index, error)
	// Ownership gives a view of the ownership graph today that answers about ids:
	// their owners and controllers up to the ultimate ones and, with down, what
	// they hold (ownership.Around gives one from the store; the view of the whole
	// graph answers too). It is called for each firm page and profile. Nil leaves
	// firms without ownership.
	Ownership func(ctx context.Context, ids []string, down bool) (*ownership.View, error)
	// Registry gives the code systems and crosswalks; nil means taxonomy.Default.
	Registry func(ctx context.Context) (*taxonomy.Registry, error)
	// Judge records reviewers' decisions as `cipmap review judge` does and returns
	// how many judgements are stored. Nil disables writes.
	Judge func(ctx context.Context, js []cipmap.Judgement) (int, error)
	// Ingest loads the dataset a mapping file describes, as `cipmap ingest` does
	// (ingest.RunFile). POST /api/v1/ingest calls it with an uploaded mapping
	// written into a fresh folder beside the files sent with it, and with
	// opts.Confine set. Nil disables ingest through the API (403).
	Ingest func(ctx context.Context, mapping string, opts ingest.Options) (*ingest.Summary, error)
	// MaxUpload bounds the body of POST /api/v1/ingest; 0 means DefaultMaxUpload.
	// Every other request is bounded by MaxBodyBytes.
	MaxUpload int64
	// TempDir holds uploads while they are ingested; "" means os.TempDir.
	TempDir string
	// Token is the bearer token writes need. "" disables writes (403).
	Token string
	// Now is the clock; nil means time.Now.
	Now cipmap.Clock
	// Logf logs server-side failures; nil means log.Printf.
	Logf func(format string, args ...any)
}

// Server is the HTTP handler of cipmap: API, reconciliation and web UI.
type Server struct {
	cfg    Config
	mux    *http.ServeMux
	routes []string // patterns, in registration order

	index    lazy[*resolve.Index]
	registry lazy[*taxonomy.Registry]
	tagger   lazy[*tagger.Tagger]

	// judging serialises writes: each judgement merges into the stored ones, and
	// an ingest holds it while it loads.
	judging sync.Mutex
	// uploads is the state of POST /api/v1/ingest (ingest.go).
	uploads uploads

	an analysis // sectors, trace, review (analysis.go)

	tablesMu sync.Mutex
	tables   map[string]bool // which tables the store has (hasTable)

	// Firms as firm pages and the firm API built them, and firm pages, until
	// the data changes.
	firms     *memo[firmKey, *Firm]
	firmPages *memo[pageKey, []byte]

	// gen counts the changes of the data through the server (dataChanged).
	gen atomic.Uint64
}

// memoSize is how many firms (each with each paging of its relations asked for)
// the server keeps, and as many firm pages: a firm with its statements and
// ownership view is some kilobytes to some tens, so at most a few hundred MB.
const memoSize = 10000

// New returns a Server on cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, cipmap.Errorf(cipmap.EINVALID, "httpapi: no store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Registry == nil {
		cfg.Registry = func(context.Context) (*taxonomy.Registry, error) { return taxonomy.Default() }
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(),
		firms: newMemo[firmKey, *Firm](memoSize, func(k firmKey) string {
			return strings.Join([]string{k.id, itoa(k.lq.Limit), itoa(k.lq.Offset), k.lq.Sort, k.lq.Channel, k.lq.Year, k.lq.Dataset}, "\x00")
		}),
		firmPages: newMemo[pageKey, []byte](memoSize, func(k pageKey) string { return k.path + "\x00" + k.query + "\x00" + k.lang })}
	s.index.load = cfg.Index
	s.registry.load = cfg.Registry
	s.refreshAfterJudgements()
	s.tagger.load = func(context.Context) (*tagger.Tagger, error) {
		std, err := ctt.Load()
		if err != nil {
			return nil, err
		}
		return tagger.New(std.Tags, tagger.Options{})
	}
	if err := s.routesInit(); err != nil {
		return nil, err
	}
	return s, nil
}

// handle registers h on pattern and remembers the pattern for the OpenAPI check.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.HandleFunc(pattern, h)
}

// Routes returns the patterns the server registered, "METHOD /path".
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

func (s *Server) routesInit() error {
	// JSON API.
	s.handle("GET /api/v1/openapi.json", s.apiOpenAPI)
	s.handle("GET /api/v1/search", s.apiSearch)
	s.handle("GET /api/v1/entities/{id}", s.apiEntity)
	s.handle("GET /api/v1/firms/{id}", s.apiFirm)
	s.handle("GET /api/v1/datasets", s.apiDatasets)
	s.handle("GET /api/v1/crosswalk", s.apiCrosswalk)
	s.handle("GET /api/v1/tag", s.apiTag)
	s.handle("POST /api/v1/judgements", s.requireToken(s.apiJudge))
	s.handle("POST "+ingestPath, s.requireToken(s.apiIngest))
	s.handle("/api/", s.apiNotFound)
	// Reconciliation.
	s.handle("GET /reconcile", s.reconcile)
	s.handle("POST /reconcile", s.reconcile)
	// Web UI.
	s.handle("GET /{$}", s.uiHome)
	s.handle("GET /search", s.uiSearch)
	s.handle("GET /firms/{id}", s.uiFirm)
	s.handle("GET /entities/{id}", s.uiEntity)
	s.handle("GET /static/", s.uiStatic)
	s.routesEntities()
	s.routesAnalysis()
	return parseTemplates()
}

// ServeHTTP adds the safety headers, limits the body and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r))
	}
	s.mux.ServeHTTP(w, r)
}

// NewHTTPServer returns an http.Server for h on addr with limits on header size and
// timeouts on every phase, so a slow or hostile client cannot hold a connection.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// Error codes of the HTTP layer besides cipmap's.
const (
	eUnauthorized = "unauthorized"
	eForbidden    = "forbidden"
	eUnavailable  = "unavailable"
)

// StatusOf maps a cipmap error code to an HTTP status, as the CLI maps it to an
// exit code.
func StatusOf(code string) int {
	switch code {
	case "":
		return http.StatusOK
	case cipmap.EINVALID:
		return http.StatusBadRequest
	case cipmap.ENOTFOUND:
		return http.StatusNotFound
	case cipmap.ECONFLICT:
		return http.StatusConflict
	case cipmap.ELOCKED, eUnavailable:
		return http.StatusServiceUnavailable
	case cipmap.EREADONLY, eForbidden:
		return http.StatusForbidden
	case eUnauthorized:
		return http.StatusUnauthorized
	case cipmap.EUNCHANGED:
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON of every API error.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := cipmap.ErrorCode(err)
	msg := cipmap.ErrorMessage(err)
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb):
		code, msg = cipmap.EINVALID, "request body larger than "+byteSize(mb.Limit)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		code = eUnavailable
	}
	status := StatusOf(code)
	if status == http.StatusInternalServerError {
		s.cfg.Logf("%s %s: %v", r.Method, r.URL.Path, err)
		msg = "internal error; see the server's log"
	}
	if errors.As(err, &mb) {
		status = http.StatusRequestEntityTooLarge
	}
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	writeJSONStatus(w, status, b)
}

func writeJSON(w http.ResponseWriter, v any) { writeJSONStatus(w, http.StatusOK, v) }

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	// Compact: indenting cost a seventh of a search's time at a million firms
	// (jq or a browser's viewer indents for a reader).
	json.NewEncoder(w).Encode(v)
}

// requireToken lets a write through only with the configured bearer token.
func (s *Server) requireToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Token == "" || s.cfg.Judge == nil {
			s.writeError(w, r, &cipmap.Error{Code: eForbidden, Message: "writes are disabled: start cipmap serve with CIPMAP_TOKEN set to enable them"})
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.cfg.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="cipmap"`)
			s.writeError(w, r, &cipmap.Error{Code: eUnauthorized, Message: "this request writes: send Authorization: Bearer $CIPMAP_TOKEN"})
			return
		}
		h(w, r)
	}
}

// lazy builds a value once, on first use; a failed build is retried next time, and
// reset makes the next use build it anew.
type lazy[T any] struct {
	load func(ctx context.Context) (T, error)
	mu   sync.Mutex
	done bool
	v    T
	// gen counts resets; built is the gen the value was built in. A build that a
	// reset overtakes is used by the requests that waited for it, then dropped.
	gen   atomic.Uint64
	built uint64
}

// reset drops the value without waiting for a build under way.
func (l *lazy[T]) reset() { l.gen.Add(1) }

func (l *lazy[T]) get(ctx context.Context) (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	gen := l.gen.Load()
	if l.done && l.built == gen {
		return l.v, nil
	}
	var zero T
	if l.load == nil {
		return zero, &cipmap.Error{Code: eUnavailable, Message: "not available on this server"}
	}
	// Built with a context of its own: a client that goes away must not leave the
	// index half-built for everyone.
	v, err := l.load(context.WithoutCancel(ctx))
	if err != nil {
		return zero, err
	}
	l.v, l.done, l.built = v, true, gen
	return v, nil
}
