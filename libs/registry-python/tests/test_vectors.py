"""The shared validation vectors (schemas/<namespace>/<Name>.vectors.json) in Python: every valid
value is accepted and written back unchanged; every invalid one is refused, on read and on write,
with a ValueError that names its JSON pointer. TypeScript, Go and Java check the same files."""

import dataclasses
import json
import os
import pathlib
import unittest

from statefun_registry import REGISTRY

SCHEMAS = pathlib.Path(os.environ.get("SCHEMAS_DIR", pathlib.Path(__file__).resolve().parents[3] / "schemas"))


def _cases():
    for file in sorted(SCHEMAS.glob("*/*.schema.json")):
        schema = json.loads(file.read_text("utf-8"))
        vectors = json.loads(file.with_name(file.name.replace(".schema.json", ".vectors.json")).read_text("utf-8"))
        yield file, REGISTRY[schema["x-statefun-typename"]], vectors


class VectorsTest(unittest.TestCase):
    def test_accepts_every_valid_value(self) -> None:
        count = 0
        for file, typ, vectors in _cases():
            for index, value in enumerate(vectors["valid"]):
                with self.subTest(f"{file.name} valid[{index}]"):
                    read = typ.serializer().deserialize(json.dumps(value).encode("utf-8"))
                    self.assertEqual(json.loads(typ.serializer().serialize(read)), value)
                    count += 1
        self.assertGreater(count, 10)

    def test_refuses_every_invalid_value_naming_its_pointer(self) -> None:
        count = 0
        for file, typ, vectors in _cases():
            for case in vectors["invalid"]:
                pointer = case["pointer"] or "(root)"
                with self.subTest(f"{file.name}: {case['why']} at {pointer}"):
                    with self.assertRaises(ValueError) as refused:
                        typ.serializer().deserialize(json.dumps(case["value"]).encode("utf-8"))
                    self.assertIn(f"cannot deserialize: {pointer} ", str(refused.exception))
                    count += 1
        self.assertGreater(count, 20)

    def test_refuses_to_write_a_value_that_breaks_the_schema(self) -> None:
        _, typ, vectors = next(c for c in _cases() if c[0].name == "GreetRequest.schema.json")
        value = typ.serializer().deserialize(json.dumps(vectors["valid"][0]).encode("utf-8"))
        bad = dataclasses.replace(value, name="")
        with self.assertRaisesRegex(ValueError, "com.example/GreetRequest: cannot serialize: /name must NOT have fewer than 1 characters"):
            typ.serializer().serialize(bad)


if __name__ == "__main__":
    unittest.main()
