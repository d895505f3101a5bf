package httpapi

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
)

//go:embed assets/templates/*.html assets/static/*
var assets embed.FS

var templates map[string]*template.Template

// parseTemplates parses each page with the layout, once.
func parseTemplates() error {
	if templates != nil {
		return nil
	}
	out := map[string]*template.Template{}
	pages, err := fs.Glob(assets, "assets/templates/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "assets/templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(templateFuncs).
			ParseFS(assets, "assets/templates/layout.html", p)
		if err != nil {
			return cipmap.WrapError(cipmap.EINTERNAL, err, "template %s", p)
		}
		out[name] = t
	}
	templates = out
	return nil
}

// part is what the shared "stakes" and "statements" templates get.
type part struct {
	P    *page
	Rows any
	ID   string
}

func dict2(p *page, rows any, id string) part { return part{P: p, Rows: rows, ID: id} }

// messages are the UI's words in both languages.
var messages = map[string][2]string{ // key → {zh, en}
	"title":       {"中国产业政策图谱", "China industrial policy map"},
	"search":      {"搜索", "Search"},
	"placeholder": {"企业、人员、基金、政策名称", "firm, person, fund or policy name"},
	"holds":       {"数据库内容", "What the database holds"},
	"datasets":    {"数据集", "Datasets"},
	"entities":    {"实体", "Entities"},
	"statements":  {"陈述", "Statements"},
	"dataset":     {"数据集", "Dataset"},
	"version":     {"版本", "Version"},
	"rows":        {"行数", "Rows"},
	"source":      {"来源记录", "Source record"},
	"licence":     {"许可", "Licence"},
	"results":     {"搜索结果", "Search results"},
	"noresults":   {"没有找到结果。", "No results."},
	"schema":      {"类型", "Type"},
	"name":        {"名称", "Name"},
	"matched":     {"匹配", "Matched"},
	"names":       {"名称", "Names"},
	"identifiers": {"标识符", "Identifiers"},
	"property":    {"属性", "Property"},
	"value":       {"值", "Value"},
	"ownership":   {"股权", "Ownership"},
	"owners":      {"股东（向上穿透）", "Owners (looked through, up)"},
	"holdings":    {"对外持股（向下穿透）", "Holdings (looked through, down)"},
	"kind":        {"类型", "Kind"},
	"direct":      {"直接持股", "Direct"},
	"effective":   {"穿透持股", "Effective"},
	"none":        {"无", "none"},
	"class":       {"企业性质", "Class"},
	"stateshare":  {"国有股比例", "State share"},
	"control":     {"控制链", "Chain of control"},
	"cluster":     {"同一企业的记录", "Records of the same firm"},
	"method":      {"方法", "Method"},
	"probability": {"概率", "Probability"},
	"more":        {"下一页", "Next page"},
	"prev":        {"上一页", "Previous page"},
	"api":         {"API 文档", "API documentation"},
	"notfound":    {"未找到", "Not found"},
	"error":       {"错误", "Error"},
	"firm":        {"企业", "Firm"},
	"entity":      {"实体", "Entity"},
}

// page is what every template gets.
type page struct {
	Lang      string // "zh" or "en"
	OtherLang string
	OtherURL  string // this page in the other language
	Title     string
	Query     string
	Data      any
}

// T returns the word for key in the page's language.
func (p *page) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if p.Lang == "zh" {
		return m[0]
	}
	return m[1]
}

// lang picks the UI language: ?lang= (remembered in a cookie), the cookie, then the
// browser's Accept-Language.
func lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "zh" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "zh" || c.Value == "en") {
		return c.Value
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "zh") {
		return "zh"
	}
	return "en"
}

func newPage(w http.ResponseWriter, r *http.Request, title string) *page {
	p := &page{Lang: lang(w, r)}
	p.OtherLang = map[string]string{"zh": "en", "en": "zh"}[p.Lang]
	q := r.URL.Query()
	q.Set("lang", p.OtherLang)
	p.OtherURL = (&url.URL{Path: r.URL.Path, RawQuery: q.Encode()}).String()
	p.Title = p.T(title)
	return p
}

// render executes a page into a buffer first, so a failure sends an error page and
// not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *page, status int) {
	body, err := s.renderBytes(name, p)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// renderBytes executes a page; a failure is logged and returned as internal.
func (s *Server) renderBytes(name string, p *page) ([]byte, error) {
	var buf bytes.Buffer
	if err := templates[name].Execute(&buf, p); err != nil {
		s.cfg.Logf("render %s: %v", name, err)
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "render %s", name)
	}
	return buf.Bytes(), nil
}

func (s *Server) uiError(w http.ResponseWriter, r *http.Request, p *page, err error) {
	status := StatusOf(cipmap.ErrorCode(err))
	msg := cipmap.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		s.cfg.Logf("%s %s: %v", r.Method, r.URL.Path, err)
		msg = "internal error"
	}
	p.Title = p.T("error")
	p.Data = map[string]any{"Status": status, "Message": msg}
	s.render(w, r, "error", p, status)
}

func (s *Server) uiHome(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "title")
	d, err := s.datasets(r.Context())
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	type schemaCount struct {
		Schema string
		N      int64
	}
	var counts []schemaCount
	for k, v := range d.Stats.BySchema {
		counts = append(counts, schemaCount{k, v})
	}
	sort.Slice(counts, func(i, j int) bool {
		return counts[i].N > counts[j].N || counts[i].N == counts[j].N && counts[i].Schema < counts[j].Schema
	})
	p.Data = map[string]any{"Datasets": d.Datasets, "Stats": d.Stats, "BySchema": counts}
	s.render(w, r, "home", p, http.StatusOK)
}

func (s *Server) uiSearch(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "results")
	p.Query = r.URL.Query().Get("q")
	res, err := s.search(r.Context(), r)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	link := func(off int) string {
		q := url.Values{"q": {res.Query}, "offset": {itoa(off)}}
		for _, k := range []string{"schema", "dataset", "sort"} {
			if v := r.URL.Query().Get(k); v != "" {
				q.Set(k, v)
			}
		}
		if res.Limit != defaultLimit {
			q.Set("limit", itoa(res.Limit))
		}
		return "/search?" + q.Encode()
	}
	data := map[string]any{"Page": res}
	if res.More {
		data["Next"] = link(res.Offset + res.Limit)
	}
	if res.Offset > 0 {
		data["Prev"] = link(max(0, res.Offset-res.Limit))
	}
	p.Data = data
	s.render(w, r, "search", p, http.StatusOK)
}

func itoa(n int) string { return strconv.Itoa(n) }

// nameRow is a name of a firm with its property's label in both languages.
type nameRow struct {
	Property string
	Values   []string
}

func (s *Server) uiFirm(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "firm")
	lq, err := readList(r, flowSorts...)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	// The page depends on nothing but the firm, the query and the language, so
	// the HTML is kept with the firm: executing the template took most of the
	// time of a firm page already built.
	key := pageKey{r.URL.Path, r.URL.RawQuery, p.Lang}
	body, err := s.firmPages.get(r.Context(), key, func(ctx context.Context) ([]byte, error) {
		f, err := s.firm(ctx, r.PathValue("id"), lq)
		if err != nil {
			return nil, err
		}
		p.Title = f.Caption
		return writeFirmPage(p, s.firmPage(ctx, f)), nil
	})
	if err != nil {
		if cipmap.ErrorCode(err) == cipmap.ENOTFOUND {
			if e, err2 := s.cfg.Store.Entity(r.Context(), r.PathValue("id")); err2 == nil {
				http.Redirect(w, r, pathOf(e.Schema, e.ID), http.StatusSeeOther)
				return
			}
		}
		s.uiError(w, r, p, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(body)
}

// pageKey is the key of a page kept in a memo: its path, query and language.
type pageKey struct{ path, query, lang string }

func (s *Server) uiEntity(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "entity")
	e, err := s.cfg.Store.Entity(r.Context(), r.PathValue("id"))
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Title = e.Caption
	p.Data = e
	s.render(w, r, "entity", p, http.StatusOK)
}

func (s *Server) uiStatic(w http.ResponseWriter, r *http.Request) {
	sub, _ := fs.Sub(assets, "assets")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.FileServerFS(sub).ServeHTTP(w, r)
}
