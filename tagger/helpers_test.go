package tagger

import (
	"testing"

	"github.com/cipmap/cipmap"
)

// testTree is a small tag tree in the shape of CTT: domains, fields, technologies.
func testTree() []*cipmap.Tag {
	tag := func(id, parent, zh, en string, kw map[string][]string) *cipmap.Tag {
		return &cipmap.Tag{ID: id, Parent: parent, Name: cipmap.Label{ZH: zh, EN: en}, Keywords: kw}
	}
	zhen := func(zh []string, en ...string) map[string][]string {
		return map[string][]string{"zh": zh, "en": en}
	}
	tags := []*cipmap.Tag{
		tag("manufacturing", "", "先进制造", "advanced manufacturing", zhen([]string{"高端装备"}, "high-end equipment")),
		tag("robots", "manufacturing", "机器人", "robots", zhen([]string{"机器人"}, "robot")),
		tag("robots.industrial", "robots", "工业机器人", "industrial robots", zhen([]string{"工业机器人", "机械臂"}, "industrial robot", "robot arm")),
		tag("robots.industrial.reducers", "robots.industrial", "精密减速器", "precision reducers", zhen([]string{"精密减速器", "RV减速器", "谐波减速器"}, "precision reducer", "harmonic reducer")),
		tag("robots.industrial.servo", "robots.industrial", "伺服电机", "servo motors", zhen([]string{"伺服电机", "伺服驱动器"}, "servo motor")),
		tag("robots.industrial.controllers", "robots.industrial", "机器人控制器", "robot controllers", zhen([]string{"机器人控制器"}, "robot controller")),
		tag("robots.service", "robots", "服务机器人", "service robots", zhen([]string{"服务机器人"}, "service robot")),
		tag("machinery", "", "通用设备", "general machinery", nil),
		tag("machinery.gearboxes", "machinery", "减速机", "gearboxes", zhen([]string{"减速器", "齿轮箱"}, "gearbox", "gear reducer")),
		tag("energy", "", "新能源", "new energy", zhen([]string{"清洁能源"}, "clean energy")),
		tag("energy.pv", "energy", "光伏", "photovoltaics", zhen([]string{"光伏", "太阳能电池"}, "photovoltaic", "solar cell", "solar")),
		tag("energy.wind", "energy", "风电", "wind power", zhen([]string{"风电", "风力发电"}, "wind turbine")),
		tag("energy.ev", "energy", "新能源汽车", "new energy vehicles", zhen([]string{"新能源汽车", "电动汽车"}, "electric vehicle", "EV")),
		tag("energy.ev.batteries", "energy.ev", "动力电池", "traction batteries", zhen([]string{"动力电池", "锂电池", "电池"}, "lithium battery", "battery")),
		tag("semiconductors", "", "半导体", "semiconductors", zhen([]string{"集成电路", "芯片"}, "integrated circuit", "chip")),
		tag("semiconductors.design", "semiconductors", "芯片设计", "chip design", zhen([]string{"芯片设计", "集成电路设计"}, "IC design")),
		tag("semiconductors.fabrication", "semiconductors", "晶圆制造", "wafer fabrication", zhen([]string{"晶圆制造", "晶圆代工"}, "foundry")),
		tag("semiconductors.equipment", "semiconductors", "半导体设备", "semiconductor equipment", zhen([]string{"光刻机", "刻蚀机"}, "lithography")),
		tag("ai", "", "人工智能", "artificial intelligence", zhen([]string{"人工智能", "机器学习"}, "AI", "machine learning")),
		tag("telecom", "", "通信", "telecommunications", zhen([]string{"通信设备"}, "telecom")),
		tag("telecom.5g", "telecom", "5G", "5G", zhen([]string{"5G基站"}, "5G")),
	}
	// Robot vacuums and toys are household appliances, not robotics; lead-acid
	// batteries are not traction batteries.
	tags[1].Exclusions = map[string][]string{"zh": {"扫地机器人", "玩具机器人"}, "en": {"robot vacuum"}}
	tags[13].Exclusions = map[string][]string{"zh": {"铅酸电池"}}
	// A coarse English label for the manufacturing domain.
	tags[0].Synonyms = map[string][]string{"en": {"hard tech"}}
	return tags
}

func newTestTagger(t testing.TB) *Tagger {
	t.Helper()
	tg, err := New(testTree(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}
