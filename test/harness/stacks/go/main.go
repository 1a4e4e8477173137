// The Go corpus server: net/http (Go 1.19, Debian) with github.com/rs/cors 1.7, one binary, the variant
// named by CORS_VARIANT. Every variant serves the same API as the Node apps: GET/PUT/DELETE /api/data
// (JSON, X-Request-Id), /api/private behind authentication (401 JSON otherwise), other paths 404.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/rs/cors"
)

var (
	app       = os.Getenv("APP")
	admin     = os.Getenv("ADMIN")
	body      = os.Getenv("BODY")
	requestID = os.Getenv("REQUEST_ID")
	session   = regexp.MustCompile(`(^|;\s*)session=ok\b`)
)

func authenticated(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || session.MatchString(r.Header.Get("Cookie"))
}

func writeJSON(w http.ResponseWriter, status int, s string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, s)
}

func data(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", requestID)
	writeJSON(w, http.StatusOK, body)
}

// The API's mux; rs/cors (or the variant's own code) goes around it.
func api() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/data", data)
	mux.HandleFunc("/api/private", func(w http.ResponseWriter, r *http.Request) {
		if !authenticated(r) {
			http.Error(w, `{"error":"login required"}`, http.StatusUnauthorized)
			return
		}
		data(w, r)
	})
	return mux
}

// requireLogin is the usual auth middleware, here in front of the whole API.
func requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !authenticated(r) {
			http.Error(w, `{"error":"login required"}`, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// onlyMethods is the hand-written method check of pre-1.22 Go muxes (no "PUT /path" patterns).
func onlyMethods(next http.Handler, methods ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range methods {
			if r.Method == m {
				next.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Allow", strings.Join(methods, ", "))
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	})
}

var good = cors.Options{
	AllowedOrigins:   []string{app, admin},
	AllowedMethods:   []string{http.MethodGet, http.MethodPut, http.MethodDelete},
	AllowedHeaders:   []string{"Authorization", "Content-Type"},
	ExposedHeaders:   []string{"X-Request-Id"},
	AllowCredentials: true,
	MaxAge:           600,
}

// setCORS is a hand-written CORS helper (allow-list, credentials, Vary).
func setCORS(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o == app || o == admin {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", o)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", "X-Request-Id")
		h.Add("Vary", "Origin")
	}
}

func handler(variant string) http.Handler {
	with := func(o cors.Options) http.Handler { return cors.New(o).Handler(api()) }
	switch variant {
	case "correct":
		return with(good)
	case "debug":
		o := good
		o.Debug = true
		return with(o)
	case "origin-case":
		// rs/cors lower-cases the configured origins and the request's, so this still matches.
		o := good
		o.AllowedOrigins = []string{"https://App.MyShop.test"}
		if app != "https://app.myshop.test" {
			o.AllowedOrigins = []string{strings.ToUpper(app[:9]) + app[9:]}
		}
		return with(o)
	case "default":
		return cors.Default().Handler(api())
	case "wildcard-credentials":
		o := good
		o.AllowedOrigins = []string{"*"}
		return with(o)
	case "trailing-slash":
		o := good
		o.AllowedOrigins = []string{app + "/"}
		return with(o)
	case "headers-short":
		o := good
		o.AllowedHeaders = []string{"Content-Type"}
		return with(o)
	case "methods-default":
		o := good
		o.AllowedMethods = nil
		return with(o)
	case "method-guard":
		// cors only around the handler; the method check in front answers OPTIONS 405 itself.
		mux := http.NewServeMux()
		mux.Handle("/api/data", onlyMethods(cors.New(good).Handler(http.HandlerFunc(data)), "GET", "PUT", "DELETE"))
		return mux
	case "auth-outside":
		return requireLogin(cors.New(good).Handler(api()))
	case "set-after-writeheader":
		mux := http.NewServeMux()
		mux.HandleFunc("/api/data", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", requestID)
			w.WriteHeader(http.StatusOK)
			setCORS(w, r) // too late: the header block is already written
			fmt.Fprint(w, body)
		})
		return mux
	case "no-cors":
		return api()
	}
	log.Fatalf("unknown CORS_VARIANT %q", variant)
	return nil
}

func main() {
	addr := os.Getenv("ADDR")
	log.Fatal(http.ListenAndServe(addr, handler(os.Getenv("CORS_VARIANT"))))
}
