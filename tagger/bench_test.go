package tagger

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
)

// benchLabels is the number of labels of BenchmarkTagMany and of the comparison
// with grep (TestBenchGrep).
const benchLabels = 1_000_000

// filler is the text around keywords in generated labels: the characters of
// business scopes and product names that are not technologies.
const filler = "销售研发生产技术服务咨询制造加工批发零售进出口有限公司的及与和用于相关产品系统配件开发推广转让安装维修租赁项目管理信息科技材料新型智能高效"

// zhKeywords returns the Chinese keywords, synonyms and names of tags, without
// duplicates, sorted.
func zhKeywords(tags []*cipmap.Tag) []string {
	seen := map[string]bool{}
	for _, t := range tags {
		for _, m := range []map[string][]string{t.Keywords, t.Synonyms, {"zh": {t.Name.ZH}}} {
			for _, w := range m["zh"] {
				if w != "" {
					seen[w] = true
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// genLabels returns n short Chinese labels of 10 to 30 characters: one to three
// keywords from vocab among filler characters, or (one label in five) filler only.
// The same seed gives the same labels.
func genLabels(n int, vocab []string, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	fill := []rune(filler)
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		target := 10 + rng.IntN(21)
		nkw := 1 + rng.IntN(3)
		if rng.IntN(5) == 0 {
			nkw = 0
		}
		count := 0
		for k := 0; k < nkw && count < target; k++ {
			for j := rng.IntN(4); j > 0 && count < target; j-- {
				b.WriteRune(fill[rng.IntN(len(fill))])
				count++
			}
			w := vocab[rng.IntN(len(vocab))]
			b.WriteString(w)
			count += len([]rune(w))
		}
		for count < target {
			b.WriteRune(fill[rng.IntN(len(fill))])
			count++
		}
		out[i] = b.String()
	}
	return out
}

var (
	benchOnce  sync.Once
	benchTexts []string
)

func BenchmarkTagMany(b *testing.B) {
	tg := newTestTagger(b)
	benchOnce.Do(func() { benchTexts = genLabels(benchLabels, zhKeywords(testTree()), 42) })
	b.ReportAllocs()
	for b.Loop() {
		tg.TagMany(benchTexts, 0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchLabels, "ns/label")
}

func BenchmarkTag(b *testing.B) {
	tg := newTestTagger(b)
	texts := genLabels(10000, zhKeywords(testTree()), 7)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tg.Tag(texts[i%len(texts)])
		i++
	}
}

// TestBenchGrep compares the tagger with grep on the same file, in the same run:
// it writes benchLabels generated labels and the keyword list to
// $CIPMAP_BENCH_TAG_DIR, then times, three times each, `grep -F -c -f keywords.txt
// labels.txt` and the tagger reading labels.txt and tagging every line, and prints
// the medians and their ratio. It runs only when CIPMAP_BENCH_TAG_DIR is set (see
// scripts/bench-tag.sh).
func TestBenchGrep(t *testing.T) {
	dir := os.Getenv("CIPMAP_BENCH_TAG_DIR")
	if dir == "" {
		t.Skip("CIPMAP_BENCH_TAG_DIR is not set")
	}
	tags := testTree()
	BenchAgainstGrep(t, tags, zhKeywords(tags), dir, "inline test tree")
}

// TestBenchGrepCTT is TestBenchGrep on CTT v1, the real tag standard: labels made
// from its Chinese keywords, and grep given the same list.
func TestBenchGrepCTT(t *testing.T) {
	dir := os.Getenv("CIPMAP_BENCH_TAG_DIR")
	if dir == "" {
		t.Skip("CIPMAP_BENCH_TAG_DIR is not set")
	}
	std, err := ctt.Load()
	if err != nil {
		t.Fatal(err)
	}
	BenchAgainstGrep(t, std.Tags, zhKeywords(std.Tags), dir, "CTT v1")
}

// BenchAgainstGrep is TestBenchGrep for any tag tree, with vocab as the keywords
// that make the labels and that grep looks for.
func BenchAgainstGrep(t *testing.T, tags []*cipmap.Tag, vocab []string, dir, what string) {
	tg, err := New(tags, Options{})
	if err != nil {
		t.Fatal(err)
	}
	labels := filepath.Join(dir, "labels.txt")
	keywords := filepath.Join(dir, "keywords.txt")
	texts := genLabels(benchLabels, vocab, 42)
	if err := os.WriteFile(labels, []byte(strings.Join(texts, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keywords, []byte(strings.Join(vocab, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	texts = nil
	runtime.GC()

	const runs = 3
	var grepTimes, tagTimes, oneTimes []time.Duration
	var grepCount string
	var tagged, ntags int
	for range runs {
		start := time.Now()
		out, err := exec.Command("grep", "-F", "-c", "-f", keywords, labels).Output()
		if err != nil {
			t.Fatalf("grep: %v", err)
		}
		grepTimes = append(grepTimes, time.Since(start))
		grepCount = strings.TrimSpace(string(out))

		start = time.Now()
		tagged, ntags, err = tagFile(tg, labels, 0)
		if err != nil {
			t.Fatal(err)
		}
		tagTimes = append(tagTimes, time.Since(start))

		start = time.Now()
		if _, _, err = tagFile(tg, labels, 1); err != nil {
			t.Fatal(err)
		}
		oneTimes = append(oneTimes, time.Since(start))
	}
	g, c, one := median(grepTimes), median(tagTimes), median(oneTimes)
	ms := func(ds []time.Duration) string {
		var s []string
		for _, d := range ds {
			s = append(s, d.Round(time.Millisecond).String())
		}
		return strings.Join(s, " ")
	}
	fmt.Printf("tagger vs grep, %d labels, %d keywords (%s):\n", benchLabels, len(vocab), what)
	fmt.Printf("  %-40s median %v (runs %s); %s lines match\n", "grep -F -c -f keywords.txt labels.txt",
		g.Round(time.Millisecond), ms(grepTimes), grepCount)
	fmt.Printf("  %-40s median %v (runs %s); %d lines tagged, %d weighted tags\n",
		fmt.Sprintf("tagger, TagMany on %d processors", runtime.GOMAXPROCS(0)),
		c.Round(time.Millisecond), ms(tagTimes), tagged, ntags)
	fmt.Printf("  %-40s median %v (runs %s)\n", "tagger, one goroutine", one.Round(time.Millisecond), ms(oneTimes))
	fmt.Printf("  ratio tagger/grep: %.2f on %d processors, %.2f on one (target ≤ 3)\n",
		float64(c)/float64(g), runtime.GOMAXPROCS(0), float64(one)/float64(g))
}

// tagFile reads a file of labels, one a line, and tags them in batches with
// TagMany on workers goroutines (0 for all processors), as a pipeline would; it
// returns the number of labels that got a tag and the number of tags.
func tagFile(tg *Tagger, name string, workers int) (tagged, ntags int, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, err
	}
	const batch = 1 << 16
	lines := make([]string, 0, batch)
	flush := func() {
		for _, r := range tg.TagMany(lines, workers) {
			if len(r.Tags) > 0 {
				tagged++
				ntags += len(r.Tags)
			}
		}
		lines = lines[:0]
	}
	s := string(data)
	for len(s) > 0 {
		line, rest, _ := strings.Cut(s, "\n")
		lines = append(lines, line)
		s = rest
		if len(lines) == batch {
			flush()
		}
	}
	flush()
	return tagged, ntags, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
