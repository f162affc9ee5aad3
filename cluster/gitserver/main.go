// Command gitserver serves the bare git repositories under --root over HTTP (git's smart
// protocol, so clone, fetch and push work) for the local cluster's GitOps demo: Flux's
// source-controller clones from it, tests and users push to it. It runs git's own
// `git http-backend` as a CGI program (net/http/cgi); nothing of git is reimplemented here.
//
//	gitserver --root DIR --listen 127.0.0.1:PORT
//	  GET  /healthz                          200 "ok"
//	  *    /<repo>.git/...                   git http-backend (info/refs, git-upload-pack, git-receive-pack)
//
// No authentication: it listens on loopback only (a --listen address that is not loopback is
// refused), and every repository under --root may be pushed to (http.receivepack=true).
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	root := flag.String("root", "", "folder holding the bare repositories (<name>.git)")
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	if err := run(*root, *listen); err != nil {
		log.Fatalf("gitserver: %v", err)
	}
}

func run(root, listen string) error {
	if root == "" {
		return fmt.Errorf("--root is required")
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if info, err := os.Stat(root); err != nil || !info.IsDir() {
		return fmt.Errorf("--root %s is not a folder", root)
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("--listen %q: %v", listen, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--listen %q is not a loopback address", listen)
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return fmt.Errorf("git is not installed: %v", err)
	}
	backend := &cgi.Handler{
		Path: git,
		Args: []string{"http-backend"},
		Dir:  root,
		Env: []string{
			"GIT_PROJECT_ROOT=" + root,
			// serve every repository under root, without a git-daemon-export-ok file in each
			"GIT_HTTP_EXPORT_ALL=1",
			// git http-backend refuses pushes from an unauthenticated user unless the repository
			// says http.receivepack=true; say it for all of them (a loopback test server)
			"GIT_CONFIG_COUNT=1",
			"GIT_CONFIG_KEY_0=http.receivepack",
			"GIT_CONFIG_VALUE_0=true",
			"HOME=" + root,
		},
		InheritEnv: []string{"PATH"},
		Stderr:     os.Stderr,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, ".git/") {
			http.NotFound(w, r)
			return
		}
		log.Printf("%s %s", r.Method, r.URL.RequestURI())
		backend.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	log.Printf("serving %s on http://%s", root, ln.Addr())
	return http.Serve(ln, mux)
}
