//! Schemas → Rust types.
//!
//! Named component schemas become one named type each (found again by their
//! location, so two `$ref`s to one schema share a type). Inline objects and enums
//! are named from their context (`title`, or parent type + field).
//!
//! # Rules
//!
//! **Type names.** A component schema `conversations.v1.conversation.conversation_scoped_webhook` becomes
//! `ConversationScopedWebhook`: keep the part after the last `.`, drop `_enum_`
//! (`conversation_scoped_webhook_enum_method` → `ConversationScopedWebhookMethod`), UpperCamel via heck.
//! Inline objects take their `title`, else parent type + field name; inline enums parent + field name;
//! parameter structs are `<OperationId>Params`. Names that would coincide never stop generation; see
//! [`super::modules`] for the rule.
//!
//! **Enum names survive Twilio's move to components.** Twilio moves inline enums to components named
//! `<owner>_enum_<name>` without changing the wire (Conversations, 2022-06 → 2022-11). An inline enum is
//! named after where it is: `<Schema><Property>` in a model (`ParticipantConversationConversationState`
//! for `conversation_state` of `participant_conversation`), `<OperationId><Field>` in a request
//! (`CreateConversationState`), `…Item` for an array's items. So that the Rust names stay, a
//! `<owner>_enum_<name>` component is named *as it was inline at its owner*: after the first property of
//! the schema whose key ends in `<owner>` that refers to it (`participant_conversation_enum_state` →
//! `ParticipantConversationConversationState`), with `Item` for array items; only when no property of the
//! owner refers to it does it take its own name (`conversation_message_enum_order_type` →
//! `ConversationMessageOrderType`). Every other place that refers to it keeps the name an inline enum
//! would have had there as `#[deprecated] pub type CreateConversationState = ConversationState;`
//! (`generator/src/normalise/schemas.rs`: `owned_enum_name`, `aliases`). Request enums that were one per
//! operation become one shared type, so code using either name compiles. Checked on Twilio's own step:
//! every enum name the 2022-06 document gives exists, as a type or an alias, in the 2022-11 one
//! (`tests/tests/it/api_shape.rs`; cases `enum_inline_names` and `enum_component_names`).
//!
//! **Nullability** is decided from what this module reads (`required`, `nullable`, also beside a
//! `$ref`) by [`super::shapes`], which documents the table.
//!
//! **Untyped schemas.** A response property that describes no shape (no type at all, like
//! `configuration`, or `type: object` without properties) is `serde_json::Value`, always. When the
//! requests answering with that model send it as dotted form fields (`Configuration.Url`,
//! `Configuration.Method`, …), the model also gets a typed view: `typed_configuration()` returns
//! `Result<Option<ConversationScopedWebhookConfiguration>, serde_json::Error>`, a struct `{ url, method,
//! filters, triggers, flow_sid, replay_after }` with every field optional, typed like the form field (so
//! `method` is the method enum), and unknown keys kept in `other: Map<String, Value>`. `Ok(None)` is an
//! absent or `null` value; an error names the key that holds another type, and the response itself has
//! parsed. The field stays `Value` because what the inference finds depends on the *request* side of the
//! spec: a spec that only adds `Bindings.*` form fields must not change the type of a response field
//! (`diff` counts a view gained as minor, lost as major). `allOf` of several schemas, `oneOf`, `anyOf`
//! and `not` are `serde_json::Value` too, without a view.
//!
//! **Scalars.** `integer` → `i64` (`format: int32` → `i32`), `number` → `f64`, `boolean` → `bool`, other
//! strings → `String`.
//!
//! **Dates.** A response field with `format: date-time` (RFC 3339), `date` or `date-time-rfc-2822`
//! (api_v2010's `Mon, 16 Aug 2010 03:45:01 +0000`) is `runtime::dates::Timestamp`: the text as received,
//! written back unchanged by serde, deref to `&str` (so `date_created.as_deref()` is an `Option<&str>`).
//! Twilio's formats vary between APIs, so a value that does not parse never fails a response. With the
//! generated crate's feature `time` (additive, off by default), `Timestamp::parse()` (also
//! `as_offset_date_time()`) reads any of the three into `Option<time::OffsetDateTime>` (a plain date is
//! midnight UTC; `None` when the text is no such date). Request parameters and webhook fields keep dates
//! as `String` (case `dates`, tests in `tests/tests/it/dates.rs`).
//!
//! A `format` the generator does not know (`currency`, `twiml`, `OrganizationSid`, a misspelt
//! `date_time`) falls back to the schema's `type`, as OpenAPI formats are open; the known ones keep their
//! meaning (`int32`, `uri`, `uri-map`, `prefixed-collapsible-map-*`). Case `unknown_format`.
//!
//! *JSON body types.* The body's schema becomes a model like any other, with the request shape: a
//! required field is `T` (`Option<T>` when also `nullable`, written as `null` when `None`), an optional
//! one `Option<T>` with `skip_serializing_if`, so unset fields are not sent; nested objects, arrays,
//! enums and maps (`additionalProperties`) are typed the same way; `new(..)` takes the required fields
//! (`Default` too when there are none) and each optional one has a setter (see `docs/client.md`, *The shape of the public API*). `allOf` of one schema is that schema; `oneOf`/`anyOf`, `allOf` of
//! several and an object without `properties` are `serde_json::Value` (a whole body typed that way for
//! `oneOf`/`anyOf`/`allOf` is a recorded fallback; Twilio's request bodies use none of them today). A component schema that some response also uses gets two types: the response model
//! (every field optional) keeps its name, the request shape is `<Name>Request` (iam's `ScimUser` →
//! `ScimUserRequest`). Checks (`pattern`, lengths, bounds) are applied to parameters, not inside JSON
//! bodies.
//!
//! **Maps.** An object with no `properties` is a map when the spec says what its values are:
//! `format: uri-map` (Twilio's `links`) is `BTreeMap<String, String>` (link name → URL), and
//! `additionalProperties: <schema>` is `BTreeMap<String, T>`. Otherwise it is `serde_json::Value`.

use openapiv3::{
    AnySchema, ReferenceOr, Schema, SchemaKind, Type as OaType, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::context::Ctx;
use super::{description, Normaliser};
use crate::error::{Error, Location};
use crate::model::{Checks, Field, NextPage, Struct, Type, TypeDef, View};
use crate::names;

/// String formats the generator gives a meaning beyond `String` or has seen in
/// Twilio's documents. OpenAPI formats are open: any other format (`currency`,
/// `twiml`, `OrganizationSid`, …) falls back to the schema's `type`.
pub const KNOWN_STRING_FORMATS: &[&str] = &[
    "binary",
    "byte",
    "date",
    "date-time",
    "duration",
    "email",
    "hostname",
    "http-method",
    "ipv4",
    "ipv6",
    "iso-country-code",
    "password",
    "phone-number",
    "phone-number-capability",
    "sid",
    "time",
    "uri",
    "uri-map",
    "uri-reference",
    "uuid",
];

/// How deep schemas may nest, counting every property, item and `$ref`
/// followed on the way (Twilio's documents need fewer than 10 levels).
pub const MAX_SCHEMA_DEPTH: usize = 32;

/// What a schema says besides its type: used for docs and request checks.
#[derive(Clone, Debug, Default)]
pub struct SchemaInfo {
    pub nullable: bool,
    pub description: Option<String>,
    pub checks: Checks,
    /// The schema describes no shape: no type and nothing else that gives it
    /// one, or `type: object` with no properties.
    pub free_form: bool,
}

/// A schema at a location: either a reference to follow or an inline schema.
pub enum Node<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }
}

impl Normaliser<'_> {
    /// Reads the schema at a location with openapiv3, reporting where it failed.
    pub(super) fn read_schema(&self, at: &Location) -> Result<Schema, Error> {
        let value = self
            .docs
            .get(at)
            .ok_or_else(|| Error::spec(at, "expected a schema here"))?;
        check_raw_schema(at, value)?;
        self.read_as(at, value)
    }

    /// The type for the schema at `at`, plus what else it says. `hint` names new
    /// inline types. Errors are recorded; the returned type is then `Json`.
    pub(super) fn schema_type(
        &mut self,
        ctx: Ctx<'_>,
        node: Node<'_>,
        at: &Location,
        hint: &str,
    ) -> (Type, SchemaInfo) {
        match self.try_schema_type(ctx, node, at, hint) {
            Ok(result) => result,
            Err(error) => {
                self.errors.push(error);
                (Type::Json, SchemaInfo::default())
            }
        }
    }

    /// Every schema inside a schema (properties, items, `$ref`s followed, …)
    /// comes through here, one level deeper: past [`MAX_SCHEMA_DEPTH`] the
    /// schema is an error rather than a stack overflow.
    fn try_schema_type(
        &mut self,
        ctx: Ctx<'_>,
        node: Node<'_>,
        at: &Location,
        hint: &str,
    ) -> Result<(Type, SchemaInfo), Error> {
        if ctx.depth >= MAX_SCHEMA_DEPTH {
            return Err(Error::spec(
                at,
                format!("schemas nest more than {MAX_SCHEMA_DEPTH} levels deep here (counting properties, items and the `$ref`s followed to reach this one), more than the generator follows; flatten the chain, for example with `type: object` and no properties at some level"),
            ));
        }
        self.schema_type_at_depth(ctx.deeper(), node, at, hint)
    }

    fn schema_type_at_depth(
        &mut self,
        ctx: Ctx<'_>,
        node: Node<'_>,
        at: &Location,
        hint: &str,
    ) -> Result<(Type, SchemaInfo), Error> {
        match node {
            Node::Ref(reference) => {
                // openapiv3 drops siblings of `$ref`; `nullable` and `description`
                // written beside one are read from the raw document instead.
                let raw = self.docs.get(at);
                let sibling_nullable = raw
                    .and_then(|v| v.get("nullable"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let sibling_description = raw
                    .and_then(|v| v.get("description"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let (target, _) = self.docs.resolve(at, reference)?;
                let (ty, mut info) = if is_component_schema(&target) {
                    let (ty, info) = self.named_component(ctx, &target)?;
                    if target.pointer.contains("_enum_") {
                        if let Type::Named(name) = &ty {
                            self.inline_names
                                .entry(hint.to_owned())
                                .or_insert_with(|| name.clone());
                        }
                    }
                    (ty, info)
                } else {
                    let schema = self.read_schema(&target)?;
                    self.inline_type(ctx, &schema, &target, hint)?
                };
                info.nullable |= sibling_nullable;
                if sibling_description.is_some() {
                    info.description = sibling_description;
                }
                Ok((ty, info))
            }
            Node::Inline(schema) => self.inline_type(ctx, schema, at, hint),
        }
    }

    /// A `#/components/schemas/X` schema: one named type per location, made once.
    fn named_component(
        &mut self,
        ctx: Ctx<'_>,
        at: &Location,
    ) -> Result<(Type, SchemaInfo), Error> {
        let mut schema = self.read_schema(at)?;
        // The component's own name wins over a `title`.
        schema.schema_data.title = None;
        let info = schema_info(&schema, at)?;
        let request = ctx.side.request_types();
        let cache = if request {
            &self.request_component_names
        } else {
            &self.component_names
        };
        if let Some(name) = cache.get(at) {
            return Ok((Type::Named(name.clone()), info));
        }
        if ctx.is_within(at) {
            return Err(Error::spec(
                at,
                "this schema refers back to itself; recursive schemas are not supported (give the inner reference `type: object` without properties to break the loop)",
            ));
        }
        let component = at.pointer.rsplit('/').next().unwrap_or_default();
        let component = component.replace("~1", "/").replace("~0", "~");
        let name = match self.component_modules.get(at) {
            Some(name) => name.clone(),
            None => self
                .owned_enum_name(at, &component)
                .unwrap_or_else(|| names::component_type_name(&component)),
        };
        // A request body schema that responses use too gets two types: the
        // response model (every field optional) keeps the name, the request
        // type (required fields required) is `<Name>Request`.
        let name = if request && !is_enum(&schema) && self.response_components.contains(at) {
            format!("{name}Request")
        } else {
            name
        };
        // Only objects with properties and enums become named types; a named
        // plain string or array is just that type.
        let becomes_type =
            is_enum(&schema) || object_properties(&schema).is_some_and(|p| !p.is_empty());
        let link = ctx.enclose(at);
        let inside = ctx.within(&link);
        if !becomes_type {
            return self.inline_type(inside, &schema, at, &name);
        }
        names::check_type_name(&name).map_err(|m| Error::spec(at, m))?;
        let (ty, _) = self.inline_type(inside, &schema, at, &name)?;
        let defined = ty.named().unwrap_or(&name).to_owned();
        if request && !is_enum(&schema) {
            self.request_component_names.insert(at.clone(), defined);
        } else {
            self.component_names.insert(at.clone(), defined.clone());
            // Enums have one shape both ways.
            self.request_component_names.insert(at.clone(), defined);
        }
        Ok((ty, info))
    }

    /// Twilio moves inline enums to components named `<owner>_enum_<name>`
    /// (`participant_conversation_enum_state`) without changing the wire.
    /// So that the Rust type keeps its name, such an enum is named as it was
    /// when inline: after the first property of its owner schema (the
    /// component whose last dotted segment is `<owner>`) that refers to it,
    /// `<Owner><Property>` (`ParticipantConversationConversationState`), with
    /// `Item` for an array's items. Without such a property: `None` (the
    /// component's own name, `<Owner><Name>`).
    fn owned_enum_name(&self, at: &Location, component: &str) -> Option<String> {
        let (owner, _) = component.split_once("_enum_")?;
        let schemas_at = Location::new(at.file.clone(), "/components/schemas");
        let schemas = self.docs.get(&schemas_at)?.as_object()?;
        let target = format!(
            "#/components/schemas/{}",
            crate::error::escape_pointer(component)
        );
        let refers =
            |schema: &Value| schema.get("$ref").and_then(Value::as_str) == Some(target.as_str());
        schemas
            .iter()
            .filter(|(key, _)| key.rsplit('.').next() == Some(owner))
            .find_map(|(key, schema)| {
                schema
                    .get("properties")?
                    .as_object()?
                    .iter()
                    .find_map(|(wire, prop)| {
                        let base = format!(
                            "{}{}",
                            names::component_type_name(key),
                            names::type_name(wire)
                        );
                        if refers(prop) {
                            Some(base)
                        } else if prop.get("items").is_some_and(refers) {
                            Some(format!("{base}Item"))
                        } else {
                            None
                        }
                    })
            })
    }

    fn inline_type(
        &mut self,
        ctx: Ctx<'_>,
        schema: &Schema,
        at: &Location,
        hint: &str,
    ) -> Result<(Type, SchemaInfo), Error> {
        let info = schema_info(schema, at)?;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(OaType::String(s)) => {
                if !s.enumeration.is_empty() {
                    let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                    self.define_enum(hint, description(&schema.schema_data), &values, at)?
                } else if ctx.side.timestamps() && is_date_format(&s.format) {
                    Type::Timestamp
                } else {
                    Type::String
                }
            }
            SchemaKind::Type(OaType::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Type::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "int32" => Type::I32,
                _ => Type::I64,
            },
            SchemaKind::Type(OaType::Number(_)) => Type::F64,
            SchemaKind::Type(OaType::Boolean(_)) => Type::Bool,
            SchemaKind::Type(OaType::Array(array)) => match &array.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    let (item, _) =
                        self.try_schema_type(ctx, items.into(), &at.join("items"), &item_hint)?;
                    Type::Vec(Box::new(item))
                }
                None => Type::Vec(Box::new(Type::Json)),
            },
            SchemaKind::Type(OaType::Object(object)) => {
                if object.properties.is_empty() {
                    self.map_type(ctx, object, at, hint)?
                } else {
                    let name = schema
                        .schema_data
                        .title
                        .as_deref()
                        .map(names::type_name)
                        .unwrap_or_else(|| hint.to_owned());
                    self.define_struct(ctx, &name, schema, &object.properties, at)?
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                // `allOf: [{$ref}]` is the OpenAPI 3.0 way to add `nullable` or a
                // description to a reference.
                let all_of_at = at.join("allOf").join("0");
                let (ty, _) = self.try_schema_type(ctx, (&all_of[0]).into(), &all_of_at, hint)?;
                ty
            }
            // Composition the generator does not model: documented fallback,
            // recorded so the CLI says where it was used.
            SchemaKind::AllOf { .. }
            | SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::Not { .. } => {
                let keyword = match &schema.schema_kind {
                    SchemaKind::AllOf { .. } => "allOf",
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    _ => "not",
                };
                let operation = ctx.operation.unwrap_or("(webhook event)");
                self.fallback(
                    operation,
                    at,
                    format!("`{keyword}` is not modelled: the value is a `serde_json::Value`"),
                );
                Type::Json
            }
            SchemaKind::Any(any) => self.any_type(ctx, any, schema, at, hint)?,
        };
        Ok((ty, info))
    }

    /// An object without `properties`: a map when the spec says what its values
    /// are (Twilio's `format: uri-map` is link name → URL), else any JSON.
    fn map_type(
        &mut self,
        ctx: Ctx<'_>,
        object: &openapiv3::ObjectType,
        at: &Location,
        hint: &str,
    ) -> Result<Type, Error> {
        // openapiv3 has no `format` on objects; read it from the document.
        let format = self
            .docs
            .get(at)
            .and_then(|raw| raw.get("format"))
            .and_then(Value::as_str);
        if format == Some("uri-map") {
            return Ok(Type::Map(Box::new(Type::String)));
        }
        match &object.additional_properties {
            Some(openapiv3::AdditionalProperties::Schema(values)) => {
                let values_at = at.join("additionalProperties");
                let (ty, _) = self.try_schema_type(
                    ctx,
                    values.as_ref().into(),
                    &values_at,
                    &format!("{hint}Value"),
                )?;
                Ok(Type::Map(Box::new(ty)))
            }
            _ => Ok(Type::Json),
        }
    }

    /// openapiv3 puts schemas it cannot classify (no `type`, or unusual keyword
    /// mixes) in `Any`; read what is there.
    fn any_type(
        &mut self,
        ctx: Ctx<'_>,
        any: &AnySchema,
        schema: &Schema,
        at: &Location,
        hint: &str,
    ) -> Result<Type, Error> {
        match any.typ.as_deref() {
            None if !any.properties.is_empty() => {
                let name = schema.schema_data.title.as_deref().map(names::type_name).unwrap_or_else(|| hint.to_owned());
                self.define_struct(ctx, &name, schema, &any.properties, at)
            }
            None if any.items.is_some() => {
                let items = any.items.as_ref().map(Node::from);
                let (item, _) = match items {
                    Some(node) => self.try_schema_type(ctx, node, &at.join("items"), &format!("{hint}Item"))?,
                    None => (Type::Json, SchemaInfo::default()),
                };
                Ok(Type::Vec(Box::new(item)))
            }
            None => Ok(Type::Json),
            Some("string") if ctx.side.timestamps() && any.format.as_deref().is_some_and(is_date_format_name) => Ok(Type::Timestamp),
            Some("string") => Ok(Type::String),
            Some("integer") => Ok(if any.format.as_deref() == Some("int32") { Type::I32 } else { Type::I64 }),
            Some("number") => Ok(Type::F64),
            Some("boolean") => Ok(Type::Bool),
            Some("object") => self.map_type(ctx, &openapiv3::ObjectType::default(), at, hint),
            Some("array") => Ok(Type::Vec(Box::new(Type::Json))),
            Some(other) => Err(Error::spec(
                &at.join("type"),
                format!("`type: {other}` is not an OpenAPI 3.0 type; use one of string, integer, number, boolean, array, object"),
            )),
        }
    }

    fn define_struct(
        &mut self,
        ctx: Ctx<'_>,
        name: &str,
        schema: &Schema,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        at: &Location,
    ) -> Result<Type, Error> {
        let name = &names::reserve_type_name(name);
        names::check_type_name(name).map_err(|m| Error::spec(at, m))?;
        let mut fields: Vec<Field> = Vec::new();
        let props_at = at.join("properties");
        let request = ctx.side.request_types();
        let page = if request {
            None
        } else {
            self.page_style(properties, at)
        };
        let required = object_required(schema);
        for (wire, prop) in properties {
            let prop_at = props_at.join(wire);
            if page.as_ref().is_some_and(|p| p.meta_is_page_meta()) && wire == "meta" {
                // The runtime's `PageMeta` stands for the spec's meta schema.
                let name = names::field_name(wire).map_err(|m| Error::spec(&prop_at, m))?;
                fields.push(Field {
                    name,
                    wire: wire.clone(),
                    doc: None,
                    ty: Type::Json,
                    page_items: false,
                    page_meta: true,
                    required: false,
                    nullable: false,
                    shape: crate::model::Shape::Optional, // see normalise::shapes
                    view: None,
                    pii: false,
                });
                continue;
            }
            let field_name = match names::field_name(wire) {
                // Request bodies get setters named like their fields.
                Ok(n) if request => names::settable_name(n),
                Ok(n) => n,
                Err(m) => {
                    self.errors.push(Error::spec(&prop_at, m));
                    continue;
                }
            };
            let taken = fields.iter().map(|f| (f.name.as_str(), f.wire.as_str()));
            if let Some(error) = super::field_name_taken(taken, wire, &field_name, &prop_at) {
                self.errors.push(error);
                continue;
            }
            let hint = format!("{name}{}", names::type_name(wire));
            let (ty, info) = self.schema_type(ctx, prop.into(), &prop_at, &hint);
            let (mut doc, mut view) = (info.description, None);
            if info.free_form && ty == Type::Json && !request {
                if let Some(inferred) = self.infer_untyped(&hint, at, &prop_at, wire)? {
                    let method = names::view_method(&field_name);
                    let pointer = format!("Read it typed with [`{method}`](Self::{method}).");
                    doc = Some(match doc {
                        Some(text) => format!("{text}\n\n{pointer}"),
                        None => pointer,
                    });
                    view = Some(View {
                        doc: view_doc(&field_name, wire),
                        method,
                        ty: inferred,
                    });
                }
            }
            fields.push(Field {
                name: field_name,
                wire: wire.clone(),
                doc,
                ty,
                page_items: false,
                page_meta: false,
                required: request && required.contains(wire),
                nullable: request && info.nullable,
                shape: crate::model::Shape::Optional, // see normalise::shapes
                view,
                pii: self.pii_schema(&prop_at),
            });
        }
        let mut def = Struct {
            name: name.to_owned(),
            doc: description(&schema.schema_data),
            fields,
            unknown_field: None,
            page_items: None,
            next_page: NextPage::Meta,
            request,
            param_object: false,
        };
        if let Some(style) = &page {
            self.mark_page(&mut def, style);
        }
        self.define(TypeDef::Struct(def), at)
    }

    /// Registers a type. An identical definition under the same name is the
    /// same type; a different one gets the first free numbered name
    /// (`Foo2`, `Foo3`, …; the first defined keeps `Foo`), so two schemas
    /// that normalise alike never stop generation.
    pub(super) fn define(&mut self, mut def: TypeDef, at: &Location) -> Result<Type, Error> {
        let wanted = def.name().to_owned();
        let mut n = 1;
        loop {
            let name = names::numbered(&wanted, n);
            rename(&mut def, &name);
            match self.types.get(&name) {
                Some((existing, _)) if *existing == def => return Ok(Type::Named(name)),
                Some(_) => n += 1,
                None => {
                    self.types.insert(name.clone(), (def, at.clone()));
                    return Ok(Type::Named(name));
                }
            }
        }
    }

    /// An untyped property (`configuration: {nullable: true}`) of a response
    /// model: when the operations answering with this model send the same thing
    /// as dotted form fields (`Configuration.Url`, `Configuration.Method`, …),
    /// the struct of those fields (all optional, unknown keys kept) that the
    /// property's [`View`] reads it as. The property itself stays
    /// `serde_json::Value` either way.
    fn infer_untyped(
        &mut self,
        name: &str,
        model_at: &Location,
        prop_at: &Location,
        wire: &str,
    ) -> Result<Option<Type>, Error> {
        let Some(forms) = self.form_hints.get(model_at) else {
            return Ok(None);
        };
        let prefix = format!("{}.", names::type_name(wire));
        let mut fields: Vec<Field> = Vec::new();
        for param in forms.iter().flatten() {
            let Some(rest) = param.wire.strip_prefix(&prefix) else {
                continue;
            };
            let sub_wire = heck::ToSnakeCase::to_snake_case(rest);
            if fields.iter().any(|f| f.wire == sub_wire) {
                continue;
            }
            let name = names::field_name(&sub_wire).map_err(|m| Error::spec(model_at, m))?;
            fields.push(Field {
                name,
                wire: sub_wire,
                doc: param.doc.clone(),
                ty: param.ty.clone(),
                page_items: false,
                page_meta: false,
                required: false,
                nullable: false,
                shape: crate::model::Shape::Optional, // see normalise::shapes
                view: None,
                pii: param.pii,
            });
        }
        if fields.is_empty() {
            return Ok(None);
        }
        let unknown_field = unknown_field_name(&fields);
        let def = Struct {
            name: name.to_owned(),
            doc: Some(format!(
                "The `{wire}` object. The spec leaves it untyped; its fields are the `{prefix}*` form fields of the requests that answer with this model. Keys not listed here are kept in `{unknown_field}`."
            )),
            fields,
            unknown_field: Some(unknown_field),
            page_items: None,
            next_page: NextPage::Meta,
            request: false,
            param_object: false,
        };
        // Its origin is the property it reads (for `diff`'s locations).
        self.define(TypeDef::Struct(def), prop_at).map(Some)
    }
}

/// The name of the map that keeps the keys a struct's `fields` do not name:
/// `other`, or the first of the fallbacks no field has.
fn unknown_field_name(fields: &[Field]) -> String {
    ["other", "other_fields", "unknown_fields"]
        .into_iter()
        .find(|candidate| fields.iter().all(|f| f.name != *candidate))
        .unwrap_or("unknown_fields_")
        .to_owned()
}

/// The doc comment of a [`View`]'s method. (The struct is named by the
/// method's signature, so the text need not link it.)
fn view_doc(field: &str, wire: &str) -> String {
    format!(
        "[`{field}`](Self::{field}) read as the struct of its known keys: `Ok(None)` when it is absent or `null`, an error when a key the struct names holds a value of another type.\n\nThe spec leaves `{wire}` untyped, so the field stays a `Value`: requests gaining or losing `{prefix}.*` fields in a later spec change the struct, never the field's type.",
        prefix = names::type_name(wire),
    )
}

/// Gives a type definition another name.
fn rename(def: &mut TypeDef, name: &str) {
    match def {
        TypeDef::Struct(s) => s.name = name.to_owned(),
        TypeDef::Enum(e) => e.name = name.to_owned(),
    }
}

fn is_component_schema(at: &Location) -> bool {
    let parts: Vec<&str> = at.pointer.split('/').collect();
    parts.len() == 4 && parts[1] == "components" && parts[2] == "schemas"
}

fn is_enum(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(OaType::String(s)) if !s.enumeration.is_empty())
}

/// The `required` list of an object schema (empty for anything else).
fn object_required(schema: &Schema) -> Vec<String> {
    match &schema.schema_kind {
        SchemaKind::Type(OaType::Object(o)) => o.required.clone(),
        SchemaKind::Any(a) => a.required.clone(),
        _ => Vec::new(),
    }
}

fn object_properties(
    schema: &Schema,
) -> Option<&indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>> {
    match &schema.schema_kind {
        SchemaKind::Type(OaType::Object(o)) => Some(&o.properties),
        SchemaKind::Any(a) if a.typ.is_none() => Some(&a.properties),
        _ => None,
    }
}

/// Nullability, description and request checks of one schema.
pub(super) fn schema_info(schema: &Schema, at: &Location) -> Result<SchemaInfo, Error> {
    let mut checks = Checks::default();
    let mut free_form = false;
    match &schema.schema_kind {
        SchemaKind::Type(OaType::String(s)) => {
            checks.pattern = s.pattern.clone();
            checks.min_length = s.min_length;
            checks.max_length = s.max_length;
            checks.uri = matches!(&s.format, VariantOrUnknownOrEmpty::Unknown(f) if f == "uri");
        }
        SchemaKind::Type(OaType::Object(object)) => free_form = object.properties.is_empty(),
        SchemaKind::Type(OaType::Integer(i)) => {
            checks.minimum = i
                .minimum
                .map(|m| if i.exclusive_minimum { m + 1 } else { m });
            checks.maximum = i
                .maximum
                .map(|m| if i.exclusive_maximum { m - 1 } else { m });
        }
        SchemaKind::Any(any) => {
            free_form = any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none();
            checks.pattern = any.pattern.clone();
            checks.min_length = any.min_length;
            checks.max_length = any.max_length;
        }
        _ => {}
    }
    if let Some(pattern) = &checks.pattern {
        if let Err(e) = regex_lite::Regex::new(pattern) {
            return Err(Error::spec(
                &at.join("pattern"),
                format!("`{pattern}` is not a valid regular expression: {e}; fix it (patterns are checked with regex-lite, the engine the generated crate uses)"),
            ));
        }
    }
    if let (Some(min), Some(max)) = (checks.min_length, checks.max_length) {
        if min > max {
            return Err(Error::spec(
                at,
                format!("minLength {min} is greater than maxLength {max}, so no value can pass; fix one of them"),
            ));
        }
    }
    if let (Some(min), Some(max)) = (checks.minimum, checks.maximum) {
        if min > max {
            return Err(Error::spec(
                at,
                format!("minimum {min} is greater than maximum {max}, so no value can pass; fix one of them"),
            ));
        }
    }
    Ok(SchemaInfo {
        nullable: schema.schema_data.nullable,
        description: description(&schema.schema_data),
        checks,
        free_form,
    })
}

/// Catches what openapiv3 would only report as "did not match any variant".
fn check_raw_schema(at: &Location, value: &Value) -> Result<(), Error> {
    let Some(object) = value.as_object() else {
        return Err(Error::spec(at, "a schema must be an object"));
    };
    if let Some(ty) = object.get("type") {
        if !ty.is_string() {
            return Err(Error::spec(
                &at.join("type"),
                format!("`type` must be a string such as \"string\" or \"object\", not {ty}; OpenAPI 3.0 has no type lists (use `nullable: true` for null)"),
            ));
        }
    }
    if let Some(values) = object.get("enum") {
        match values.as_array() {
            Some(values) if values.is_empty() => {
                return Err(Error::spec(&at.join("enum"), "`enum` is empty, so no value would be valid; list at least one value or remove `enum`"))
            }
            Some(_) => {}
            None => return Err(Error::spec(&at.join("enum"), "`enum` must be a list of values")),
        }
    }
    Ok(())
}

/// The deprecated aliases: every name an inline enum would have had where a
/// `*_enum_*` component is used (`CreateConversationState` for the `State`
/// form field of `CreateConversation`), when that is not the name the
/// component got and no type has it. Twilio moved its inline enums to such
/// components without changing the wire; the aliases keep code written
/// against the inline names compiling.
pub(super) fn aliases(
    types: &std::collections::BTreeMap<String, (TypeDef, Location)>,
    inline_names: &std::collections::BTreeMap<String, String>,
) -> Vec<crate::model::TypeAlias> {
    inline_names
        .iter()
        .filter(|(old, new)| {
            old != new
                && !types.contains_key(*old)
                && matches!(types.get(*new), Some((TypeDef::Enum(_), _)))
                && names::split_qualified(old).0.is_none()
                && names::check_type_name(old).is_ok()
                && names::reserve_type_name(old) == **old
        })
        .map(|(old, new)| crate::model::TypeAlias {
            name: old.clone(),
            target: new.clone(),
        })
        .collect()
}

/// The formats of dates and times Twilio writes: RFC 3339 `date-time` and
/// `date`, and `date-time-rfc-2822` (api_v2010's `Mon, 16 Aug 2010 03:45:01 +0000`).
fn is_date_format_name(format: &str) -> bool {
    matches!(format, "date-time" | "date" | "date-time-rfc-2822")
}

fn is_date_format(format: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> bool {
    match format {
        VariantOrUnknownOrEmpty::Item(
            openapiv3::StringFormat::DateTime | openapiv3::StringFormat::Date,
        ) => true,
        VariantOrUnknownOrEmpty::Unknown(name) => is_date_format_name(name),
        _ => false,
    }
}
