// Package examples_test round-trips every schema example (schemas/**/*.schema.json) through the
// generated StateFun types of package registry, as a service that depends on this module would
// use them: deserialize the JSON, serialize it again, and expect the same JSON value.
package examples_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"statefun-ts/registry-go/registry"
)

// receivers makes an empty value of each registry type by typename.
var receivers = map[string]func() interface{}{
	registry.GreetRequestTypeName:  func() interface{} { return new(registry.GreetRequest) },
	registry.GreetingTypeName:      func() interface{} { return new(registry.Greeting) },
	registry.UserTypeName:          func() interface{} { return new(registry.User) },
	registry.UserV2TypeName:        func() interface{} { return new(registry.UserV2) },
	registry.VisitTypeName:         func() interface{} { return new(registry.Visit) },
	registry.SampleTypeName:        func() interface{} { return new(registry.Sample) },
	registry.PostalAddressTypeName: func() interface{} { return new(registry.PostalAddress) },
}

type schemaFile struct {
	TypeName string            `json:"x-statefun-typename"`
	Examples []json.RawMessage `json:"examples"`
}

func TestEveryExampleRoundTrips(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "schemas", "*", "*.schema.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schema files found next to this module (%v)", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var schema schemaFile
		if err := json.Unmarshal(data, &schema); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		typ, ok := registry.Types[schema.TypeName]
		newValue, known := receivers[schema.TypeName]
		if !ok || !known {
			t.Fatalf("%s: %s is missing from registry.Types or from this test", file, schema.TypeName)
		}
		for i, example := range schema.Examples {
			value := newValue()
			if err := typ.Deserialize(bytes.NewReader(example), value); err != nil {
				t.Fatalf("%s#/examples/%d: deserialize: %v", file, i, err)
			}
			var out bytes.Buffer
			if err := typ.Serialize(&out, value); err != nil {
				t.Fatalf("%s#/examples/%d: serialize: %v", file, i, err)
			}
			var want, got interface{}
			_ = json.Unmarshal(example, &want)
			if err := json.Unmarshal(out.Bytes(), &got); err != nil || !reflect.DeepEqual(want, got) {
				t.Errorf("%s#/examples/%d: wrote %s", file, i, strings.TrimSpace(out.String()))
			}
		}
	}
	if len(registry.Types) != len(receivers) {
		t.Errorf("registry.Types has %d types, this test knows %d", len(registry.Types), len(receivers))
	}
}
