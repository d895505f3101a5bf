package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ingest"
)

const confineMapping = `dataset: {name: confined, title: t, licence: test}
source: {path: %s}
entities:
  - {key: firm, schema: Firm, id: {columns: [id], prefix: c}, properties: {name: name}}
`

// With Confine (set by cipmap serve for uploaded mappings) a mapping reads only files
// in its own folder: no absolute path, no "..", no link out; without it, the same
// mapping reads where it points, as cipmap ingest always has.
func TestRunFileConfined(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.csv")
	if err := os.WriteFile(secret, []byte("id,name\ns,秘密有限公司\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		link       bool   // data.csv is a link to the secret file
		err        string // "" means the ingest runs confined
	}{
		{"a file beside it", "data.csv", false, ""},
		{"a glob beside it", "'*.csv'", false, ""},
		{"absolute", secret, false, "not an absolute path"},
		{"up", "../" + filepath.Base(outside) + "/secret.csv", false, `not ".."`},
		{"up in the middle", "x/../../secret.csv", false, `not ".."`},
		{"a link out", "data.csv", true, "lies outside the mapping's folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, schemas := openDB(t)
			dir := t.TempDir()
			data := filepath.Join(dir, "data.csv")
			if tc.link {
				if err := os.Symlink(secret, data); err != nil {
					t.Skip(err)
				}
			} else if err := os.WriteFile(data, []byte("id,name\na,甲有限公司\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			mp := filepath.Join(dir, "m.yaml")
			if err := os.WriteFile(mp, []byte(strings.Replace(confineMapping, "%s", tc.path, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			sum, err := ingest.RunFile(context.Background(), db, mp, schemas, ingest.Options{Now: now, Confine: true})
			if tc.err == "" {
				if err != nil || sum.Rows != 1 {
					t.Fatalf("confined: %v %+v", err, sum)
				}
				return
			}
			if err == nil || cipmap.ErrorCode(err) != cipmap.EINVALID || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("confined: %v, want invalid: %s", err, tc.err)
			}
			if _, err := db.Dataset(context.Background(), "confined"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
				t.Errorf("the refused ingest wrote its dataset: %v", err)
			}
			if tc.path == secret || tc.link {
				// The CLI's own mappings may point anywhere.
				if sum, err := ingest.RunFile(context.Background(), db, mp, schemas, ingest.Options{Now: now}); err != nil || sum.Rows != 1 {
					t.Errorf("not confined: %v %+v", err, sum)
				}
			}
		})
	}
}
