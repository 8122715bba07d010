// Package klog: compile stub for the spew oracle.
package klog

import "fmt"

func Errorf(format string, args ...interface{}) { fmt.Printf(format, args...) }
