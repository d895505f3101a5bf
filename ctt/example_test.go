package ctt_test

import (
	"fmt"

	"github.com/cipmap/cipmap/ctt"
)

func ExampleStandard_Path() {
	std, err := ctt.Load()
	if err != nil {
		panic(err)
	}
	for _, t := range std.Path("servo-motors") {
		fmt.Println(t.Level, t.ID, t.Name.ZH)
	}
	// Output:
	// 1 high-end-equipment 高端装备制造
	// 2 smart-manufacturing-equipment 智能制造装备
	// 3 industrial-robots 工业机器人
	// 4 servo-motors 伺服电机
}
