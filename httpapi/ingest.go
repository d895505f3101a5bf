package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ingest"
)

// Ingest through the API: POST /api/v1/ingest takes a multipart/form-data body with
// a part "mapping" (the YAML) and one part per source file, named by the file name
// the mapping gives (data.csv, not dir/data.csv). The parts are written into a
// fresh folder, which is removed afterwards, and the mapping runs there as
// `cipmap ingest` runs it, confined to that folder. One ingest runs at a time: a
// second one gets 409 at once. Judgements sent meanwhile wait for the load.
// Requests served meanwhile see the data as it was before the ingest or as it is
// after, never half of it: the store loads a version in one transaction.
//
// After a write (an ingest or a judgement) the server drops what it built from the
// data (match index, ownership view, registry, sector profiles): the next request
// builds it anew.

// DefaultMaxUpload is the largest body POST /api/v1/ingest reads unless
// Config.MaxUpload says otherwise.
const DefaultMaxUpload = 256 << 20

const (
	ingestPath = "/api/v1/ingest"
	// maxMappingBytes bounds the mapping part.
	maxMappingBytes = 1 << 20
	// ingestTimeout bounds reading an upload and loading it, in place of the
	// server's short read and write timeouts.
	ingestTimeout = 30 * time.Minute
)

// uploads is the state of POST /api/v1/ingest.
type uploads struct {
	// running is held by the one ingest that runs.
	running sync.Mutex
}

// IngestResult is the answer to POST /api/v1/ingest: what `cipmap ingest --format
// json` reports, and whether the dataset was loaded, replaced or found unchanged.
type IngestResult struct {
	Status string `json:"status"`
	*ingest.Summary
}

// ingestErrorBody is an ingest's error: the error, and for bad values each one
// with its file, line and column, as `cipmap ingest` prints them.
type ingestErrorBody struct {
	errorBody
	Errors     []string `json:"errors,omitempty"`
	ErrorCount int64    `json:"error_count,omitempty"`
}

// bodyLimit is the most of r's body the server reads.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && r.URL.Path == ingestPath {
		if s.cfg.MaxUpload > 0 {
			return s.cfg.MaxUpload
		}
		return DefaultMaxUpload
	}
	return MaxBodyBytes
}

// byteSize writes n bytes for people: 1 MiB, 256 MiB, 1.5 GiB, 100 bytes.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// refreshAfterJudgements makes every judgement recorded through the server drop
// what was built from the data, as an ingest does.
func (s *Server) refreshAfterJudgements() {
	judge := s.cfg.Judge
	if judge == nil {
		return
	}
	s.cfg.Judge = func(ctx context.Context, js []cipmap.Judgement) (int, error) {
		n, err := judge(ctx, js)
		if err == nil {
			s.dataChanged()
		}
		return n, err
	}
}

// dataChanged drops everything the server built from the data, after a write: the
// next request builds it anew from the store. Builds under way finish for the
// requests waiting on them and are not kept.
func (s *Server) dataChanged() {
	s.gen.Add(1)
	s.index.reset()
	s.registry.reset()
	s.firms.reset()
	s.firmPages.reset()
	s.tablesMu.Lock()
	s.tables = nil
	s.tablesMu.Unlock()
	s.an.mu.Lock()
	s.an.sectors, s.an.facts, s.an.bases, s.an.basisBytes = nil, nil, nil, 0
	s.an.mu.Unlock()
}

// uploadName checks the name of an uploaded file: a plain file name, nothing that
// could point outside the upload's folder.
func uploadName(name string) error {
	switch {
	case name == "", name == ".", name == "..":
		return cipmap.Errorf(cipmap.EINVALID, "part %q: name each source file part by its file name, as the mapping gives it", name)
	case strings.ContainsAny(name, `/\`+"\x00"), filepath.IsAbs(name), strings.Contains(name, ".."):
		return cipmap.Errorf(cipmap.EINVALID, "part %q: a source file's name must be a plain file name, without /, \\ or \"..\"", name)
	case len(name) > 255:
		return cipmap.Errorf(cipmap.EINVALID, "part %q: a file name of at most 255 bytes", name[:40]+"…")
	}
	return nil
}

func (s *Server) apiIngest(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ingest == nil {
		s.writeError(w, r, &cipmap.Error{Code: eForbidden, Message: "ingest is disabled on this server"})
		return
	}
	if !s.uploads.running.TryLock() {
		s.writeError(w, r, cipmap.Errorf(cipmap.ECONFLICT, "another ingest is running: send this one again when it has finished"))
		return
	}
	defer s.uploads.running.Unlock()
	// An upload may take longer than the server's timeouts allow other requests.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(ingestTimeout))
	rc.SetWriteDeadline(time.Now().Add(ingestTimeout))

	dir, err := os.MkdirTemp(s.cfg.TempDir, "cipmap-upload-")
	if err != nil {
		s.writeError(w, r, fmt.Errorf("upload folder: %w", err))
		return
	}
	defer os.RemoveAll(dir)
	mapping, opts, err := receiveUpload(r, dir)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	opts.Now = s.cfg.Now
	opts.Confine = true

	s.judging.Lock()
	sum, err := s.cfg.Ingest(r.Context(), mapping, opts)
	if err == nil && !sum.Unchanged {
		s.dataChanged()
	}
	s.judging.Unlock()
	if err != nil {
		s.writeIngestError(w, r, dir, sum, err)
		return
	}
	status := "loaded"
	if sum.Unchanged {
		status = "unchanged"
	} else if sum.Previous != "" {
		status = "replaced"
	}
	writeJSON(w, IngestResult{Status: status, Summary: sum})
}

// receiveUpload writes the parts of r's multipart body into dir and returns the
// path of the mapping and the options the form sets.
func receiveUpload(r *http.Request, dir string) (string, ingest.Options, error) {
	var opts ingest.Options
	mr, err := r.MultipartReader()
	if err != nil {
		return "", opts, cipmap.WrapError(cipmap.EINVALID, err, "the body: want multipart/form-data with a part \"mapping\" and one part per source file, named by its file name")
	}
	var mapping []byte
	var mappingName string
	files := map[string]bool{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", opts, uploadError(err, "the body")
		}
		name := p.FormName()
		switch name {
		case "mapping":
			if mapping != nil {
				return "", opts, cipmap.Errorf(cipmap.EINVALID, "more than one part named mapping: send one mapping per request")
			}
			if mapping, err = io.ReadAll(io.LimitReader(p, maxMappingBytes+1)); err != nil {
				return "", opts, uploadError(err, "part mapping")
			}
			if len(mapping) > maxMappingBytes {
				return "", opts, cipmap.Errorf(cipmap.EINVALID, "part mapping: larger than %s", byteSize(maxMappingBytes))
			}
			if mapping == nil {
				mapping = []byte{}
			}
			mappingName = p.FileName()
		case "on_error", "force":
			b, err := io.ReadAll(io.LimitReader(p, 64))
			if err != nil {
				return "", opts, uploadError(err, "part "+name)
			}
			v := strings.TrimSpace(string(b))
			if name == "on_error" {
				if v != "fail" && v != "skip" {
					return "", opts, cipmap.Errorf(cipmap.EINVALID, "on_error=%q: want fail or skip", v)
				}
				opts.OnError = v
			} else if opts.Force, err = strconv.ParseBool(v); err != nil {
				return "", opts, cipmap.Errorf(cipmap.EINVALID, "force=%q: want true or false", v)
			}
		default:
			if err := uploadName(name); err != nil {
				return "", opts, err
			}
			if files[name] {
				return "", opts, cipmap.Errorf(cipmap.EINVALID, "part %q: sent twice", name)
			}
			files[name] = true
			if err := writePart(filepath.Join(dir, name), p); err != nil {
				return "", opts, uploadError(err, "part "+name)
			}
		}
	}
	if mapping == nil {
		return "", opts, cipmap.Errorf(cipmap.EINVALID, "no part named mapping: send the mapping file as -F mapping=@mapping.yaml")
	}
	// The mapping keeps the name it was sent with, for its error messages, unless
	// that name is not a plain one or is a source file's.
	if uploadName(mappingName) != nil || files[mappingName] {
		mappingName = "mapping.yaml"
	}
	for files[mappingName] {
		mappingName = "_" + mappingName
	}
	path := filepath.Join(dir, mappingName)
	if err := os.WriteFile(path, mapping, 0o600); err != nil {
		return "", opts, fmt.Errorf("write the mapping: %w", err)
	}
	if opts.OnError == "skip" {
		// The rejected rows are reported in the summary (the first of them, and
		// how many); the server keeps no rejects file.
		opts.Rejects = io.Discard
	}
	return path, opts, nil
}

func writePart(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// uploadError names where reading the upload failed; a body over the limit stays
// an *http.MaxBytesError for writeError (413).
func uploadError(err error, where string) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	if cipmap.ErrorCode(err) != cipmap.EINTERNAL {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	if _, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %w", where, err) // the server's disk: a 500
	}
	return cipmap.WrapError(cipmap.EINVALID, err, "%s: not a readable multipart/form-data body", where)
}

// writeIngestError answers a failed ingest as writeError does, with the upload's
// folder taken out of the message (file names are those the client sent), a bad
// value's place (file:line:column) for each one kept, and the CLI's flag named as
// this API's form field.
func (s *Server) writeIngestError(w http.ResponseWriter, r *http.Request, dir string, sum *ingest.Summary, err error) {
	code := cipmap.ErrorCode(err)
	switch {
	case code == cipmap.ENOTFOUND:
		code = cipmap.EINVALID // a source file the mapping names was not sent
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		code = eUnavailable
	}
	msg := strings.ReplaceAll(cipmap.ErrorMessage(err), dir+string(filepath.Separator), "")
	msg = strings.ReplaceAll(msg, dir, ".")
	msg = strings.ReplaceAll(msg, "use --on-error skip to load the good rows and write the bad ones to a rejects file",
		"send on_error=skip to load the good rows; the bad ones are listed in the answer")
	if cipmap.ErrorCode(err) == cipmap.ENOTFOUND && strings.Contains(msg, "matches no file") {
		msg += ": send each source file as a part named by its file name (-F data.csv=@data.csv)"
	}
	if sum == nil || len(sum.Errors) == 0 || StatusOf(code) == http.StatusInternalServerError {
		s.writeError(w, r, &cipmap.Error{Code: code, Message: msg})
		return
	}
	var b ingestErrorBody
	b.Error.Code, b.Error.Message = code, msg
	for _, e := range sum.Errors {
		b.Errors = append(b.Errors, e.String())
	}
	b.ErrorCount = sum.ErrorCount
	writeJSONStatus(w, StatusOf(code), b)
}

// sameDatasets says whether two reads of the dataset list found the same versions.
func sameDatasets(a, b []cipmap.Dataset) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Version != b[i].Version || !a[i].IngestedAt.Equal(b[i].IngestedAt) {
			return false
		}
	}
	return true
}
