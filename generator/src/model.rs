//! The normalised API: what the emitters turn into Rust.
//!
//! Everything here is already decided: Rust names are valid and unique, enums
//! are merged, nullability is resolved. Emitters only print it. Nothing in this
//! module knows about OpenAPI.

/// A whole API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    /// The crate's one-line summary, from the spec's `info`.
    pub title: String,
    /// Base URL requests go to by default (the spec's `servers[0]`).
    pub base_url: String,
    /// The generated crate's name, description and README example, from the
    /// document's `info` and servers.
    pub identity: Identity,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// The operations grouped by the resource they act on, sorted by title
    /// (see `normalise::resources`).
    pub resources: Vec<Resource>,
    /// Where a construct could not be typed and a documented fallback was
    /// used instead (the operation is still generated); the CLI prints one
    /// line per entry.
    pub fallbacks: Vec<Fallback>,
    /// The requests the API sends to the user's server (OpenAPI `callbacks`
    /// of the selected operations), typed for the `webhooks` module.
    pub callbacks: Callbacks,
    /// Where in the spec each item was defined (for `twilio-codegen diff`).
    pub origins: Origins,
    /// Names kept as deprecated aliases of a type, sorted by name (see
    /// [`TypeAlias`]).
    pub aliases: Vec<TypeAlias>,
}

/// The operations acting on one resource (`Calls`, `Messages`): the first
/// resource their paths name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resource {
    /// The path segment naming it, without extension (`IncomingPhoneNumbers`).
    pub segment: String,
    /// Its words for people (`Incoming phone numbers`).
    pub title: String,
    /// The `operationId`s of its operations, in document order.
    pub operations: Vec<String>,
}

/// Spec locations (`file#/pointer`) of the model's items, kept beside them
/// so the items themselves stay as they are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origins {
    /// By type name ([`TypeDef::name`]): the schema it was made from.
    pub types: std::collections::BTreeMap<String, String>,
    /// By `operationId`: the operation object.
    pub operations: std::collections::BTreeMap<String, String>,
    /// By (`operationId`, parameter name): the parameter or form property.
    pub params: std::collections::BTreeMap<(String, String), String>,
    /// By event name: the callback body schema.
    pub events: std::collections::BTreeMap<String, String>,
}

/// `#[deprecated] pub type <name> = <target>;`: the name an enum had while
/// the spec wrote it inline at one place of use, kept after the spec moved
/// it to a shared `components` schema that got another name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeAlias {
    pub name: String,
    pub target: String,
}

/// Who the generated crate is (see `normalise::identity` for the rules).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Identity {
    /// The Cargo package name used unless `--crate-name` gives another.
    pub package: String,
    /// `info.description`, when the document has one.
    pub description: Option<String>,
    /// crates.io keywords: at most 5, each valid there.
    pub keywords: Vec<String>,
    /// The origin of [`Api::base_url`]: page links are followed only there.
    pub origin: Origin,
    /// The `operationId` the README's examples call, if one fits the rule.
    pub example_operation: Option<String>,
}

/// `scheme://host:port` of a URL: scheme and host in lower case, the port
/// explicit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

/// One construct that was generated in a looser form than the spec asks for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fallback {
    /// The operation's `operationId`.
    pub operation: String,
    /// Where in the spec (`file#/pointer`).
    pub at: String,
    /// What was done instead, e.g. "request body `text/plain` is sent as raw bytes".
    pub what: String,
}

impl std::fmt::Display for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fallback: {}: {}: {}",
            self.operation, self.at, self.what
        )
    }
}

impl Api {
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name() == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeDef {
    Struct(Struct),
    Enum(Enum),
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
}

/// A response model.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    pub name: String,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
    /// Keep keys the spec does not name, in a map field of this name
    /// (`other` unless a field has it), instead of dropping them.
    pub unknown_field: Option<String>,
    /// Set when this is one page of a list: the field holding the records.
    pub page_items: Option<String>,
    /// For a list page, where the next page's link is (see [`NextPage`]).
    pub next_page: NextPage,
    /// A request body type (sent, not received): required fields are plain
    /// `T`, optional ones `Option<T>` left out when unset.
    pub request: bool,
    /// Sent as an object-valued path or query parameter with a style: the
    /// type implements the runtime's `ParamObject`, its (scalar) fields in
    /// declaration order, unset ones left out.
    pub param_object: bool,
}

/// Where a list page says where the next page is.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum NextPage {
    /// In the page's `meta` object (`meta.next_page_url`, an absolute URL):
    /// the field marked `page_meta`.
    #[default]
    Meta,
    /// In this top-level string field (api_v2010's `next_page_uri`, a path
    /// relative to the host).
    Field(String),
    /// A token in the page's `meta` object (`meta.next_token`): the next page
    /// is the first request again with the operation's token parameter
    /// ([`Operation::page_token`]) set to it. `meta` keeps the spec's own
    /// type, not the runtime's `PageMeta`.
    Token {
        /// The page's field holding the meta object (`meta`).
        meta: String,
        /// The meta type's field holding the next token (`next_token`).
        token: String,
    },
}

/// A field of a response model. Every response field is `Option<T>`: Twilio
/// sends `null` or leaves out fields whatever the spec says.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub wire: String,
    pub doc: Option<String>,
    pub ty: Type,
    /// The list-page records field: a plain `Vec`, `null`/absent read as empty.
    pub page_items: bool,
    /// The page's `meta` read as the runtime's `PageMeta` (a page whose meta
    /// names the next page by URL).
    pub page_meta: bool,
    /// Only for request body types: the spec lists the field as required.
    pub required: bool,
    /// Only for request body types: the spec allows `null`.
    pub nullable: bool,
    /// How the generated struct holds the value (decided in
    /// `normalise::shapes` from `required`, `nullable` and the paging marks).
    pub shape: Shape,
    /// A typed reading of this field, when it is an untyped value (see [`View`]).
    pub view: Option<View>,
    /// The spec marks the value as personal data (`x-twilio.pii`, see
    /// `normalise::twilio_ext`): `Debug` prints `<redacted>` for it when set.
    pub pii: bool,
}

/// How a generated struct field (or argument) holds its [`Type`] `T`: the
/// one decision behind the field's declared type, whether `new(..)` takes
/// it, whether it has a setter and how an unset value is written. Every
/// emitter and `diff` read it; none re-derives it from `required` or `ty`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `T`, always given: a required `*Params` parameter or request-body
    /// field (a `new(..)` argument), or a path parameter (an argument of the
    /// request function and the client method).
    Required,
    /// `Option<T>` that is still a `new(..)` argument: a request-body field
    /// the spec requires but lets be `null` (`None` is sent as `null`).
    RequiredNullable,
    /// `Option<T>`, `None` when unset: a setter stores `Some(..)`, an unset
    /// value is not sent; every response field (Twilio leaves out or sends
    /// `null` for any of them).
    Optional,
    /// `T` itself, a `Vec` or map that is empty when unset: never `Option`,
    /// never a `new(..)` argument (array and map parameters other than the
    /// body; a list page's records, `null` or absent read as empty).
    Collection,
    /// The runtime's `PageMeta`, whatever the field's `ty` says: a list
    /// page's `meta`, its default when absent.
    PageMeta,
}

impl Shape {
    /// Given when the value is built (`new(..)` or a positional argument),
    /// so it has no setter.
    pub fn is_argument(self) -> bool {
        matches!(self, Shape::Required | Shape::RequiredNullable)
    }

    /// Declared as `Option<T>`.
    pub fn is_option(self) -> bool {
        matches!(self, Shape::RequiredNullable | Shape::Optional)
    }
}

/// A free-form response value (`serde_json::Value`) that the generator can
/// also read as a struct, inferred from the `<Property>.*` form fields of the
/// requests answering with the model. The field itself stays `Value`: what
/// the inference finds depends on the request side of the spec, and a
/// response field's type must not change when only requests gained fields.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// The model's method that returns the typed reading (`typed_configuration`).
    pub method: String,
    /// The inferred struct.
    pub ty: Type,
    /// The method's doc comment.
    pub doc: String,
}

/// A string enum. Values that differ only in case are one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub name: String,
    pub doc: Option<String>,
    pub variants: Vec<Variant>,
    /// The name of the variant that keeps values this crate does not know.
    pub other_variant: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub name: String,
    /// The spelling written on the wire: the spec's first.
    pub wire: String,
    /// Further spellings from the spec that differ only in case.
    pub aliases: Vec<String>,
}

/// A Rust type, before it gets an `Option` around it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Type {
    String,
    I32,
    I64,
    F64,
    Bool,
    Vec(Box<Type>),
    /// A JSON object with arbitrary keys (`format: uri-map`, `additionalProperties`).
    Map(Box<Type>),
    /// A named model or enum; `module::Name` when kept in a module of `models`.
    Named(String),
    /// Anything at all (`serde_json::Value`), for schemas that say nothing usable.
    Json,
    /// Raw bytes (`Vec<u8>`): an untyped request body.
    Bytes,
    /// A date or time of a response (`format: date-time`, `date`,
    /// `date-time-rfc-2822`): the runtime's `dates::Timestamp`, which keeps
    /// the text as received and parses it on request (feature `time`).
    Timestamp,
}

impl Type {
    /// The named type this refers to, looking through `Vec`.
    pub fn named(&self) -> Option<&str> {
        match self {
            Type::Named(name) => Some(name),
            Type::Vec(inner) | Type::Map(inner) => inner.named(),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One API operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: String,
    /// snake_case function name.
    pub name: String,
    pub doc: Option<String>,
    pub method: Method,
    /// The path template as written in the spec.
    pub path: String,
    /// The path split into literal text and parameters.
    pub segments: Vec<PathPart>,
    /// The path parameters, in path order of declaration (location
    /// [`ParamIn::Path`]); those of [`ParamSource::Argument`] are the
    /// request builder's positional arguments ([`Operation::path_args`]),
    /// an account parameter is filled from the `Api`.
    pub path_params: Vec<Param>,
    /// Every other parameter (query, header, form field, body), gathered in
    /// one struct.
    pub params: Option<Params>,
    /// What the request carries as its body.
    pub body: Body,
    pub response: Response,
    /// The `Client` method walking every page, for a list operation
    /// (`list_role_stream`).
    pub stream: Option<String>,
    /// A list operation's page-size query parameter, which its stream sets
    /// from the stream's `limit` when the caller did not.
    pub page_size: Option<PageSizeParam>,
    /// For a list operation whose pages name the next one by token
    /// ([`NextPage::Token`]): the wire name of the query parameter the token
    /// is sent back in (`PageToken`).
    pub page_token: Option<String>,
}

/// The page-size query parameter of a list operation (`PageSize`): with a
/// `limit` and no page size of the caller's, the stream asks for
/// `limit` records a page, within `minimum..=maximum`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageSizeParam {
    /// The `*Params` field (an `Option` of an integer).
    pub field: String,
    /// The smallest page size sent: the schema's `minimum`, else 1.
    pub minimum: i64,
    /// The largest page size sent: the schema's `maximum`, else 1000
    /// (Twilio's largest page).
    pub maximum: i64,
}

impl Operation {
    /// The path parameters the caller gives: the positional arguments of
    /// the request builder and the client method, in order (every path
    /// parameter but the account's, see [`ParamSource::Account`]).
    pub fn path_args(&self) -> impl Iterator<Item = &Param> {
        self.path_params
            .iter()
            .filter(|p| p.source == ParamSource::Argument)
    }

    /// The path parameters filled from the account the `Api` acts for.
    pub fn account_params(&self) -> impl Iterator<Item = &Param> {
        self.path_params
            .iter()
            .filter(|p| p.source == ParamSource::Account)
    }

    /// A path parameter is filled from the account the `Api` acts for.
    pub fn has_account_param(&self) -> bool {
        self.account_params().next().is_some()
    }
}

/// The body an operation sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// No body.
    None,
    /// `application/x-www-form-urlencoded`: the [`ParamIn::Form`] parameters.
    Form,
    /// `application/json`: the one [`ParamIn::Body`] parameter, a typed
    /// value written with serde_json.
    Json,
    /// Any other media type (a documented fallback): the one
    /// [`ParamIn::Body`] parameter holds the bytes, sent with this
    /// `Content-Type`.
    Raw { content_type: String },
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into `path_params`.
    Param(usize),
}

/// The struct that carries an operation's query, header and body parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub name: String,
    /// Query parameters, then headers, then form fields or the body (each
    /// knows where it goes).
    pub fields: Vec<Param>,
    /// The spec's `x-twilio.conditional` groups that are not always met:
    /// `validate()` refuses a value with none of a group's fields set.
    pub one_of: Vec<OneOf>,
}

/// One group of `x-twilio.conditional`: at least one of these fields must
/// be set (`Some(_)`, or a non-empty collection) before a request is built.
/// No member is a `new(..)` argument (a group with one always holds and is
/// not kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOf {
    /// The Rust names of the group's fields in [`Params::fields`], in the
    /// spec's order.
    pub fields: Vec<String>,
}

impl Params {
    pub fn all(&self) -> impl Iterator<Item = &Param> {
        self.fields.iter()
    }

    /// The fields of a `one_of` group, in its order.
    pub fn members<'a>(&'a self, group: &'a OneOf) -> impl Iterator<Item = &'a Param> {
        group
            .fields
            .iter()
            .filter_map(|name| self.fields.iter().find(|p| &p.name == name))
    }

    /// The parameters sent in one place.
    pub fn located(&self, location: ParamIn) -> impl Iterator<Item = &Param> {
        self.fields.iter().filter(move |p| p.location == location)
    }
}

/// A request parameter (path, query, header, form field or the body).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The Rust field (or argument) name.
    pub name: String,
    /// The key on the wire, byte for byte as the spec writes it.
    pub wire: String,
    pub doc: Option<String>,
    pub ty: Type,
    pub required: bool,
    /// How the generated code holds the value (decided in
    /// `normalise::shapes` from `required`, `ty` and `location`).
    pub shape: Shape,
    pub checks: Checks,
    /// Where the value goes.
    pub location: ParamIn,
    /// How the value is written there.
    pub encoding: Encoding,
    /// The requests module's `static` holding `checks.pattern` compiled
    /// (`SID_PATTERN`), shared by every parameter with the same regex and
    /// checked against the module's other names (`normalise::namespace`).
    pub pattern_const: Option<String>,
    /// The spec marks the value as personal data (`x-twilio.pii` on the
    /// parameter or its schema): the `*Params` struct's `Debug` prints
    /// `<redacted>` for it when set.
    pub pii: bool,
    /// Where the request builder takes the value from (decided in
    /// `normalise::operations`, `mark_account_params`).
    pub source: ParamSource,
}

/// Where a request builder takes a parameter's value from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ParamSource {
    /// The caller: a positional argument (a path parameter) or a field of
    /// the `*Params` struct.
    #[default]
    Argument,
    /// The account the runtime's `Api` acts for (`Api::account_sid()`: the
    /// credentials' account unless another is set): a string path parameter
    /// whose wire name is one of the generator's account parameters
    /// (`AccountSid` by default, `Generator::account_params`). It stays in
    /// [`Operation::path_params`] and the path, with its checks and
    /// encoding, but is no argument.
    Account,
}

/// Where a parameter is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    /// One segment of the path, percent-encoded.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A field of the `application/x-www-form-urlencoded` body.
    Form,
    /// The whole body (see [`Body`]).
    Body,
}

/// How a parameter's value is written in its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// The value's text (`Display`); an array repeats the key per value
    /// (`Filters=a&Filters=b`).
    Plain,
    /// An object (`serde_json::Value`) sent as its JSON text in the one
    /// field, as Twilio's helper libraries do.
    JsonText,
    /// `format: prefixed-collapsible-map-<Prefix>`: a map flattened to one
    /// key per leaf, `<Prefix>.<key>[.<subkey>]=value`.
    PrefixedMap { prefix: String },
    /// The body, written as JSON with serde_json.
    Json,
    /// The body as raw bytes (see [`Body::Raw`]).
    Raw,
    /// A path or query parameter written by an OpenAPI `style` whose text
    /// differs from [`Encoding::Plain`]'s (a path array or object, a label or
    /// matrix path parameter, a query object, a query array not exploded).
    /// The spec's default and a style writing the same text stay `Plain`.
    Styled(Style),
}

/// An OpenAPI 3.0 parameter style with its `explode`, as the spec's style
/// table writes it (see the runtime's `form` module, one function each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Path: values (or an object's names and values) joined by `,`.
    Simple { explode: bool },
    /// Path: `.` before each value.
    Label { explode: bool },
    /// Path: `;name=value`.
    Matrix { explode: bool },
    /// Query: one pair per value or member (`explode`), or one pair joined by `,`.
    Form { explode: bool },
    /// Query: one pair joined by `%20`.
    SpaceDelimited,
    /// Query: one pair joined by `|`.
    PipeDelimited,
    /// Query: an object's members as `name[member]=value`.
    DeepObject,
}

impl Style {
    /// The spec's spelling: `style: <name>, explode: <bool>`.
    pub fn spec_text(self) -> String {
        let (name, explode) = match self {
            Style::Simple { explode } => ("simple", explode),
            Style::Label { explode } => ("label", explode),
            Style::Matrix { explode } => ("matrix", explode),
            Style::Form { explode } => ("form", explode),
            Style::SpaceDelimited => ("spaceDelimited", false),
            Style::PipeDelimited => ("pipeDelimited", false),
            Style::DeepObject => ("deepObject", true),
        };
        format!("`style: {name}`, `explode: {explode}`")
    }
}

/// What the spec says a value must look like, checked before a request is sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    pub pattern: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    /// `format: uri`: an absolute URI.
    pub uri: bool,
}

impl Checks {
    pub fn is_empty(&self) -> bool {
        *self == Checks::default()
    }
}

/// What a successful call returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// A JSON body decoded into this type; `page_item` is set for list pages
    /// the client can walk (a token page whose operation has no token
    /// parameter is not one).
    Json { ty: Type, page_item: Option<Type> },
    /// No body (e.g. DELETE's 204).
    Empty,
    /// The only answers the spec gives are redirects (3xx): the call returns
    /// the redirect's target (its `Location`) without following it.
    Redirect,
    /// A body that is not JSON (`text/plain`, `application/xml`, ...):
    /// returned as raw bytes. Recorded as a fallback.
    Bytes,
}

/// Every request body the API's callbacks describe, and the enums that tell
/// them apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Callbacks {
    /// One struct per distinct body schema, sorted by name.
    pub events: Vec<Event>,
    /// One enum per discriminating field (Twilio's `EventType`), sorted by name.
    pub unions: Vec<EventUnion>,
}

impl Callbacks {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn event_named(&self, name: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.name == name)
    }
}

/// The body of one callback request (one webhook event type).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub name: String,
    pub doc: Option<String>,
    /// The discriminating field's wire name and this event's value of it.
    pub tag: Option<(String, String)>,
    pub fields: Vec<EventField>,
    /// Some callback sends this body as JSON (else only as a form).
    pub json: bool,
}

/// A field of a callback body. Form values are text; `kind` says how the
/// text becomes `ty`.
#[derive(Clone, Debug, PartialEq)]
pub struct EventField {
    pub name: String,
    pub wire: String,
    pub doc: Option<String>,
    pub ty: Type,
    pub kind: EventFieldKind,
    /// The spec marks the value as personal data (`x-twilio.pii`): the
    /// event's `Debug` prints `<redacted>` for it when set.
    pub pii: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFieldKind {
    /// One value read with `FromStr` (strings, numbers, booleans, enums): `Option<T>`.
    Scalar,
    /// One value that is JSON text (objects, arrays of objects, untyped): `Option<T>`.
    JsonText,
    /// A repeated key, each value read with `FromStr`: `Vec<T>` (`ty` is the element).
    Repeated,
}

/// An enum over the events that share one discriminating field.
#[derive(Clone, Debug, PartialEq)]
pub struct EventUnion {
    pub name: String,
    /// The discriminating field's wire name.
    pub property: String,
    /// (discriminator value, event struct name), sorted by value.
    pub variants: Vec<(String, String)>,
    /// The variant holding an event of an unknown type.
    pub other_variant: String,
    /// Some member is sent as JSON.
    pub json: bool,
}
