package source_test

import (
	"bytes"
	"testing"

	"github.com/cipmap/cipmap/source"
)

func BenchmarkZZSmall(b *testing.B) {
	data := []byte("a,b\n1,2\n3,4\n")
	for b.Loop() {
		r, _ := source.NewReader("x.csv", bytes.NewReader(data), source.Options{})
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	}
}
