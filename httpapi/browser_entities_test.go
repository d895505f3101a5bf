package httpapi

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// In headless Chromium, on the policy fixture: search for Huawei, open the firm,
// follow the link to its graph, see the SVG with the fund named
// <script>alert(1)</script>产业投资基金 as text, follow that node to the fund page,
// and from the firm's staff to the person page; no dialog ever opens. Screenshots
// graph.png, fund.png and person.png go to $CIPMAP_ARTEFACTS when set.
func TestHTTPBrowserEntities(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	exe := chromiumPath()
	if exe == "" {
		t.Skip("browser test: no Chromium found (install Debian's chromium, or set CIPMAP_CHROMIUM)")
	}
	ts := newEntityServer(t)
	out := artefacts(t)

	b := startBrowser(t, exe, out, 90*time.Second)
	ctx, shot, text := b.ctx, b.shot, b.text
	follow := func(what, sel, wait string) {
		t.Helper()
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+"`"+sel+"`"+`).getAttribute('href')`))
		if err != nil || href == "" {
			t.Fatalf("%s: no link %s: %v", what, sel, err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+href), chromedp.WaitVisible(chromedp.CSS(wait))); err != nil {
			t.Fatalf("%s: %s: %v", what, href, err)
		}
	}

	// Search, in English, and open the firm.
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "Huawei"),
		chromedp.Click(chromedp.CSS("#go")),
		chromedp.WaitVisible(chromedp.CSS("#results")),
		chromedp.Click(chromedp.CSS("a.hit")),
		chromedp.WaitVisible(chromedp.CSS("#firm-name")),
	)
	if err != nil {
		t.Fatalf("search → firm: %v", err)
	}
	if got := text("#firm-name"); got != "华为技术有限公司" {
		t.Errorf("firm %q", got)
	}
	if got := text("#staff"); !strings.Contains(got, xssScript) || !strings.Contains(got, "董事长") {
		t.Errorf("staff: %q", got)
	}
	if got := text("#flows"); !strings.Contains(got, "investment") || !strings.Contains(got, "investments.csv:2") {
		t.Errorf("flows: %q", got)
	}

	// The graph: a click on the link; nodes are SVG links with the names as text.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#graph-link")), chromedp.WaitVisible(chromedp.CSS("#graph"))); err != nil {
		t.Fatalf("firm → graph: %v", err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#graph a.node').length`))
	if err != nil || n < 8 {
		t.Errorf("graph nodes: %d %v", n, err)
	}
	titles, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#graph title')].map(x => x.textContent).join('\n')`))
	if err != nil || !strings.Contains(titles, xssScript+"产业投资基金") || !strings.Contains(titles, xssImg+"母基金") {
		t.Errorf("graph titles: %q %v", titles, err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script, img, svg image').length`)); err != nil || n != 0 {
		t.Errorf("script or img elements in the graph page: %d %v", n, err)
	}
	shot("graph.png")

	// The fund node → the fund page.
	follow("graph → fund", `#graph a.node[href^="/funds/`+tid("fd1")+`"]`, "#govshare")
	if got := text("#entity-name"); got != xssScript+"产业投资基金" {
		t.Errorf("fund name %q", got)
	}
	if got := text("#govshare"); got != "40%" {
		t.Errorf("government share %q, want 40%%", got)
	}
	if got := text("#partners"); !strings.Contains(got, xssImg+"母基金") || !strings.Contains(got, "partners.csv:3") {
		t.Errorf("partners: %q", got)
	}
	shot("fund.png")

	// The firm's chair → the person page.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/firms/"+tid("f1")), chromedp.WaitVisible(chromedp.CSS("#staff"))); err != nil {
		t.Fatal(err)
	}
	follow("firm → person", `#staff a`, "#roles")
	if got := text("#entity-name"); got != xssScript {
		t.Errorf("person %q", got)
	}
	if got := text("#entity-name-en"); got != "Zhang San" {
		t.Errorf("person's English name %q", got)
	}
	shot("person.png")

	if dialogs := b.dialogs(); len(dialogs) > 0 {
		t.Errorf("a script from the data ran: dialogs %q", dialogs)
	}
}
