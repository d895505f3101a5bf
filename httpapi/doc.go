// Package httpapi serves cipmap over HTTP: a JSON API under /api/v1 described by an
// OpenAPI 3 document (/api/v1/openapi.json), an OpenRefine reconciliation service
// for firms (/reconcile), and a small bilingual (中文/English) web UI rendered with
// html/template from embedded assets, so it works with no network at all.
//
// Firms, persons, funds, government bodies, policies and programs each have a page
// and a resource (entities.go) whose every fact carries its dataset and source
// record; /graph/{id} draws an entity's ownership and funding neighbourhood as an
// SVG laid out by the server (graph.go), with no script.
//
// It is the only package that serves net/http. It reads through a cipmap.Store and
// the algorithm packages (resolve for matching, ownership for look-through
// ownership, taxonomy and tagger for crosswalks and tags); the loaders that build
// their in-memory indexes from the store are given by the caller (cmd/cipmap), so
// the HTTP layer holds no SQL of its own beyond fixed, parameterised lookups, and
// never runs SQL that comes from a request.
//
// Safety on a shared server: every write (POST /api/v1/judgements) needs
// "Authorization: Bearer TOKEN" with the token the server was given; without a
// token configured, writes are refused with 403, and a request with a missing or
// wrong token gets 401 and changes nothing. The pages, which run no script, write
// (POST /review) after signing in at /signin with the same token: an HttpOnly,
// SameSite=Strict cookie holds an HMAC of the token, and each form carries a CSRF
// field derived from it (auth.go). Request bodies are limited in size,
// the http.Server returned by NewHTTPServer has read, write and idle timeouts, and
// every page is escaped by html/template under a Content-Security-Policy that
// allows no script.
package httpapi
