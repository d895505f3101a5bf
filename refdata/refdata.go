package refdata

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

//go:embed manifest.csv *.gz *.yaml *.csv
var files embed.FS

// File describes one reference table: where it came from and under which licence.
type File struct {
	// Name is the name to Open, such as "harmonized-system.csv".
	Name string
	// Local is the file's path under the shared data folder's classifications/
	// directory, empty for files written for cipmap.
	Local string
	// Repo, Commit and Path name the upstream source as the data README states it.
	Repo, Commit, Path string
	Licence            string
	// Derived says how the file differs from its source in form, if it does.
	Derived string
}

var (
	manifestOnce sync.Once
	manifest     []File
	manifestErr  error
)

// Files lists the embedded reference tables, sorted by name.
func Files() ([]File, error) {
	manifestOnce.Do(func() { manifest, manifestErr = readManifest() })
	return append([]File(nil), manifest...), manifestErr
}

// Lookup returns the description of the named file.
func Lookup(name string) (File, bool) {
	fs, err := Files()
	if err != nil {
		return File{}, false
	}
	for _, f := range fs {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}

func readManifest() ([]File, error) {
	b, err := files.ReadFile("manifest.csv")
	if err != nil {
		return nil, fmt.Errorf("refdata: %w", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("refdata: manifest.csv: %w", err)
	}
	var out []File
	for i, r := range rows {
		if i == 0 {
			continue
		}
		if len(r) != 7 {
			return nil, fmt.Errorf("refdata: manifest.csv:%d: %d columns, want 7", i+1, len(r))
		}
		out = append(out, File{Name: r[0], Local: r[1], Repo: r[2], Commit: r[3], Path: r[4], Licence: r[5], Derived: r[6]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Open opens the named reference table for reading, decompressing it if it is
// stored gzipped. The caller must close it.
func Open(name string) (io.ReadCloser, error) {
	if strings.Contains(name, "/") || name == "manifest.csv" {
		return nil, fmt.Errorf("refdata: no file %q", name)
	}
	if f, err := files.Open(name + ".gz"); err == nil {
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("refdata: %s: %w", name, err)
		}
		return &gzipFile{Reader: zr, f: f}, nil
	}
	f, err := files.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("refdata: no file %q", name)
		}
		return nil, fmt.Errorf("refdata: %w", err)
	}
	return f, nil
}

// ReadFile returns the whole (decompressed) content of the named reference table.
func ReadFile(name string) ([]byte, error) {
	if strings.Contains(name, "/") || name == "manifest.csv" {
		return nil, fmt.Errorf("refdata: no file %q", name)
	}
	z, err := files.ReadFile(name + ".gz")
	if err != nil {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("refdata: no file %q", name)
		}
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("refdata: %s: %w", name, err)
	}
	defer zr.Close()
	// The gzip trailer holds the size of the content (mod 2^32): allocate it once.
	size := 0
	if len(z) >= 4 {
		size = int(binary.LittleEndian.Uint32(z[len(z)-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("refdata: read %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

type gzipFile struct {
	*gzip.Reader
	f fs.File
}

func (g *gzipFile) Close() error {
	err := g.Reader.Close()
	if err2 := g.f.Close(); err == nil {
		err = err2
	}
	return err
}
