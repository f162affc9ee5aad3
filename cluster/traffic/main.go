// traffic: the local cluster's stand-in for real request traffic. It watches the pods of the
// cluster and serves, for every Ready pod, request metrics in the Prometheus text format, as if
// each pod answered a steady stream of requests:
//
//	http_requests_total{namespace,pod,code}            counter, code "200" and "500"
//	http_request_duration_seconds_bucket{namespace,pod,le} (+ _sum, _count) histogram
//
// The figures follow the image tag of the pod's first container, so a test or the demo picks a
// pod's behaviour by its image alone:
//
//	…:1.2.0        good: no errors, p95 ≈ 85 ms
//	…:1.2.0-bad    20 % of requests answer 500
//	…:1.2.0-slow   p95 ≈ 1.5 s   (both: …:1.2.0-bad-slow)
//
// The values are a function of the time since the pod became Ready (its Ready condition's
// lastTransitionTime), not of random draws: a rate over any window is the configured one, and a
// restart of this program does not reset the counters.
//
// Pods labelled switchyard.dev/scale (the benchmarks' and scale tests' namespaces of 20,000 pods,
// test/cluster/scale.ts) are left out, on the server side: their series would be most of what
// Prometheus scrapes, and nothing queries them.
//
// Standard library only; it talks to the API server with a bearer token (list, then watch, and a
// fresh list after 410 Gone or any error).
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// profile: the share of requests that fail and the latency distribution of one pod.
type profile struct {
	errorShare float64
	// cumulative share of requests at or under each of bucketBounds
	cumulative []float64
	meanSecs   float64
}

var bucketBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5}

var (
	// p95 by histogram_quantile: 0.05 + (0.95-0.90)/(0.97-0.90)*0.05 ≈ 0.086 s
	fastLatency = []float64{0.05, 0.2, 0.6, 0.9, 0.97, 0.99, 1, 1, 1, 1}
	// p95: 1 + (0.95-0.90)/(1-0.90)*1 = 1.5 s
	slowLatency = []float64{0, 0, 0, 0, 0.05, 0.2, 0.4, 0.9, 1, 1}
)

// profileOf reads the behaviour from the image tag's dash-separated suffixes (-bad, -slow).
func profileOf(image string) profile {
	tag := ""
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		tag = image[i+1:]
	}
	p := profile{cumulative: fastLatency, meanSecs: 0.03}
	parts := strings.Split(tag, "-")
	for _, s := range parts[1:] {
		switch s {
		case "bad":
			p.errorShare = 0.2
		case "slow":
			p.cumulative, p.meanSecs = slowLatency, 0.8
		}
	}
	return p
}

type pod struct {
	namespace, name string
	readySince      time.Time
	profile         profile
}

type store struct {
	mu   sync.Mutex
	pods map[string]pod // by uid; only Ready pods
	// closed once the first list has arrived: /healthz answers ok from then on
	listed     chan struct{}
	listedOnce sync.Once
}

// apiPod: the fields of a Pod this program reads.
type apiPod struct {
	Metadata struct {
		UID       string `json:"uid"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		Containers []struct {
			Image string `json:"image"`
		} `json:"containers"`
	} `json:"spec"`
	Status struct {
		Conditions []struct {
			Type               string    `json:"type"`
			Status             string    `json:"status"`
			LastTransitionTime time.Time `json:"lastTransitionTime"`
		} `json:"conditions"`
	} `json:"status"`
}

func (s *store) put(p apiPod) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range p.Status.Conditions {
		if c.Type == "Ready" && c.Status == "True" && len(p.Spec.Containers) > 0 {
			s.pods[p.Metadata.UID] = pod{p.Metadata.Namespace, p.Metadata.Name, c.LastTransitionTime, profileOf(p.Spec.Containers[0].Image)}
			return
		}
	}
	delete(s.pods, p.Metadata.UID)
}

func (s *store) remove(uid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pods, uid)
}

func (s *store) replace(items []apiPod) {
	s.mu.Lock()
	s.pods = map[string]pod{}
	s.mu.Unlock()
	for _, p := range items {
		s.put(p)
	}
	s.listedOnce.Do(func() { close(s.listed) })
}

// ---- the API server ----

type kube struct {
	server string
	token  string
	http   *http.Client
}

func (k *kube) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.server+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("Accept", "application/json")
	resp, err := k.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return resp, nil
}

var errGone = errors.New("watch expired (410 Gone)")

// podSelector: every pod but those of the scale namespaces (label selector "!switchyard.dev/scale").
const podSelector = "labelSelector=%21switchyard.dev%2Fscale"

// sync lists the pods, then follows the watch until it ends; returns why it ended.
func (k *kube) sync(ctx context.Context, s *store) error {
	resp, err := k.get(ctx, "/api/v1/pods?"+podSelector)
	if err != nil {
		return err
	}
	var list struct {
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
		Items []apiPod `json:"items"`
	}
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("list pods: %w", err)
	}
	s.replace(list.Items)
	rv := list.Metadata.ResourceVersion
	for {
		resp, err := k.get(ctx, "/api/v1/pods?"+podSelector+"&watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion="+rv)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bufio.NewReader(resp.Body))
		for {
			var ev struct {
				Type   string          `json:"type"`
				Object json.RawMessage `json:"object"`
			}
			if err := dec.Decode(&ev); err != nil {
				resp.Body.Close()
				if errors.Is(err, io.EOF) {
					break // the server closed the watch (timeoutSeconds): resume from rv
				}
				return fmt.Errorf("watch pods: %w", err)
			}
			if ev.Type == "ERROR" {
				resp.Body.Close()
				var st struct {
					Code int `json:"code"`
				}
				_ = json.Unmarshal(ev.Object, &st)
				if st.Code == http.StatusGone {
					return errGone
				}
				return fmt.Errorf("watch pods: %s", ev.Object)
			}
			var p apiPod
			var meta struct {
				Metadata struct {
					ResourceVersion string `json:"resourceVersion"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal(ev.Object, &p); err != nil {
				continue
			}
			_ = json.Unmarshal(ev.Object, &meta)
			rv = meta.Metadata.ResourceVersion
			switch ev.Type {
			case "ADDED", "MODIFIED":
				s.put(p)
			case "DELETED":
				s.remove(p.Metadata.UID)
			}
		}
	}
}

// ---- /metrics ----

func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	return fmt.Sprintf("%g", f)
}

func (s *store) write(w io.Writer, now time.Time, ratePerSec float64) {
	s.mu.Lock()
	pods := make([]pod, 0, len(s.pods))
	for _, p := range s.pods {
		pods = append(pods, p)
	}
	s.mu.Unlock()
	sort.Slice(pods, func(i, j int) bool {
		if pods[i].namespace != pods[j].namespace {
			return pods[i].namespace < pods[j].namespace
		}
		return pods[i].name < pods[j].name
	})
	type counts struct {
		total, errors float64
	}
	n := make([]counts, len(pods))
	for i, p := range pods {
		elapsed := now.Sub(p.readySince).Seconds()
		if elapsed < 0 {
			elapsed = 0
		}
		total := math.Floor(elapsed * ratePerSec)
		n[i] = counts{total, math.Floor(total * p.profile.errorShare)}
	}
	b := bufio.NewWriter(w)
	defer b.Flush()
	fmt.Fprintln(b, "# HELP http_requests_total Requests answered by the pod, by status code (synthetic, from cluster/traffic).")
	fmt.Fprintln(b, "# TYPE http_requests_total counter")
	for i, p := range pods {
		fmt.Fprintf(b, "http_requests_total{namespace=%q,pod=%q,code=\"200\"} %.0f\n", p.namespace, p.name, n[i].total-n[i].errors)
		fmt.Fprintf(b, "http_requests_total{namespace=%q,pod=%q,code=\"500\"} %.0f\n", p.namespace, p.name, n[i].errors)
	}
	fmt.Fprintln(b, "# HELP http_request_duration_seconds Time to answer a request (synthetic, from cluster/traffic).")
	fmt.Fprintln(b, "# TYPE http_request_duration_seconds histogram")
	for i, p := range pods {
		for j, le := range bucketBounds {
			fmt.Fprintf(b, "http_request_duration_seconds_bucket{namespace=%q,pod=%q,le=%q} %.0f\n", p.namespace, p.name, formatFloat(le), math.Floor(n[i].total*p.profile.cumulative[j]))
		}
		fmt.Fprintf(b, "http_request_duration_seconds_bucket{namespace=%q,pod=%q,le=\"+Inf\"} %.0f\n", p.namespace, p.name, n[i].total)
		fmt.Fprintf(b, "http_request_duration_seconds_sum{namespace=%q,pod=%q} %.3f\n", p.namespace, p.name, n[i].total*p.profile.meanSecs)
		fmt.Fprintf(b, "http_request_duration_seconds_count{namespace=%q,pod=%q} %.0f\n", p.namespace, p.name, n[i].total)
	}
}

func main() {
	server := flag.String("server", "", "API server URL (https://127.0.0.1:6443)")
	caFile := flag.String("ca", "", "CA certificate file of the API server")
	tokenFile := flag.String("token-file", "", "file with a bearer token that may list and watch pods")
	listen := flag.String("listen", "127.0.0.1:9101", "address of /metrics and /healthz")
	rate := flag.Float64("rate", 10, "requests per second per Ready pod")
	flag.Parse()
	if *server == "" || *caFile == "" || *tokenFile == "" {
		log.Fatal("--server, --ca and --token-file are required")
	}
	ca, err := os.ReadFile(*caFile)
	if err != nil {
		log.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		log.Fatalf("no certificate in %s", *caFile)
	}
	token, err := os.ReadFile(*tokenFile)
	if err != nil {
		log.Fatal(err)
	}
	k := &kube{strings.TrimRight(*server, "/"), strings.TrimSpace(string(token)), &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	s := &store{pods: map[string]pod{}, listed: make(chan struct{})}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		backoff := time.Second
		for ctx.Err() == nil {
			started := time.Now()
			err := k.sync(ctx, s)
			if ctx.Err() != nil {
				return
			}
			log.Printf("pods: %v; listing again in %s", err, backoff)
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
			}
			// 410 Gone, or a watch that ran for a while: list again soon
			if errors.Is(err, errGone) || time.Since(started) > time.Minute {
				backoff = time.Second
			} else if backoff < 30*time.Second {
				backoff *= 2
			}
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		s.write(w, time.Now(), *rate)
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-s.listed:
			fmt.Fprintln(w, "ok")
		default:
			http.Error(w, "API server not reached yet", http.StatusServiceUnavailable)
		}
	})
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("serving request metrics of Ready pods on http://%s/metrics (%g requests/s per pod)", *listen, *rate)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
