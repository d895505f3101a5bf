package idtab

import (
	"fmt"
	"testing"
)

func TestTable(t *testing.T) {
	var keys []string
	key := func(i int32) string { return keys[i] }
	for i := range 1000 {
		keys = append(keys, fmt.Sprintf("world-firm-%d", i))
	}
	tab := New(500, key)
	for i := 500; i < 1000; i++ {
		got, added := tab.Add(keys[i], key)
		if !added || got != int32(i) {
			t.Fatalf("Add(%s) = %d, %v; want %d, true", keys[i], got, added, i)
		}
	}
	if got, added := tab.Add(keys[7], key); added || got != 7 {
		t.Errorf("Add of a held key = %d, %v; want 7, false", got, added)
	}
	if tab.Len() != 1000 {
		t.Errorf("Len = %d, want 1000", tab.Len())
	}
	for i, k := range keys {
		if got, ok := tab.Find(k, key); !ok || got != int32(i) {
			t.Fatalf("Find(%s) = %d, %v; want %d", k, got, ok, i)
		}
	}
	for _, k := range []string{"", "world-firm-1000", "world-firm-01"} {
		if got, ok := tab.Find(k, key); ok {
			t.Errorf("Find(%q) = %d, want none", k, got)
		}
	}
	if _, ok := (&Table{}).Find("x", key); ok {
		t.Error("an empty table found a key")
	}
}
