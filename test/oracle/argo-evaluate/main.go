// Oracle: Argo Rollouts v1.9.2's own EvaluateResult / EvalCondition on cases read from stdin.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/utils/evaluate"
	log "github.com/sirupsen/logrus"
)

type Case struct {
	Success string            `json:"success"`
	Failure string            `json:"failure"`
	Vector  []json.RawMessage `json:"vector"`
	Scalar  json.RawMessage   `json:"scalar"`
}

func num(raw json.RawMessage) float64 {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch s {
		case "NaN":
			return math.NaN()
		case "+Inf":
			return math.Inf(1)
		case "-Inf":
			return math.Inf(-1)
		}
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		panic(err)
	}
	return f
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	entry := *log.NewEntry(log.New())
	for in.Scan() {
		var c Case
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		var result any
		if c.Scalar != nil {
			result = num(c.Scalar)
		} else {
			v := make([]float64, 0, len(c.Vector))
			for _, r := range c.Vector {
				v = append(v, num(r))
			}
			result = v
		}
		phase, err := func() (p v1alpha1.AnalysisPhase, e error) {
			defer func() {
				if r := recover(); r != nil {
					p, e = "Panic", fmt.Errorf("%v", r)
				}
			}()
			return evaluate.EvaluateResult(result, v1alpha1.Metric{SuccessCondition: c.Success, FailureCondition: c.Failure}, entry)
		}()
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		_ = out.Encode(map[string]string{"phase": string(phase), "error": msg})
	}
}
