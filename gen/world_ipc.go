package gen

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/cipmap/cipmap/refdata"
)

// ipcGroups are the IPC 2016 main groups and subgroups of each subclass, from the
// hierarchy shipped in refdata, and of those the ones the official IPC → SEI 2018
// concordance links to a strategic emerging industry: patents of the generated
// firms carry real codes, mostly ones the concordance links, as filings of
// technology firms do.
var ipcGroups = sync.OnceValue(func() (out struct{ all, linked map[string][]string }) {
	out.all, out.linked = map[string][]string{}, map[string][]string{}
	read := func(name string, fn func(line string)) {
		b, err := refdata.ReadFile(name)
		if err != nil {
			return // the generator falls back to made-up groups
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			fn(sc.Text())
		}
	}
	// ipc_code<TAB>ancestor...: "A01B   1/02" (subclass padded to 4 + 4 columns).
	read("ipc-2016-hierarchy.tsv", func(line string) {
		code, _, _ := strings.Cut(line, "\t")
		if len(code) < 9 || !strings.Contains(code, "/") {
			return
		}
		sub := code[:4]
		out.all[sub] = append(out.all[sub], sub+" "+strings.TrimSpace(code[4:]))
	})
	// ipc_code,sei_code,...: "A01B1/00".
	seen := map[string]bool{}
	linked := func(line string) {
		code, _, _ := strings.Cut(line, ",")
		code = strings.ReplaceAll(code, " ", "")
		if len(code) < 6 || !strings.Contains(code, "/") || seen[code] {
			return
		}
		seen[code] = true
		sub := code[:4]
		out.linked[sub] = append(out.linked[sub], sub+" "+code[4:])
	}
	read("ipc-sei2018.csv", linked)
	read("ipc-sei2018-supplement.csv", linked)
	return out
})

// ipcGroup returns a group of the IPC subclass sub: four times in five one that the
// SEI concordance links, else any valid group, else (a subclass unknown to the
// hierarchy) a made-up one.
func ipcGroup(r *rand.Rand, sub string) string {
	g := ipcGroups()
	if l := g.linked[sub]; len(l) > 0 && r.IntN(5) > 0 {
		return l[r.IntN(len(l))]
	}
	if a := g.all[sub]; len(a) > 0 {
		return a[r.IntN(len(a))]
	}
	return sub + " " + strconv.Itoa(1+r.IntN(60)) + "/" + pad(r.IntN(100), 2)
}
