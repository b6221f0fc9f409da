//! OpenAPI parameter styles (`style`, `explode`, `allowReserved`) → the
//! [`Encoding`] of a path or query parameter, following OpenAPI 3.0.3's
//! style table. What the table does not define is an error at the `style`
//! or `explode` key.
//!
//! `lint.rs` has already checked the raw keys (`style` a string naming a
//! style of the parameter's location, `explode` and `allowReserved`
//! booleans); this decides what they mean for the parameter's type.
//!
//! # Rules
//!
//! *Styles.* Path and query parameters are written as OpenAPI 3.0.3's style table ("Style Values",
//! "Style Examples") says, from the parameter's `style` (default `simple` in a path, `form` in a query)
//! and `explode` (default `true` for `form`, `false` for every other style). Normalise decides each
//! parameter's `Encoding`: the default, and a style that writes the same text (`style: simple` on a path
//! scalar, `style: form` with either `explode` on a query scalar, `form` + `explode: true` on a query
//! array), stays `Encoding::Plain`, so such parameters generate exactly what they did before; every other
//! combination is `Encoding::Styled(Style)`, and the request builder calls the runtime function of that
//! style (`templates/runtime/form.rs`: `path_simple`, `path_label`, `path_matrix`, `Form::push_form`,
//! `push_space_delimited`, `push_pipe_delimited`, `push_deep_object`, over a `StyleValue`). With
//! `color` = `"blue"`, `[blue, black]`, `{R: 100, G: 200}`:
//!
//! | `in` | `style` | `explode` | scalar | array | object |
//! |---|---|---|---|---|---|
//! | path | `simple` (default) | false / true | `blue` | `blue,black` | `R,100,G,200` / `R=100,G=200` |
//! | path | `label` | false / true | `.blue` | `.blue.black` (both, as 3.0.3's table) | `.R.100.G.200` / `.R=100.G=200` |
//! | path | `matrix` | false / true | `;color=blue` (`;color` for `""`) | `;color=blue,black` / `;color=blue;color=black` | `;color=R,100,G,200` / `;R=100;G=200` |
//! | query | `form` (default) | true (default) | `color=blue` | `color=blue&color=black` | `R=100&G=200` |
//! | query | `form` | false | `color=blue` | `color=blue,black` | `color=R,100,G,200` |
//! | query | `spaceDelimited` | false | refused | `color=blue%20black` | `color=R%20100%20G%20200` |
//! | query | `pipeDelimited` | false | refused | `color=blue\|black` | `color=R\|100\|G\|200` |
//! | query | `deepObject` | true | refused | refused | `color[R]=100&color[G]=200` |
//! | header | `simple` | any | its text | refused | refused |
//!
//! - **Objects.** A struct's members go in *declaration order* (the generated `impl ParamObject` lists
//!   the fields as the schema does), unset optional fields left out; a map's in key order (`BTreeMap`).
//!   An object parameter's schema is typed like a JSON body's (required properties are `T`; a component
//!   that responses use too is `<Name>Request`).
//! - **Escaping.** The delimiters are written as the table writes them; every name and value is
//!   percent-encoded so that it cannot be taken for one: in a path everything but RFC 3986 unreserved
//!   characters (so `,` `;` `=` `/` and spaces), and in a label also `.` (`%2E`); in a query as a form
//!   field (`,` `|` `[` `]` `&` `=` `+` encoded, spaces as `+`, so in `spaceDelimited` a space in a value
//!   is `+` and the delimiter `%20`).
//! - **Empty values.** An empty array or object is "undefined" (RFC 6570): a query sends nothing, a path
//!   parameter gets the empty text. A path parameter whose written text is empty or a dot segment (`.`,
//!   `..`, also with `%2E`: an empty label value is `.`, a label value `.` is `.%2E`) is refused with
//!   `Error::Validation` before anything is sent, as for `path_segment`.
//! - **`spaceDelimited`'s key.** 3.0.3's example omits the parameter name (`blue%20black%20brown`); the
//!   client sends `color=blue%20black%20brown`, as 3.0.4 corrected the example and tools do.
//! - **Refused at generation** (file and JSON pointer at the key): a `style` that is not a string, not a
//!   3.0 style name (case-sensitive) or not one of its location's (`label` or `matrix` in a query, `form`
//!   in a path, anything but `simple` on a header); `spaceDelimited`/`pipeDelimited` on a scalar or with
//!   `explode: true`; `deepObject` on a scalar or array, or with `explode: false`; any style but the
//!   default on a `prefixed-collapsible-map`. `deepObject` written without `explode` (the common
//!   spelling, though `explode` would default to `false`) is read as `explode: true`, the only row the
//!   table has. `allowReserved: true` is refused: values are always percent-encoded, so a value can
//!   never change the query's structure. Header arrays and objects stay refused (`error_header_not_scalar`).

use serde_json::Value;

use super::Normaliser;
use crate::error::{Error, Location};
use crate::model::{Encoding, Param, ParamIn, Style, Type, TypeDef};

/// What the style table calls a value: its columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A string, number, boolean or enum ("primitive").
    Scalar,
    /// An array of scalars.
    Array,
    /// A struct whose fields are all scalars, or a map of scalars.
    Object,
    /// Anything else (untyped, arrays of arrays or objects, nested objects):
    /// no row of the table writes it.
    Other,
}

/// The style keys as the spec writes them (absent: `None`).
struct Written<'a> {
    style: Option<&'a str>,
    explode: Option<bool>,
    allow_reserved: bool,
}

impl Written<'_> {
    fn read(raw: Option<&Value>) -> Written<'_> {
        let key = |name: &str| raw.and_then(|raw| raw.get(name));
        Written {
            style: key("style").and_then(Value::as_str),
            explode: key("explode").and_then(Value::as_bool),
            allow_reserved: key("allowReserved").and_then(Value::as_bool) == Some(true),
        }
    }
}

impl Normaliser<'_> {
    /// Is the schema at `at` an object (so a path or query parameter with it
    /// is typed as a request-side struct or map)? Only `type: object`, or
    /// `properties`/`additionalProperties` without a type: an empty schema
    /// stays untyped.
    pub(super) fn object_param_schema(&self, at: &Location) -> bool {
        let Some((_, raw)) = self.resolved_raw(at) else {
            return false;
        };
        match raw.get("type").and_then(Value::as_str) {
            Some(ty) => ty == "object",
            None => raw.get("properties").is_some() || raw.get("additionalProperties").is_some(),
        }
    }

    /// The encoding of path or query parameter `param` (declared at `at`,
    /// its schema at `schema_at`) by its style and type.
    pub(super) fn url_encoding(
        &self,
        at: &Location,
        schema_at: &Location,
        param: &Param,
    ) -> Result<Encoding, Error> {
        let written = Written::read(self.docs.get(at));
        if param.location == ParamIn::Query && written.allow_reserved {
            return Err(Error::spec(
                &at.join("allowReserved"),
                format!("`allowReserved: true` on `{}` is not supported: the generated client percent-encodes reserved characters in query values, so a value can never change the query's structure; remove it (the server decodes the values the same)", param.wire),
            ));
        }
        if let Encoding::PrefixedMap { .. } = param.encoding {
            return match (written.style, written.explode) {
                (None | Some("form"), None | Some(true)) => Ok(param.encoding.clone()),
                _ => Err(Error::spec(
                    &at.join(if written.style.is_some_and(|s| s != "form") { "style" } else { "explode" }),
                    format!("`{}` is a `prefixed-collapsible-map`, sent as one `<Prefix>.<key>` pair per leaf; it takes no other style: remove `style` and `explode`", param.wire),
                )),
            };
        }
        let shape = self.shape(&param.ty);
        if shape == Shape::Other {
            return Err(Error::spec(
                schema_at,
                format!("parameter `{}` cannot go in the URL as it is (no type at all, an array of arrays or of objects, or an object with a property that is not a string, number, boolean or enum); give it a `type` of string, integer, number or boolean (or an enum), an array of those, or an object with only such properties", param.wire),
            ));
        }
        let style = decide(param.location, &written, shape, at, &param.wire)?;
        Ok(match (style, shape) {
            // The default writes these as `Plain` always has (byte for byte).
            (Style::Simple { .. }, Shape::Scalar)
            | (Style::Form { .. }, Shape::Scalar)
            | (Style::Form { explode: true }, Shape::Array) => Encoding::Plain,
            (style, _) => Encoding::Styled(style),
        })
    }

    fn shape(&self, ty: &Type) -> Shape {
        let scalar = |ty: &Type| match ty {
            Type::String | Type::I32 | Type::I64 | Type::F64 | Type::Bool => true,
            Type::Named(name) => self.names_enum(name),
            _ => false,
        };
        match ty {
            ty if scalar(ty) => Shape::Scalar,
            Type::Vec(inner) if scalar(inner) => Shape::Array,
            Type::Map(inner) if scalar(inner) => Shape::Object,
            Type::Named(name) => match self.types.get(name) {
                Some((TypeDef::Struct(s), _)) if s.fields.iter().all(|f| scalar(&f.ty)) => {
                    Shape::Object
                }
                _ => Shape::Other,
            },
            _ => Shape::Other,
        }
    }

    /// Marks the structs sent as styled object parameters (they implement
    /// the runtime's `ParamObject`).
    pub(super) fn mark_param_objects(&mut self, params: &[&Param]) {
        for param in params {
            if let (Encoding::Styled(_), Type::Named(name)) = (&param.encoding, &param.ty) {
                if let Some((TypeDef::Struct(s), _)) = self.types.get_mut(name) {
                    s.param_object = true;
                }
            }
        }
    }
}

/// The style of a parameter in `location`, or the error of a combination
/// the table does not define (pointing at `style` or `explode`).
fn decide(
    location: ParamIn,
    written: &Written<'_>,
    shape: Shape,
    at: &Location,
    wire: &str,
) -> Result<Style, Error> {
    let at_style = at.join("style");
    let at_explode = at.join("explode");
    let default = if location == ParamIn::Path {
        "simple"
    } else {
        "form"
    };
    let name = written.style.unwrap_or(default);
    // `explode` defaults to true for `form` only.
    let explode = written.explode.unwrap_or(name == "form");
    let shown = match shape {
        Shape::Scalar => "a single value (string, number, boolean or enum)",
        Shape::Array => "an array",
        _ => "an object",
    };
    let undefined = |what: &str| {
        Error::spec(
            &at_style,
            format!("`style: {name}` is not defined for `{wire}`, {shown}; OpenAPI defines it for {what} only: use another style or change the schema"),
        )
    };
    match name {
        "simple" => Ok(Style::Simple { explode }),
        "label" => Ok(Style::Label { explode }),
        "matrix" => Ok(Style::Matrix { explode }),
        "form" => Ok(Style::Form { explode }),
        "spaceDelimited" | "pipeDelimited" => {
            if shape == Shape::Scalar {
                return Err(undefined("arrays and objects"));
            }
            if explode {
                return Err(Error::spec(
                    &at_explode,
                    format!("`style: {name}` is defined only with `explode: false` (each value would be its own pair, which is `style: form`); remove `explode: true`, or write `style: form` for `{wire}`"),
                ));
            }
            Ok(if name == "spaceDelimited" {
                Style::SpaceDelimited
            } else {
                Style::PipeDelimited
            })
        }
        "deepObject" => {
            if shape != Shape::Object {
                return Err(undefined("objects"));
            }
            // Written without `explode` (common), it means the only row the
            // table has, `explode: true`; only an explicit `false` is wrong.
            if written.explode == Some(false) {
                return Err(Error::spec(
                    &at_explode,
                    format!("`style: deepObject` is defined only with `explode: true`; remove `explode: false` from `{wire}`"),
                ));
            }
            Ok(Style::DeepObject)
        }
        // lint.rs refuses every other name before this is reached.
        other => Err(Error::spec(
            &at_style,
            format!("`style: {other}` is not a style of this parameter's location"),
        )),
    }
}
