package examples_test

// The shared validation vectors (schemas/<namespace>/<Name>.vectors.json) in Go: every valid value
// is accepted and written back unchanged; every invalid one is refused when read with an error
// naming its JSON pointer, and, when Go's JSON decoder can hold it in the struct at all, refused
// again when written. TypeScript, Java and Python check the same files.

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

type vectors struct {
	Valid   []json.RawMessage `json:"valid"`
	Invalid []struct {
		Value   json.RawMessage `json:"value"`
		Pointer string          `json:"pointer"`
		Why     string          `json:"why"`
	} `json:"invalid"`
}

func TestSharedVectors(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "schemas", "*", "*.schema.json"))
	if len(files) == 0 {
		t.Fatal("no schema files found next to this module")
	}
	cases := 0
	for _, file := range files {
		var schema schemaFile
		var vs vectors
		data, _ := os.ReadFile(file)
		_ = json.Unmarshal(data, &schema)
		vdata, err := os.ReadFile(strings.TrimSuffix(file, ".schema.json") + ".vectors.json")
		if err != nil {
			t.Fatalf("%s has no vectors file: %v", file, err)
		}
		if err := json.Unmarshal(vdata, &vs); err != nil {
			t.Fatal(err)
		}
		typ := registry.Types[schema.TypeName]
		newValue := receivers[schema.TypeName]
		for i, valid := range vs.Valid {
			value := newValue()
			if err := typ.Deserialize(bytes.NewReader(valid), value); err != nil {
				t.Errorf("%s valid[%d]: refused: %v", file, i, err)
				continue
			}
			var out bytes.Buffer
			if err := typ.Serialize(&out, value); err != nil {
				t.Errorf("%s valid[%d]: not written: %v", file, i, err)
				continue
			}
			var want, got interface{}
			_ = json.Unmarshal(valid, &want)
			_ = json.Unmarshal(out.Bytes(), &got)
			if !reflect.DeepEqual(want, got) {
				t.Errorf("%s valid[%d]: wrote %s", file, i, out.String())
			}
			cases++
		}
		for _, invalid := range vs.Invalid {
			pointer := invalid.Pointer
			if pointer == "" {
				pointer = "(root)"
			}
			err := typ.Deserialize(bytes.NewReader(invalid.Value), newValue())
			if err == nil || !strings.Contains(err.Error(), "cannot deserialize: "+pointer+" ") {
				t.Errorf("%s: %s at %s: read gave %v", file, invalid.Why, pointer, err)
			}
			// the writer: when the struct holds the invalid value itself (it marshals back to the same
			// JSON, e.g. a broken pattern or range), writing it must fail the same way
			value := newValue()
			if json.Unmarshal(invalid.Value, value) == nil && sameJSON(value, invalid.Value) {
				err := typ.Serialize(&bytes.Buffer{}, value)
				if err == nil || !strings.Contains(err.Error(), "cannot serialize: ") {
					t.Errorf("%s: %s at %s: written without error", file, invalid.Why, pointer)
				}
			}
			cases++
		}
	}
	if cases < 40 {
		t.Errorf("only %d vectors", cases)
	}
}

func sameJSON(value interface{}, want json.RawMessage) bool {
	encoded, err := json.Marshal(value)
	if err != nil {
		return false
	}
	var a, b interface{}
	_ = json.Unmarshal(encoded, &a)
	_ = json.Unmarshal(want, &b)
	return reflect.DeepEqual(a, b)
}
