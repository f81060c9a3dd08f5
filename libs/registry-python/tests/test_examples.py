"""Round-trips every schema example (schemas/**/*.schema.json) through the generated StateFun
types, as a service that installed this package would use them: deserialize the JSON, serialize
it again, and expect the same JSON value. Run: python -m unittest discover -s tests"""

import json
import os
import pathlib
import unittest

from statefun_registry import REGISTRY, UserType

SCHEMAS = pathlib.Path(os.environ.get("SCHEMAS_DIR", pathlib.Path(__file__).resolve().parents[3] / "schemas"))


class ExamplesTest(unittest.TestCase):
    def test_every_example_round_trips(self) -> None:
        files = sorted(SCHEMAS.glob("*/*.schema.json"))
        self.assertGreater(len(files), 0, f"no schema files under {SCHEMAS}")
        cases = 0
        for file in files:
            schema = json.loads(file.read_text("utf-8"))
            typ = REGISTRY[schema["x-statefun-typename"]]
            for index, example in enumerate(schema["examples"]):
                with self.subTest(f"{file.name}#/examples/{index}"):
                    data = json.dumps(example).encode("utf-8")
                    value = typ.serializer().deserialize(data)
                    written = typ.serializer().serialize(value)
                    self.assertEqual(json.loads(written), example)
                    cases += 1
        self.assertGreaterEqual(cases, 10)

    def test_refuses_unknown_properties_naming_them(self) -> None:
        with self.assertRaisesRegex(ValueError, "extra"):
            UserType.serializer().deserialize(b'{"name": "a", "favoriteColor": "b", "extra": 1}')


if __name__ == "__main__":
    unittest.main()
