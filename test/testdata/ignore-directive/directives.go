package fixture

import (
	"os"
	"sync"
)

func silenced(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		//waitguard:ignore defer-in-loop the caller passes at most three paths
		defer f.Close()
	}
}

func sameLine(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() //waitguard:ignore defer-in-loop bounded by the caller
	}
}

func severalRules(wg *sync.WaitGroup, paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		//waitguard:ignore wg-add-in-goroutine,defer-in-loop both are reviewed here
		defer f.Close()
	}
}

func nothingToSilence() {
	//waitguard:ignore defer-in-loop there was a loop here once // want `waitguard:ignore defer-in-loop silences nothing on the next line: remove it`
	println("fine")
}

func wrongLine(paths []string) {
	//waitguard:ignore defer-in-loop the loop is short // want `silences nothing on the next line`
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() // the directive above is two lines too early
	}
}

func noReason(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		//waitguard:ignore defer-in-loop // want `needs a reason`
		defer f.Close()
	}
}

func todoReason(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		//waitguard:ignore defer-in-loop TODO: say why this is safe // want `needs a reason`
		defer f.Close()
	}
}

func trailing() {
	println("fine") //waitguard:ignore defer-in-loop nothing here defers // want `silences nothing on its line`
}

func tripleSlash() {
	///waitguard:ignore defer-in-loop no loop below // want `silences nothing on the next line`
	println("z") ///waitguard:ignore defer-in-loop nor here // want `silences nothing on its line`
}

func unknownRule() {
	//waitguard:ignore no-such-rule because // want `names unknown rule no-such-rule`
	println("x")
}

func noRule() {
	//waitguard:ignore // want `names no rule`
	println("y")
}

// A string that mentions the directive is not one.
var doc = "use //waitguard:ignore"
