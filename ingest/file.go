package ingest

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/cipmap/cipmap"
)

// RunFile reads the mapping file at path, checks it against schemas and runs it into
// store: what `cipmap ingest` does with each mapping it is given, and what
// `cipmap serve` does with a mapping posted to /api/v1/ingest (with Confine set).
func RunFile(ctx context.Context, store cipmap.Store, path string, schemas cipmap.Schemas, opts Options) (*Summary, error) {
	m, err := LoadMapping(path, schemas)
	if err != nil {
		return nil, err
	}
	return Run(ctx, store, m, opts)
}

// confinedPath checks that a part's source path stays in the mapping's folder
// (Options.Confine).
func (m *Mapping) confinedPath(part *Part) error {
	p := part.Source.Path
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) {
		return cipmap.Errorf(cipmap.EINVALID, "mapping %s: source.path %q: an uploaded mapping may only name files sent with it, not an absolute path", m.Path, p)
	}
	for _, el := range strings.FieldsFunc(filepath.ToSlash(p), func(r rune) bool { return r == '/' || r == '\\' }) {
		if el == ".." {
			return cipmap.Errorf(cipmap.EINVALID, "mapping %s: source.path %q: an uploaded mapping may only name files sent with it, not \"..\"", m.Path, p)
		}
	}
	return nil
}

// confinedFiles checks that the files a source path matched lie in the mapping's
// folder, links followed (Options.Confine).
func (m *Mapping) confinedFiles(files []string) error {
	dir, err := filepath.EvalSymlinks(filepath.Dir(m.Path))
	if err != nil {
		return cipmap.WrapError(cipmap.EINVALID, err, "mapping %s", m.Path)
	}
	for _, f := range files {
		real, err := filepath.EvalSymlinks(f)
		if err != nil {
			return cipmap.WrapError(cipmap.EINVALID, err, "mapping %s: source file %s", m.Path, m.rel(f))
		}
		if r, err := filepath.Rel(dir, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return cipmap.Errorf(cipmap.EINVALID, "mapping %s: source file %s lies outside the mapping's folder", m.Path, m.rel(f))
		}
	}
	return nil
}
