package httpapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/cipmap/cipmap"
)

// Sign-in for the pages, which have no script and so cannot send a bearer token:
// POST /signin with the token (compared in constant time) sets a cookie holding an
// HMAC of the token under a key made when the server starts. The cookie is
// HttpOnly, SameSite=Strict, and Secure when the request came over TLS. Forms that
// write carry a CSRF field, an HMAC of the cookie, which a page of another site
// cannot know.

// sessionCookie is the name of the sign-in cookie.
const sessionCookie = "cipmap_session"

func newSessionKey() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("httpapi: no randomness for the session key: " + err.Error())
	}
	return k
}

func (s *Server) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.an.sessionKey)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// sessionValue is the cookie of a reviewer signed in with the configured token.
func (s *Server) sessionValue() string { return s.mac("session", s.cfg.Token) }

// csrfValue is the CSRF field of forms for the session.
func (s *Server) csrfValue(session string) string { return s.mac("csrf", session) }

// writesEnabled says whether the server takes writes at all.
func (s *Server) writesEnabled() bool { return s.cfg.Token != "" && s.cfg.Judge != nil }

// signedIn returns the session cookie's value if it is this server's.
func (s *Server) signedIn(r *http.Request) (string, bool) {
	if !s.writesEnabled() {
		return "", false
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", false
	}
	want := s.sessionValue()
	if subtle.ConstantTimeCompare([]byte(c.Value), []byte(want)) != 1 {
		return "", false
	}
	return c.Value, true
}

// checkWrite checks that a form POST may write: writes are enabled (else 403),
// the reviewer is signed in (else 401) and the form's CSRF field is the session's
// (else 403).
func (s *Server) checkWrite(r *http.Request) error {
	if !s.writesEnabled() {
		return &cipmap.Error{Code: eForbidden, Message: "writes are disabled: start cipmap serve with CIPMAP_TOKEN set to enable them"}
	}
	session, ok := s.signedIn(r)
	if !ok {
		return &cipmap.Error{Code: eUnauthorized, Message: "sign in with the server's token first (/signin)"}
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(s.csrfValue(session))) != 1 {
		return &cipmap.Error{Code: eForbidden, Message: "the form's CSRF field is missing or wrong: reload the page and try again"}
	}
	return nil
}

func (s *Server) uiSignin(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.signin")
	_, in := s.signedIn(r)
	p.Data = map[string]any{"Enabled": s.writesEnabled(), "SignedIn": in}
	s.render(w, r, "signin", p, http.StatusOK)
}

func (s *Server) uiSigninPost(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.signin")
	if !s.writesEnabled() {
		p.Data = map[string]any{"Enabled": false}
		s.render(w, r, "signin", p, http.StatusForbidden)
		return
	}
	tok := strings.TrimSpace(r.PostFormValue("token"))
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.Token)) != 1 {
		p.Data = map[string]any{"Enabled": true, "Wrong": true}
		s.render(w, r, "signin", p, http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.sessionValue(), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 12 * 3600})
	http.Redirect(w, r, "/review", http.StatusSeeOther)
}

func (s *Server) uiSignout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: -1})
	http.Redirect(w, r, "/review", http.StatusSeeOther)
}
