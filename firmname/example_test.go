package firmname_test

import (
	"fmt"

	"github.com/cipmap/cipmap/firmname"
)

func ExampleParse() {
	for _, s := range []string{"深圳市腾讯计算机系统有限公司", "華為技術有限公司", "HUAWEI TECH CO LTD"} {
		n := firmname.Parse(s)
		fmt.Printf("%s | region %q | trade %q | industry %q | legal %q | pinyin %q | key %q\n",
			s, n.Region, n.TradeName, n.Industry, n.LegalForm, n.Pinyin, n.Key)
	}
	// Output:
	// 深圳市腾讯计算机系统有限公司 | region "深圳" | trade "腾讯" | industry "计算机系统" | legal "有限公司" | pinyin "teng xun" | key "腾讯计算机系统"
	// 華為技術有限公司 | region "" | trade "华为" | industry "技术" | legal "有限公司" | pinyin "hua wei" | key "华为技术"
	// HUAWEI TECH CO LTD | region "" | trade "huawei" | industry "technology" | legal "co-ltd" | pinyin "" | key "huawei technology"
}

func ExamplePinyin() {
	fmt.Println(firmname.Pinyin("重庆长安汽车"))
	fmt.Println(firmname.Pinyin("中国银行"))
	// Output:
	// chong qing chang an qi che
	// zhong guo yin hang
}

func ExampleCompareCrossScript() {
	zh := firmname.Parse("华为技术有限公司")
	fmt.Printf("%.2f\n", firmname.CompareCrossScript(zh, firmname.Parse("Huawei Technologies Co., Ltd.")))
	smic := firmname.Parse("中芯国际集成电路制造有限公司")
	fmt.Printf("%.2f\n", firmname.CompareCrossScript(smic, firmname.Parse("Semiconductor Manufacturing International Corporation")))
	// Output:
	// 1.00
	// 0.15
}

func ExampleRegionOfDivision() {
	uscc := "914403001922038216" // 华为技术有限公司
	r, _ := firmname.RegionOfDivision(uscc[2:8])
	fmt.Println(r.Code, r.Name, r.Province)
	// Output:
	// 4403 深圳市 广东
}
