package firmname

import (
	"testing"
	"time"

	"github.com/cipmap/cipmap/parse"
)

// benchNames are real firm names in the proportions of a mixed dataset: mostly
// Chinese registered names, some with full-width brackets, a traditional one and
// English names.
var benchNames = []string{
	"华为技术有限公司",
	"深圳市腾讯计算机系统有限公司",
	"中芯国际集成电路制造（上海）有限公司",
	"航天华明科技（北京）有限公司",
	"北京百度网讯科技有限公司",
	"重庆长安汽车股份有限公司",
	"中国银行股份有限公司",
	"招商局集团有限公司",
	"深圳市大疆创新科技有限公司",
	"深圳市红土创业投资合伙企业（有限合伙）",
	"國家集成電路產業投資基金股份有限公司",
	"Huawei Technologies Co., Ltd.",
	"GUANGZHOU HAIGE COMM GRP",
	"Beijing Baidu Netcom Science and Technology Co., Ltd.",
	"中国工商银行股份有限公司北京海淀支行",
	"宁德时代新能源科技股份有限公司",
}

// BenchmarkParse reports the names Parse takes apart per second on one core,
// for the mix of benchNames and for its Chinese, English and traditional parts,
// and, as "x-fold", how many times longer Parse takes than parse.Fold alone on
// the same names: the least any normalisation of the names must do.
func BenchmarkParse(b *testing.B) {
	Parse("") // load the tables outside the timing
	var zh, en, trad []string
	for _, s := range benchNames {
		switch n := Parse(s); {
		case n.Folded != s && n.Script == Han && Simplify(s) != s:
			trad = append(trad, s)
		case n.Script == Latin:
			en = append(en, s)
		default:
			zh = append(zh, s)
		}
	}
	for _, c := range []struct {
		name  string
		names []string
	}{{"mix", benchNames}, {"zh", zh}, {"en", en}, {"traditional", trad}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				Parse(c.names[i%len(c.names)])
				i++
			}
			perName := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(1/perName, "names/s")
			// The baseline, timed here after the loop, on as many names.
			start := time.Now()
			for j := range b.N {
				parse.Fold(c.names[j%len(c.names)])
			}
			if base := time.Since(start).Seconds() / float64(b.N); base > 0 {
				b.ReportMetric(perName/base, "x-fold")
			}
		})
	}
}
