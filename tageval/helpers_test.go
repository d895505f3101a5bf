package tageval_test

import (
	"sync"
	"testing"

	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

func registry(t testing.TB) *taxonomy.Registry {
	t.Helper()
	reg, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

var newTagger = sync.OnceValues(func() (*tagger.Tagger, error) {
	std, err := ctt.Load()
	if err != nil {
		return nil, err
	}
	return tagger.New(std.Tags, tagger.Options{})
})

func ctTagger(t testing.TB) *tagger.Tagger {
	t.Helper()
	tg, err := newTagger()
	if err != nil {
		t.Fatal(err)
	}
	return tg
}
