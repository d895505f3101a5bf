package httpapi

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// In headless Chromium: search for a firm, open it, follow its sector link to the
// sector page with inline charts, and download a chart as SVG; follow the money
// from the SASAC to the firms named to attack the page; sign in and record a
// judgement on the review queue. No dialog ever opens. Screenshots sector.png,
// trace.png and review.png go to $CIPMAP_ARTEFACTS when it is set.
func TestHTTPBrowserAnalysis(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	exe := chromiumPath()
	if exe == "" {
		t.Skip("browser test: no Chromium found (install Debian's chromium, or set CIPMAP_CHROMIUM)")
	}
	ts := newTestServer(t, "s3cret")
	addAnalysisFixture(t, ts)
	g1 := ts.firmIDAny(t, "国务院国有资产")
	out := artefacts(t)

	b := startBrowser(t, exe, out, 120*time.Second)
	ctx, shot, text := b.ctx, b.shot, b.text
	noMarkup := func(where string) {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script, img').length`))
		if err != nil || n != 0 {
			t.Errorf("%s: script or img elements in the page: %d %v", where, n, err)
		}
	}

	// Search → firm → its sector.
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "大疆"),
		chromedp.Click(chromedp.CSS("#go")),
		chromedp.WaitVisible(chromedp.CSS("#results")),
		chromedp.Click(chromedp.CSS("a.hit")),
		chromedp.WaitVisible(chromedp.CSS("#firm-name")),
	)
	if err != nil {
		t.Fatalf("search → firm: %v", err)
	}
	if got := text("#firm-name"); got != "深圳市大疆创新科技有限公司" {
		t.Errorf("firm %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#sectors a.sector")), chromedp.WaitVisible(chromedp.CSS("#charts"))); err != nil {
		t.Fatalf("firm → sector: %v", err)
	}
	if got := text("#sector-name"); !strings.Contains(got, "Industrial robots") && !strings.Contains(got, "robot") {
		t.Errorf("sector name %q", got)
	}
	if got := text("#topfirms"); !strings.Contains(got, xssScript+"有限公司") || !strings.Contains(got, `"><img src=x onerror=alert(1)>`) {
		t.Errorf("top firms do not show the names as text: %q", got)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#charts figure svg').length`))
	if err != nil || n != 5 {
		t.Errorf("inline charts: %d %v", n, err)
	}
	noMarkup("sector page")
	shot("sector.png")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#charts a.svg').getAttribute('href')`))
	if err != nil || !strings.HasSuffix(href, ".svg") {
		t.Fatalf("SVG link: %q %v", href, err)
	}
	resp, err := http.Get(ts.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(svg), "<svg xmlns=\"http://www.w3.org/2000/svg\"") {
		t.Errorf("SVG download %s: %d %q %.100s", href, resp.StatusCode, resp.Header.Get("Content-Type"), svg)
	}

	// Follow the money from the SASAC.
	err = chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/trace?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#tr-from")),
		chromedp.SendKeys(chromedp.CSS("#tr-from"), g1),
		chromedp.Click(chromedp.CSS("#tr-go")),
		chromedp.WaitVisible(chromedp.CSS("table#firms")),
	)
	if err != nil {
		t.Fatalf("trace: %v", err)
	}
	if got := text("table#firms"); !strings.Contains(got, xssScript) || !strings.Contains(got, "1,000,000.00") {
		t.Errorf("firms reached: %q", got)
	}
	if got := text("#chains"); !strings.Contains(got, "grants.csv:2") || !strings.Contains(got, "grants") {
		t.Errorf("chains without provenance: %q", got)
	}
	noMarkup("trace page")
	shot("trace.png")

	// The review queue: sign in, then judge the first pair.
	err = chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/review?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#signin-link")),
		chromedp.Click(chromedp.CSS("#signin-link")),
		chromedp.WaitVisible(chromedp.CSS("#token")),
		chromedp.SendKeys(chromedp.CSS("#token"), "s3cret"),
		chromedp.Click(chromedp.CSS("#signin-go")),
		chromedp.WaitVisible(chromedp.CSS("#pair-0 button.different")),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if got := text("#pair-0"); !strings.Contains(got, xssScript) || !strings.Contains(got, "0.7000") {
		t.Errorf("first pair: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#pair-0 button.different")), chromedp.WaitVisible(chromedp.CSS("#done"))); err != nil {
		t.Fatalf("judge: %v", err)
	}
	if len(ts.judged) != 1 || ts.judged[0].Decision != "different" || ts.judged[0].Reviewer != "web" {
		t.Errorf("recorded %+v", ts.judged)
	}
	noMarkup("review page")
	shot("review.png")

	if dialogs := b.dialogs(); len(dialogs) > 0 {
		t.Errorf("a script from the data ran: dialogs %q", dialogs)
	}
}
