// Package runtime: compile stub for the spew oracle (only the names meta/v1 types.go uses).
package runtime

type Object interface{}

type RawExtension struct {
	Raw    []byte `json:"-" protobuf:"bytes,1,opt,name=raw"`
	Object Object `json:"-"`
}
