package policy_test

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/policy"
)

// samplePath is the State Council policy library sample, relative to this package.
const samplePath = "../../shared/data/samples/policy-gov-cn/policy_documents_sample.csv"

// readSample returns the sample's rows as maps from column name to value, or skips
// the test when the sample is absent.
func readSample(t *testing.T) []map[string]string {
	t.Helper()
	f, err := os.Open(samplePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("real sample %s is absent; it lives in the shared data directory beside the repository", samplePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", samplePath, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: %d records, expected a header and rows", samplePath, len(recs))
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		rows = append(rows, m)
	}
	return rows
}

// TestSampleDocNumbers parses every distinct document number in the gov.cn sample.
func TestSampleDocNumbers(t *testing.T) {
	rows := readSample(t)
	distinct := map[string]bool{}
	for _, r := range rows {
		if p := strings.TrimSpace(r["pcode"]); p != "" {
			distinct[p] = true
		}
	}
	var codes []string
	for p := range distinct {
		codes = append(codes, p)
	}
	sort.Strings(codes)
	var failed, noBody []string
	for _, p := range codes {
		d, err := policy.ParseDocNumber(p)
		if err != nil {
			failed = append(failed, err.Error())
			continue
		}
		if d.Known.Has(policy.PartIssuer) && !d.Known.Has(policy.PartBody) {
			noBody = append(noBody, p)
		}
	}
	ok := len(codes) - len(failed)
	t.Logf("%d of %d distinct document numbers parse (%.1f%%); %d name an issuer the tables do not resolve",
		ok, len(codes), 100*float64(ok)/float64(len(codes)), len(noBody))
	if got, want := len(codes), 413; got != want {
		t.Errorf("distinct document numbers = %d, want %d", got, want)
	}
	for _, f := range failed {
		t.Errorf("does not parse: %s", f)
	}
	for _, p := range noBody {
		t.Errorf("%s: issuer code not resolved to a body", p)
	}
}

// TestSampleIssuerLevels infers the level of every issuer (puborg) in the sample:
// the State Council library holds central documents only.
func TestSampleIssuerLevels(t *testing.T) {
	rows := readSample(t)
	distinct := map[string]bool{}
	for _, r := range rows {
		if p := strings.TrimSpace(r["puborg"]); p != "" {
			distinct[p] = true
		}
	}
	bodies := map[string]bool{}
	var wrong []string
	n := 0
	for p := range distinct {
		lv, region, rule := policy.IssuerLevel(p)
		if lv != policy.LevelCentral || region != policy.China {
			wrong = append(wrong, p+" → "+lv.String()+" "+region.Name+" ("+rule+")")
		} else {
			n++
		}
		for _, is := range policy.ParseIssuers(p) {
			bodies[is.Name] = is.Level == policy.LevelCentral
		}
	}
	var byTable int
	for b := range bodies {
		is := policy.ParseIssuers(b)
		if len(is) == 1 && strings.HasPrefix(is[0].Rule, "central-table") {
			byTable++
		}
	}
	t.Logf("%d of %d distinct issuer fields read as central; %d distinct bodies, %d of them from the central-bodies table",
		n, len(distinct), len(bodies), byTable)
	sort.Strings(wrong)
	for _, w := range wrong {
		t.Errorf("issuer %s, want central", w)
	}
}

// TestSampleDocNumberIssuers checks that the body a document number's code stands
// for is among the issuers the library lists for the document.
func TestSampleDocNumberIssuers(t *testing.T) {
	rows := readSample(t)
	var agree, both int
	var disagree []string
	for _, r := range rows {
		pcode, puborg := strings.TrimSpace(r["pcode"]), strings.TrimSpace(r["puborg"])
		if pcode == "" || puborg == "" || strings.HasSuffix(puborg, "等") {
			continue
		}
		d, err := policy.ParseDocNumber(pcode)
		if err != nil || len(d.Issuers) == 0 {
			continue
		}
		both++
		// An office (办公厅) stands for its ministry: 建办 numbers documents the
		// library lists under 住房城乡建设部.
		listed := map[string]bool{}
		for _, is := range policy.ParseIssuers(puborg) {
			listed[parentBody(is.Canonical)] = true
		}
		if listed[parentBody(d.Issuers[0])] {
			agree++
		} else {
			disagree = append(disagree, pcode+" → "+d.Issuers[0]+" | "+puborg)
		}
	}
	t.Logf("%d of %d rows with a number and issuers agree on the first issuer", agree, both)
	for _, d := range disagree {
		t.Logf("disagree: %s", d)
	}
	if both > 0 && float64(agree)/float64(both) < 0.9 {
		t.Errorf("%d of %d agree, want at least 90%%", agree, both)
	}
}

// parentBody strips an office suffix: 住房城乡建设部办公厅 → 住房城乡建设部.
func parentBody(s string) string {
	for _, suf := range []string{"办公厅", "办公室", "综合司"} {
		if t := strings.TrimSuffix(s, suf); t != s && t != "" {
			return t
		}
	}
	return s
}

// TestSampleInstruments tags the titles and summaries of the sample and reports
// how many documents each instrument reaches. Every tag's evidence must point
// into the text.
func TestSampleInstruments(t *testing.T) {
	rows := readSample(t)
	counts := map[string]int{}
	tagged := 0
	for _, r := range rows {
		text := r["title"] + "\n" + r["summary"]
		tags := policy.TagInstruments(text)
		if len(tags) > 0 {
			tagged++
		}
		for _, tag := range tags {
			counts[tag.Instrument]++
			for _, ev := range tag.Evidence {
				if text[ev.Offset:ev.Offset+len(ev.Text)] != ev.Text {
					t.Fatalf("evidence %+v does not point into %q", ev, text)
				}
			}
		}
	}
	var ids []string
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return counts[ids[i]] > counts[ids[j]] })
	var parts []string
	for _, id := range ids {
		parts = append(parts, id+" "+strconv.Itoa(counts[id]))
	}
	t.Logf("%d of %d documents tagged with an instrument: %s", tagged, len(rows), strings.Join(parts, ", "))
	if tagged == 0 {
		t.Errorf("no document tagged")
	}
}
