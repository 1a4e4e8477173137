// Round 2 of issue 10's Go corpus: net/http (Go 1.19) with github.com/rs/cors 1.7, one binary, the
// variant named by CORS_VARIANT, the same API as go/main.go (GET/PUT/DELETE /api/data → JSON + X-Request-Id).
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/rs/cors"
)

var (
	app   = os.Getenv("APP")
	admin = os.Getenv("ADMIN")
)

func data(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", os.Getenv("REQUEST_ID"))
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, os.Getenv("BODY"))
}

// onlyMethods is the pre-1.22 hand-written method check: anything else, OPTIONS included, gets 405.
func onlyMethods(next http.HandlerFunc, methods ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range methods {
			if r.Method == m {
				next(w, r)
				return
			}
		}
		w.Header().Set("Allow", strings.Join(methods, ", "))
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	})
}

func api(h http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/api/data", h)
	return mux
}

var good = cors.Options{
	AllowedOrigins:   []string{app, admin},
	AllowedMethods:   []string{http.MethodGet, http.MethodPut, http.MethodDelete},
	AllowedHeaders:   []string{"Authorization", "Content-Type"},
	ExposedHeaders:   []string{"X-Request-Id"},
	AllowCredentials: true,
}

func handler(variant string) http.Handler {
	methods := onlyMethods(data, http.MethodGet, http.MethodPut, http.MethodDelete)
	switch variant {
	case "options-passthrough":
		// OptionsPassthrough hands the preflight, headers set, to the handler, whose method check says 405.
		o := good
		o.OptionsPassthrough = true
		return cors.New(o).Handler(api(methods))
	case "handler-star":
		// The handler still sets the `*` it had before rs/cors was added; Set replaces rs/cors's echo.
		star := func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			data(w, r)
		}
		return cors.New(good).Handler(api(http.HandlerFunc(star)))
	case "star-headers":
		o := good
		o.AllowedHeaders = []string{"*"}
		return cors.New(o).Handler(api(methods))
	case "wildcard-subdomain":
		o := good
		o.AllowedOrigins = []string{"https://*.myshop.test"}
		return cors.New(o).Handler(api(methods))
	}
	log.Fatalf("unknown CORS_VARIANT %q: add it to go-r2.go", variant)
	return nil
}

func main() {
	log.Fatal(http.ListenAndServe(os.Getenv("ADDR"), handler(os.Getenv("CORS_VARIANT"))))
}
