package httpapi

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium ($CIPMAP_CHROMIUM wins).
func chromiumPath() string {
	if p := os.Getenv("CIPMAP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artefacts is where browser tests write screenshots: $CIPMAP_ARTEFACTS, else a
// temporary directory.
func artefacts(t *testing.T) string {
	dir := os.Getenv("CIPMAP_ARTEFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// In headless Chromium: search from the home page, open the firm named
// <script>alert(1)</script>, see its name as text, its owners and its holding named
// "><img src=x onerror=alert(1)>, and no dialog ever opens. Screenshots of the
// search results and the firm page are saved as PNG.
func TestHTTPBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	exe := chromiumPath()
	if exe == "" {
		t.Skip("browser test: no Chromium found (install Debian's chromium, or set CIPMAP_CHROMIUM)")
	}
	ts := newTestServer(t, "")
	out := artefacts(t)

	b := startBrowser(t, exe, out, 90*time.Second)
	ctx, shot, text := b.ctx, b.shot, b.text

	// Home, in English; search for the attacking name.
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "alert(1)"),
		chromedp.Click(chromedp.CSS("#go")),
		chromedp.WaitVisible(chromedp.CSS("#results")),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if got := text("#results"); !strings.Contains(got, xssScript) || !strings.Contains(got, `"><img src=x onerror=alert(1)>`) {
		t.Errorf("search results do not show the names as text: %q", got)
	}
	shot("search.png")

	// Open the firm named <script>alert(1)</script>有限公司.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('a.hit')].find(a => a.textContent.startsWith('<script>')).getAttribute('href')`))
	if err != nil {
		t.Fatalf("find the firm's link: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+href), chromedp.WaitVisible(chromedp.CSS("#firm-name"))); err != nil {
		t.Fatalf("firm page: %v", err)
	}
	if got := text("#firm-name"); got != xssScript+"有限公司" {
		t.Errorf("firm name %q, want %q", got, xssScript+"有限公司")
	}
	if got := text("#names"); !strings.Contains(got, xssScript+" Ltd") {
		t.Errorf("English name missing: %q", got)
	}
	if got := text("#up"); !strings.Contains(got, "中国航天科技集团有限公司") || !strings.Contains(got, "60%") {
		t.Errorf("owners: %q", got)
	}
	if got := text("#down"); !strings.Contains(got, `"><img src=x onerror=alert(1)>`) {
		t.Errorf("holdings: %q", got)
	}
	if got := text("#statements"); !strings.Contains(got, "firms.csv:") || !strings.Contains(got, "registry") {
		t.Errorf("statements without provenance: %q", got)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script, img').length`))
	if err != nil || n != 0 {
		t.Errorf("script or img elements in the page: %d %v", n, err)
	}
	shot("firm.png")

	// The same page in Chinese through the toggle.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lang")), chromedp.WaitVisible(chromedp.CSS("#ownership"))); err != nil {
		t.Fatalf("toggle: %v", err)
	}
	if got := text("#ownership"); !strings.Contains(got, "股东") {
		t.Errorf("Chinese page: %q", got)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if u, err := url.Parse(loc); err != nil || u.Query().Get("lang") != "zh" {
		t.Errorf("toggle went to %s", loc)
	}
	shot("firm-zh.png")

	if dialogs := b.dialogs(); len(dialogs) > 0 {
		t.Errorf("a script from the data ran: dialogs %q", dialogs)
	}
}

// browser is a headless Chromium session of a test, watching for dialogs: an
// alert would mean a page ran a script from the data.
type browser struct {
	t   *testing.T
	ctx context.Context
	out string // folder of the screenshots

	mu   sync.Mutex
	seen []string // dialog messages
}

// startBrowser starts Chromium at exe for the test, for at most timeout; it skips
// the test when the browser cannot start.
func startBrowser(t *testing.T, exe, out string, timeout time.Duration) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelT)
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("browser test: cannot start %s: %v", exe, err)
	}
	b := &browser{t: t, ctx: ctx, out: out}
	events := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.seen = append(b.seen, ev.Message)
			b.mu.Unlock()
			chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return b
}

// dialogs returns the messages of the dialogs that opened.
func (b *browser) dialogs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.seen...)
}

// shot writes a screenshot of the page to the artefacts folder.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(b.out, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s (%d bytes)", p, len(png))
}

// text returns the text of the element sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}
