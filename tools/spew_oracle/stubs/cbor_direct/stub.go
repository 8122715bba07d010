// Package direct: compile stub for the spew oracle (CBOR is not used).
package direct

import "errors"

func Marshal(src interface{}) ([]byte, error) { return nil, errors.New("cbor not supported") }
func Unmarshal(src []byte, dst interface{}) error { return errors.New("cbor not supported") }
