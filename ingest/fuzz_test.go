package ingest_test

import (
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/schema"
)

// FuzzParseMapping feeds arbitrary text to the mapping parser: it must return a
// mapping or a cipmap error, never panic.
func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(firmsMapping))
	f.Add([]byte("dataset: {name: x}\nparts: [{source: {path: a.csv}, entities: [{key: a, schema: Firm, id: {columns: [c], split: ';'}, when: {column: t, equals: [x]}, properties: {name: {template: '{a} {b}'}}}]}]\n"))
	f.Add([]byte("dataset: {name: x}\nsource: {path: a.csv}\nfacts: [{table: financials, columns: {entity_id: a, year: b, revenue: {column: c, type: money, scale: 10000}}}]\n"))
	f.Add([]byte("{{{"))
	schemas, err := schema.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ingest.ParseMapping("fuzz.yaml", data, schemas)
		if err != nil {
			if cipmap.ErrorCode(err) != cipmap.EINVALID {
				t.Fatalf("error with code %s: %v", cipmap.ErrorCode(err), err)
			}
			return
		}
		if len(m.Parts) == 0 {
			t.Fatal("a valid mapping without parts")
		}
	})
}
