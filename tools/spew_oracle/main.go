// Command spew_oracle prints what kube-controller-manager v1.32 computes as the pod-template-hash
// of Deployment pod templates, to record fixtures for labsim's Python port (labsim/controllers/gospew.py).
//
// Input (stdin): JSON lines {"name": "...", "template": {...PodTemplateSpec...}, "collisionCount": null|N}.
// Output (stdout): JSON lines {"name", "spew", "hash"}.
//
// Steps, as upstream:
//  1. the API server decodes the template JSON into v1.PodTemplateSpec (encoding/json semantics);
//  2. the object reaches the controller through protobuf (etcd storage and the controller-manager's
//     default --kube-api-content-type application/vnd.kubernetes.protobuf). protoRoundTrip mirrors
//     what the generated gogo-protobuf code does to the Go value: empty slices and maps decode as
//     nil, a resource.Quantity is sent as q.String() and decoded with ParseQuantity
//     (quantity_proto.go), a metav1.Time keeps whole seconds and is decoded .Local()
//     (time_proto.go); everything else (pointers, zero scalars) round-trips unchanged;
//  3. controller.ComputeHash (kubernetes/kubernetes pkg/controller/controller_utils.go):
//     fnv.New32a over hashutil.DeepHashObject(*template) -- go-spew ConfigState{Indent: " ",
//     SortKeys: true, DisableMethods: true, SpewKeys: true}.Fprintf("%#v") -- then, when
//     collisionCount is set, an 8-byte buffer holding it little-endian in its first 4 bytes;
//     rand.SafeEncodeString(fmt.Sprint(sum32)).
//
// Build: tools/spew_oracle/build.sh (Go 1.19 + Debian's go-spew 1.1.1 and inf.v0, sources of
// k8s.io/api and k8s.io/apimachinery v0.32.x; see there).
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"reflect"
	"time"

	"github.com/davecgh/go-spew/spew"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type input struct {
	Name           string          `json:"name"`
	Template       json.RawMessage `json:"template"`
	CollisionCount *int32          `json:"collisionCount"`
}

type output struct {
	Name  string `json:"name"`
	Spew  string `json:"spew"`
	Hash  string `json:"hash"`
	Error string `json:"error,omitempty"`
}

var quantityType = reflect.TypeOf(resource.Quantity{})
var timeType = reflect.TypeOf(metav1.Time{})

// protoRoundTrip normalizes v in place as a protobuf encode/decode would.
func protoRoundTrip(v reflect.Value) {
	switch v.Kind() {
	case reflect.Ptr:
		if !v.IsNil() {
			protoRoundTrip(v.Elem())
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		for i := 0; i < v.Len(); i++ {
			protoRoundTrip(v.Index(i))
		}
	case reflect.Map:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			protoRoundTrip(e)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		switch v.Type() {
		case quantityType:
			q := v.Addr().Interface().(*resource.Quantity)
			*q = resource.MustParse(q.String())
			return
		case timeType:
			t := v.Addr().Interface().(*metav1.Time)
			if t.Time.IsZero() {
				t.Time = time.Time{}
			} else {
				t.Time = time.Unix(t.Time.Unix(), 0).Local()
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				protoRoundTrip(v.Field(i))
			}
		}
	}
}

func computeHash(template *v1.PodTemplateSpec, collisionCount *int32) (string, string) {
	printer := spew.ConfigState{Indent: " ", SortKeys: true, DisableMethods: true, SpewKeys: true}
	s := printer.Sprintf("%#v", *template)
	hasher := fnv.New32a()
	hasher.Write([]byte(s))
	if collisionCount != nil {
		collisionCountBytes := make([]byte, 8)
		binary.LittleEndian.PutUint32(collisionCountBytes, uint32(*collisionCount))
		hasher.Write(collisionCountBytes)
	}
	return s, safeEncodeString(fmt.Sprint(hasher.Sum32()))
}

// k8s.io/apimachinery/pkg/util/rand/rand.go
const alphanums = "bcdfghjklmnpqrstvwxz2456789"

func safeEncodeString(s string) string {
	r := make([]byte, len(s))
	for i, b := range []rune(s) {
		r[i] = alphanums[(int(b) % len(alphanums))]
	}
	return string(r)
}

// typeInfo describes one Go type as reflect sees it, for tools/gen_gospew_types.py.
type typeInfo struct {
	Kind   string      `json:"kind"`
	Elem   string      `json:"elem,omitempty"`
	Key    string      `json:"key,omitempty"`
	Fields []fieldInfo `json:"fields,omitempty"`
}

type fieldInfo struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	JSON     string `json:"json,omitempty"`
	Embedded bool   `json:"embedded,omitempty"`
	Exported bool   `json:"exported"`
}

// dumpTypes writes every type reachable from v1.PodTemplateSpec, keyed by reflect's
// Type.String() (what spew prints), and fails if two distinct types share a string.
func dumpTypes() {
	types := map[string]typeInfo{}
	seen := map[string]reflect.Type{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		name := t.String()
		if prev, ok := seen[name]; ok {
			if prev != t {
				fmt.Fprintf(os.Stderr, "two types print as %s\n", name)
				os.Exit(1)
			}
			return
		}
		seen[name] = t
		info := typeInfo{Kind: t.Kind().String()}
		types[name] = info
		switch t.Kind() {
		case reflect.Ptr, reflect.Slice, reflect.Array:
			info.Elem = t.Elem().String()
			walk(t.Elem())
		case reflect.Map:
			info.Key, info.Elem = t.Key().String(), t.Elem().String()
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				info.Fields = append(info.Fields, fieldInfo{Name: f.Name, Type: f.Type.String(),
					JSON: f.Tag.Get("json"), Embedded: f.Anonymous, Exported: f.IsExported()})
				walk(f.Type)
			}
		}
		types[name] = info
	}
	walk(reflect.TypeOf(v1.PodTemplateSpec{}))
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	enc.Encode(types)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-types" {
		dumpTypes()
		return
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	enc := json.NewEncoder(os.Stdout)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var in input
		if err := json.Unmarshal(line, &in); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var t v1.PodTemplateSpec
		out := output{Name: in.Name}
		if err := json.Unmarshal(in.Template, &t); err != nil {
			out.Error = err.Error()
		} else {
			protoRoundTrip(reflect.ValueOf(&t).Elem())
			out.Spew, out.Hash = computeHash(&t, in.CollisionCount)
		}
		enc.Encode(out)
	}
}
