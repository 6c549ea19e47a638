//! Bungie's OpenAPI 3.0 document (`../shared/bungie-api/openapi.json`) turned into JSON Schemas
//! that the `jsonschema` crate validates answers with.
//!
//! The conversion keeps what the spec says about shapes and rewrites what bungie.net does on the
//! wire differently from the spec's literal text:
//! - `components.schemas` become `$defs`, and every `$ref` points there;
//! - `nullable: true` also allows `null`;
//! - int64 and uint64 travel as strings of digits, so `{type: integer, format: int64}` becomes
//!   `{type: string, pattern: "^-?[0-9]+$"}`; other integers stay integers within their format's
//!   range;
//! - enums are listed as strings of their numeric codes (`"0"`, `"1"`), but sent as integers: the
//!   codes become integers, and a value that names an enum (`x-enum-reference`) must be one of its
//!   codes; bitmask enums allow any combination, so any integer;
//! - .NET bytes are declared `{type: string, format: byte}` (as if base64) but sent as numbers
//!   0 to 255 (`DestinyColor`), so they become integers in that range;
//! - dictionaries (`additionalProperties` with `x-dictionary-key`) keep string keys, which must be
//!   digits when the key type is a number (enum keys travel as the enum's names);
//! - unknown extra fields are allowed (the spec never says `additionalProperties: false`).

use std::path::{Path, PathBuf};

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

/// Where the spec lives: the project root's sibling `../shared/`.
pub fn spec_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/bungie-api/openapi.json"
    ))
}

/// The folder of the real bungie.net fixtures, beside the spec.
pub fn real_data_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data"
    ))
}

/// The message a test prints when the shared folder is absent.
pub const SKIP_MESSAGE: &str = "skipped: ../shared/bungie-api/openapi.json is absent (a fresh clone without the shared folder)";

/// The pattern of an int64 or uint64 sent as a string.
const INT64_PATTERN: &str = "^-?[0-9]+$";

/// One operation of the spec: its HTTP method and path template (relative to `/Platform`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `operationId`, e.g. `Destiny2.TransferItem`.
    pub id: String,
    /// Lowercase HTTP method, e.g. `post`.
    pub method: String,
    /// The path template, e.g. `/Destiny2/{membershipType}/Profile/{destinyMembershipId}/`.
    pub path: String,
}

/// The spec, with its schemas converted once.
pub struct Spec {
    document: Value,
    defs: Value,
}

impl Spec {
    /// Loads and converts the spec; `None` when the file is absent.
    ///
    /// # Panics
    /// When the file exists but is not the JSON OpenAPI document it should be.
    pub fn load() -> Option<Self> {
        let path = spec_path();
        if !path.exists() {
            return None;
        }
        let document = read_json(&path);
        let schemas = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .expect("the spec has components.schemas");
        let defs = schemas
            .iter()
            .map(|(name, schema)| (name.clone(), convert(schema)))
            .collect::<Map<_, _>>();
        Some(Self {
            document,
            defs: Value::Object(defs),
        })
    }

    /// Every operation the spec declares.
    pub fn operations(&self) -> Vec<Operation> {
        let Some(paths) = self.document.get("paths").and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut operations = Vec::new();
        for (path, item) in paths {
            let Some(methods) = item.as_object() else {
                continue;
            };
            for (method, operation) in methods {
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    operations.push(Operation {
                        id: id.to_string(),
                        method: method.clone(),
                        path: path.clone(),
                    });
                }
            }
        }
        operations
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<Operation> {
        self.operations().into_iter().find(|op| op.id == id)
    }

    /// The converted schema of an operation's 200 answer: the envelope with its `Response`.
    ///
    /// # Panics
    /// When the operation or its response is missing from the spec.
    pub fn response_schema(&self, operation_id: &str) -> Value {
        let raw = self.operation_object(operation_id);
        let reference = raw
            .pointer("/responses/200/$ref")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{operation_id} has no 200 response $ref"));
        let name = reference
            .strip_prefix("#/components/responses/")
            .unwrap_or_else(|| panic!("{operation_id}'s response {reference} is not a component"));
        let schema = self
            .document
            .pointer("/components/responses")
            .and_then(|responses| responses.get(name))
            .and_then(|response| response.pointer("/content/application~1json/schema"))
            .unwrap_or_else(|| {
                panic!("components.responses.{name} has no application/json schema")
            });
        convert(schema)
    }

    /// The converted schema of an operation's JSON request body, when it takes one.
    pub fn request_schema(&self, operation_id: &str) -> Option<Value> {
        self.operation_object(operation_id)
            .pointer("/requestBody/content/application~1json/schema")
            .map(convert)
    }

    /// A reference to a converted `components.schemas` entry, e.g. `Destiny.Definitions.DestinyClassDefinition`.
    ///
    /// # Panics
    /// When the spec has no such schema.
    pub fn schema_ref(&self, name: &str) -> Value {
        assert!(
            self.defs.get(name).is_some(),
            "the spec has no schema named {name}"
        );
        json!({ "$ref": def_ref(name) })
    }

    /// A validator for a converted schema, with every `$defs` entry it may refer to.
    ///
    /// # Panics
    /// When the crate refuses the schema (a conversion bug).
    pub fn validator(&self, schema: &Value) -> Validator {
        let mut root = schema.as_object().cloned().unwrap_or_default();
        root.insert("$defs".to_string(), self.defs.clone());
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .build(&Value::Object(root))
            .unwrap_or_else(|error| panic!("the converted schema does not compile: {error}"))
    }

    /// The raw operation object of an `operationId`.
    fn operation_object(&self, operation_id: &str) -> &Value {
        let operation = self
            .operation(operation_id)
            .unwrap_or_else(|| panic!("the spec has no operation {operation_id}"));
        self.document
            .get("paths")
            .and_then(|paths| paths.get(&operation.path))
            .and_then(|item| item.get(&operation.method))
            .unwrap_or_else(|| panic!("the spec lost {operation_id}"))
    }
}

/// What a validator finds wrong with an answer, one line per problem: the JSON pointer of the
/// bad value and what is wrong with it (cut short, since a message may quote a whole value).
pub fn problems(validator: &Validator, instance: &Value) -> Vec<String> {
    let mut found: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| {
            let mut message = error.to_string();
            if message.len() > 300 {
                let cut = (0..=300)
                    .rev()
                    .find(|i| message.is_char_boundary(*i))
                    .unwrap_or(0);
                message.truncate(cut);
                message.push_str("...");
            }
            format!("at {:?}: {message}", error.instance_path().as_str())
        })
        .collect();
    // `{type: object, allOf: [$ref]}` reports a wrong type twice: once is enough.
    found.dedup();
    found
}

/// Reads a JSON file.
///
/// # Panics
/// When the file is unreadable or not JSON.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}

/// The `$ref` of a converted schema.
fn def_ref(name: &str) -> String {
    format!("#/$defs/{}", name.replace('~', "~0").replace('/', "~1"))
}

/// Converts one OpenAPI 3.0 schema object into JSON Schema 2020-12 (see the module doc).
pub fn convert(schema: &Value) -> Value {
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let converted = convert_not_null(object);
    if object.get("nullable").and_then(Value::as_bool) == Some(true) {
        json!({ "anyOf": [{ "type": "null" }, converted] })
    } else {
        converted
    }
}

/// Converts a schema object, leaving `nullable` to [`convert`].
fn convert_not_null(object: &Map<String, Value>) -> Value {
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        return match reference.strip_prefix("#/components/schemas/") {
            Some(name) => json!({ "$ref": def_ref(name) }),
            None => panic!("the spec refers to {reference}, which is not a schema"),
        };
    }
    let mut out = Map::new();
    match object.get("type").and_then(Value::as_str) {
        Some("integer") => convert_integer(object, &mut out),
        Some("array") => {
            out.insert("type".into(), "array".into());
            if let Some(items) = object.get("items") {
                out.insert("items".into(), convert(items));
            }
        }
        Some("object") => convert_object(object, &mut out),
        Some("string") if object.get("format").and_then(Value::as_str) == Some("byte") => {
            convert_integer(object, &mut out);
        }
        Some(other) => {
            out.insert("type".into(), other.into());
        }
        None => {}
    }
    if let Some(all_of) = object.get("allOf").and_then(Value::as_array) {
        out.insert(
            "allOf".into(),
            Value::Array(all_of.iter().map(convert).collect()),
        );
    }
    Value::Object(out)
}

/// Integers: int64 and uint64 as digit strings; the rest as integers in range, with enum codes.
fn convert_integer(object: &Map<String, Value>, out: &mut Map<String, Value>) {
    let format = object.get("format").and_then(Value::as_str).unwrap_or("");
    if matches!(format, "int64" | "uint64") {
        out.insert("type".into(), "string".into());
        out.insert("pattern".into(), INT64_PATTERN.into());
        return;
    }
    out.insert("type".into(), "integer".into());
    if let Some((minimum, maximum)) = integer_range(format) {
        out.insert("minimum".into(), minimum.into());
        out.insert("maximum".into(), maximum.into());
    }
    let bitmask = object.get("x-enum-is-bitmask").and_then(Value::as_bool) == Some(true);
    if bitmask {
        return;
    }
    if let Some(codes) = object.get("enum").and_then(Value::as_array) {
        let codes = codes.iter().map(enum_code).collect();
        out.insert("enum".into(), Value::Array(codes));
    } else if let Some(reference) = object
        .get("x-enum-reference")
        .and_then(|enum_ref| enum_ref.get("$ref"))
    {
        let named = convert(&json!({ "$ref": reference }));
        out.insert("allOf".into(), json!([named]));
    }
}

/// The range of an integer format, as .NET has them.
fn integer_range(format: &str) -> Option<(i64, i64)> {
    match format {
        "int32" => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        "uint32" => Some((0, i64::from(u32::MAX))),
        "int16" => Some((i64::from(i16::MIN), i64::from(i16::MAX))),
        "byte" => Some((0, i64::from(u8::MAX))),
        _ => None,
    }
}

/// One enum code: the spec lists `"3"`, the wire carries `3`.
fn enum_code(code: &Value) -> Value {
    match code.as_str().and_then(|text| text.parse::<i64>().ok()) {
        Some(number) => number.into(),
        None => code.clone(),
    }
}

/// Objects: properties converted; dictionaries keep string keys, digits for numeric key types.
fn convert_object(object: &Map<String, Value>, out: &mut Map<String, Value>) {
    out.insert("type".into(), "object".into());
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        let properties = properties
            .iter()
            .map(|(name, schema)| (name.clone(), convert(schema)))
            .collect::<Map<_, _>>();
        out.insert("properties".into(), Value::Object(properties));
    }
    if let Some(values) = object.get("additionalProperties") {
        out.insert("additionalProperties".into(), convert(values));
    }
    // Enum keys travel as the enum's identifiers ("TigerPsn"), other numeric keys as digits.
    let numeric_keys = object.get("x-dictionary-key").is_some_and(|key| {
        key.get("type").and_then(Value::as_str) == Some("integer")
            && key.get("x-enum-reference").is_none()
    });
    if numeric_keys {
        out.insert("propertyNames".into(), json!({ "pattern": INT64_PATTERN }));
    }
}
