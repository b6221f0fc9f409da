//! Naming rules: spec names in, Rust identifiers out (via heck).
//!
//! The wire always keeps the spec's spelling; these only decide Rust names.
//!
//! # Rules
//!
//! **Function and field names.** snake_case via heck; dots and other separators become `_`
//! (`Configuration.Filters` → `configuration_filters`); Rust keywords get a trailing `_` (`type` → `type_`,
//! which also works for `self`/`crate`, unlike raw identifiers). The wire always carries the spec's name
//! (`#[serde(rename)]`, form keys, query keys). A name that cannot become an identifier, or two names that
//! become the same one, is an error. Inequality filters (`StartTime<`) and names the generated code
//! reserves get their own rules (the inequality filters below; reserved names in
//! [`crate::reserved`]).
//!
//! *Inequality filters.* `StartTime<`, `StartTime>` beside `StartTime` would all snake_case to
//! `start_time`, so the operator becomes a word: `<` → `_before`, `>` → `_after`, `<=` →
//! `_on_or_before`, `>=` → `_on_or_after` (`StartTime<` → `start_time_before`, `DateCreated>=` →
//! `date_created_on_or_after`). The key on the wire is the spec's, byte for byte (percent-encoded like
//! every query key: `StartTime%3C=…`). A path parameter and a `Params` field may share a name
//! (api_v2010 sends a form `AccountSid` to an `{AccountSid}` path).

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::reserved;

/// Words that cannot be field or function names as they are; they get a `_` suffix
/// (`type` → `type_`), which reads better than a raw identifier and also works for
/// `self`/`crate`/`super`, which cannot be raw.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The Rust type name for a component schema name.
///
/// Twilio names schemas `conversations.v1.conversation.conversation_scoped_webhook`
/// and enums `conversation_scoped_webhook_enum_method`: the dotted prefix is the
/// API and resource path, and `_enum_` is noise. So: keep the part after the last
/// `.`, drop `_enum_`, and UpperCamel the rest
/// (`ConversationScopedWebhook`, `ConversationScopedWebhookMethod`).
pub fn component_type_name(component: &str) -> String {
    let last = component.rsplit('.').next().unwrap_or(component);
    let last = last.replace("_enum_", "_");
    last.to_upper_camel_case()
}

/// The type name of a component schema from its whole key, for keys whose
/// last segment collides with another's (see `normalise::modules`): every
/// segment is kept, and so is `_enum_` (`build_enum_status` →
/// `BuildEnumStatus`, `serverless.v1.build` → `ServerlessV1Build`).
pub fn whole_key_type_name(component: &str) -> String {
    component.replace('.', "_").to_upper_camel_case()
}

/// `name` for `n == 1`, else `name` with `n` appended to the type's own
/// name (`Foo2`, `module::Foo3`): the rule for a name already taken.
pub fn numbered(name: &str, n: usize) -> String {
    if n == 1 {
        name.to_owned()
    } else {
        format!("{name}{n}")
    }
}

/// UpperCamel for any other type name (titles, parent + field).
pub fn type_name(raw: &str) -> String {
    raw.to_upper_camel_case()
}

/// Module names that would shadow what `models.rs` imports or the crate's own modules.
const RESERVED_MODULES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "fmt",
    "serde",
    "serde_json",
    "http",
    "models",
    "requests",
    "responses",
    "runtime",
    "client",
];

/// The module that keeps a colliding type apart, from the segments of its
/// component key before the type's own (`service_configuration` for
/// `conversations.v1.service.service_configuration.webhook`): snake_case,
/// with a `_` suffix for keywords and names the crate already uses.
pub fn module_name(segments: &[&str]) -> Result<String, String> {
    let snake = segments.join("_").to_snake_case();
    let name = if KEYWORDS.contains(&snake.as_str()) || RESERVED_MODULES.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    };
    if name.is_empty() || !is_ident(&name) {
        return Err(format!(
            "`{}` does not make a valid Rust module name (it became `{name}`)",
            segments.join(".")
        ));
    }
    Ok(name)
}

/// A type name, possibly qualified by its module (`configuration::Webhook`),
/// split into the module and the type's own name.
pub fn split_qualified(name: &str) -> (Option<&str>, &str) {
    match name.rsplit_once("::") {
        Some((module, own)) => (Some(module), own),
        None => (None, name),
    }
}

/// Is this usable as a generated type name? (For a qualified name, the part
/// after the module.) Reserved names are renamed by [`reserve_type_name`]
/// before they get here.
pub fn check_type_name(name: &str) -> Result<(), String> {
    let (_, name) = split_qualified(name);
    if !is_ident(name) {
        return Err(format!("`{name}` is not a valid Rust type name"));
    }
    Ok(())
}

/// A type name that would shadow what the generated code uses unqualified
/// ([`reserved::is_reserved_type`]: `Into`, `Error`, `Client`, `Timestamp`,
/// `Deserialize`, …) gets the suffix `Model`
/// (`ErrorModel`); any other name stays as it is. A module qualifier is kept.
pub fn reserve_type_name(name: &str) -> String {
    match split_qualified(name) {
        (module, own) if reserved::is_reserved_type(own) => match module {
            Some(module) => format!("{module}::{own}Model"),
            None => format!("{own}Model"),
        },
        _ => name.to_owned(),
    }
}

/// Names the emitted functions use for their own arguments and locals
/// (`api: &Api`, `params`, the client's `limit`, …): a path parameter
/// (a positional argument) with one of these names gets a `_` suffix.
const RESERVED_ARGUMENTS: &[&str] = &[
    "api", "params", "limit", "path", "query", "form", "request", "response", "body", "value",
    "paging",
];

/// The function name for an operationId (`CreateMessage` → `create_message`):
/// [`field_name`], then a `_` suffix for the names the generated code
/// already uses ([`reserved::is_reserved_function`]: the runtime `Client`'s
/// and `Api`'s methods, read from the runtime, its public functions, trait
/// methods, imported modules), so `Execute` → `execute_`, `Limits` →
/// `limits_`.
pub fn function_name(operation_id: &str) -> Result<String, String> {
    let name = field_name(operation_id)?;
    Ok(if reserved::is_reserved_function(&name) {
        format!("{name}_")
    } else {
        name
    })
}

/// The auto-paging `Client` method of the list operation `function`:
/// `list_role` → `list_role_stream`; a reserved name's `_` is dropped first
/// (`next_item_` → `next_item_stream`, not the non-snake-case
/// `next_item__stream`). Collisions are checked where every name is known
/// (`normalise::operations`).
pub fn stream_name(function: &str) -> String {
    format!("{}_stream", function.trim_end_matches('_'))
}

/// Inequality filters (`StartTime<`, `DateCreated>=`) sit beside the plain
/// filter (`StartTime`) and would all become one snake_case name, so the
/// operator becomes a word: `<` → `_before`, `>` → `_after`, `<=` →
/// `_on_or_before`, `>=` → `_on_or_after`. The wire keeps the spec's key.
const INEQUALITIES: [(&str, &str); 4] = [
    ("<=", "_on_or_before"),
    (">=", "_on_or_after"),
    ("<", "_before"),
    (">", "_after"),
];

/// The Rust name of a query, header, form or path parameter: the operator of
/// an inequality filter spelled out (see `INEQUALITIES`), then
/// [`field_name`].
pub fn param_name(wire: &str) -> Result<String, String> {
    for (operator, word) in INEQUALITIES {
        if let Some(base) = wire.strip_suffix(operator) {
            if !base.is_empty() && !base.ends_with(['<', '>', '=']) {
                return field_name(&format!("{base}{word}")).map_err(|_| {
                    format!("`{wire}` does not make a valid Rust name; use letters, digits and `_`, starting with a letter")
                });
            }
        }
    }
    field_name(wire)
}

/// The name of a path parameter, which is a positional argument of the
/// request builder and the client method: [`param_name`], then a `_` suffix
/// for the `RESERVED_ARGUMENTS` (`Api` → `api_`).
pub fn argument_name(wire: &str) -> Result<String, String> {
    let name = param_name(wire)?;
    Ok(if RESERVED_ARGUMENTS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    })
}

/// Methods a `*Params` struct or request body type has besides its setters:
/// its own `new` and `validate`, and the trait methods a same-named inherent
/// setter would shadow in method calls ([`reserved::TRAIT_METHODS`], like
/// `clone`). A settable field with one of these names gets a `_` suffix,
/// and so does its setter.
const OWN_METHODS: &[&str] = &["new", "validate"];

/// The name of a field that gets a setter (a `*Params` field or a request
/// body field): `name` (already [`param_name`] or [`field_name`]), with a
/// `_` suffix for `OWN_METHODS` and [`reserved::TRAIT_METHODS`].
pub fn settable_name(name: String) -> String {
    if OWN_METHODS.contains(&name.as_str()) || reserved::TRAIT_METHODS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The method that reads an untyped response field as its inferred struct
/// (`configuration` → `typed_configuration`). Response models have no other
/// inherent methods, and their traits' methods never start with `typed_`,
/// so the name is free whatever `field` is.
pub fn view_method(field: &str) -> String {
    format!("typed_{field}")
}

/// snake_case field, parameter or function name for a wire name
/// (`Configuration.FlowSid` → `configuration_flow_sid`, `type` → `type_`).
pub fn field_name(wire: &str) -> Result<String, String> {
    let snake = wire.to_snake_case();
    let name = if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    };
    if name.is_empty() {
        return Err(format!(
            "`{wire}` does not make a valid Rust name (it has no letters or digits); use letters, digits and `_`, starting with a letter"
        ));
    }
    if !is_ident(&name) {
        return Err(format!(
            "`{wire}` does not make a valid Rust name (it became `{name}`); use letters, digits and `_`, starting with a letter"
        ));
    }
    Ok(name)
}

/// UpperCamel enum variant for a value (`onMessageAdded` → `OnMessageAdded`,
/// `2xx` → `V2xx`).
pub fn variant_name(value: &str) -> Result<String, String> {
    let camel = value.to_upper_camel_case();
    let name = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    };
    if name.is_empty() || !is_ident(&name) || name == "Self" {
        return Err(format!(
            "enum value `{value}` does not make a valid Rust variant name"
        ));
    }
    Ok(name)
}

/// SCREAMING_SNAKE name for a constant derived from a wire name.
pub fn const_name(wire: &str) -> String {
    heck::ToShoutySnakeCase::to_shouty_snake_case(wire)
}

/// The `static` holding a parameter's compiled pattern in the requests
/// module: `<WIRE>_PATTERN` ([`const_name`]: `Sid` → `SID_PATTERN`), and
/// for `n` ≥ 2 (the rule for a name already taken) `_<n>` after it
/// (`SID_PATTERN_2`). Collisions are checked where every name is known
/// (`normalise::namespace`). A wire that makes no identifier (only the
/// wires of parameters with valid Rust names get here, so never today)
/// gives `PATTERN`.
pub fn pattern_const(wire: &str, n: usize) -> String {
    let base = format!("{}_PATTERN", const_name(wire));
    let base = if is_ident(&base) {
        base
    } else {
        "PATTERN".to_owned()
    };
    if n == 1 {
        base
    } else {
        format!("{base}_{n}")
    }
}

/// Names Cargo or crates.io refuse as package names, or that would shadow a
/// crate every Rust program can name.
const RESERVED_CRATE_NAMES: &[&str] = &[
    "alloc",
    "core",
    "proc_macro",
    "std",
    "test",
    // Folders of Cargo's build output.
    "build",
    "deps",
    "examples",
    "incremental",
    // Windows device names (a package cannot be a folder called that there).
    "aux",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "con",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
    "nul",
    "prn",
];

/// The most characters crates.io allows in a package name.
pub const MAX_CRATE_NAME_LEN: usize = 64;

/// Checks a package name for the generated crate by the rules of Cargo and
/// crates.io: ASCII letters, digits, `-` and `_`, starting with a letter, at
/// most 64 characters, and not a Rust keyword or a reserved name (`std`,
/// `core`, `test`, `deps`, `con`, …). The same rule for a name given on the
/// command line and one derived from a document. The error says why.
pub fn validate_crate_name(name: &str) -> Result<(), String> {
    let shown: String = name.chars().take(80).flat_map(char::escape_debug).collect();
    let problem = if name.is_empty() {
        Some("it is empty".to_owned())
    } else if name.chars().count() > MAX_CRATE_NAME_LEN {
        Some(format!(
            "it is longer than {MAX_CRATE_NAME_LEN} characters, the most crates.io allows"
        ))
    } else if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(format!(
            "`{}` is not allowed (only ASCII letters, digits, `-` and `_` are)",
            bad.escape_debug()
        ))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must start with a letter".to_owned())
    } else {
        let as_ident = name.replace('-', "_").to_ascii_lowercase();
        if KEYWORDS.contains(&as_ident.as_str()) {
            Some("it is a Rust keyword".to_owned())
        } else if RESERVED_CRATE_NAMES.contains(&as_ident.as_str()) {
            Some("it is a name Cargo reserves".to_owned())
        } else {
            None
        }
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(format!(
            "`{shown}` is not a valid crate name: {problem}; choose a name such as `twilio-conversations`"
        )),
    }
}

fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_names_drop_the_prefix_and_enum_noise() {
        assert_eq!(
            component_type_name("conversations.v1.conversation.conversation_scoped_webhook"),
            "ConversationScopedWebhook"
        );
        assert_eq!(
            component_type_name("conversation_scoped_webhook_enum_method"),
            "ConversationScopedWebhookMethod"
        );
    }

    #[test]
    fn whole_key_names_keep_every_segment_and_enum() {
        assert_eq!(whole_key_type_name("build_enum_status"), "BuildEnumStatus");
        assert_eq!(
            whole_key_type_name("serverless.v1.service.build.build_status"),
            "ServerlessV1ServiceBuildBuildStatus"
        );
        assert_eq!(numbered("AccountReport", 1), "AccountReport");
        assert_eq!(numbered("AccountReport", 2), "AccountReport2");
        assert_eq!(numbered("build::Status", 3), "build::Status3");
    }

    #[test]
    fn field_names_handle_dots_and_keywords() {
        assert_eq!(
            field_name("Configuration.FlowSid").unwrap(),
            "configuration_flow_sid"
        );
        assert_eq!(field_name("type").unwrap(), "type_");
        assert_eq!(field_name("Self").unwrap(), "self_");
        assert!(field_name("***").is_err());
        assert!(field_name("9lives").is_err());
    }

    #[test]
    fn crate_names_follow_cargo_and_crates_io() {
        for good in ["twilio-conversations-webhooks", "a", "my_api2", "Api-V2"] {
            assert_eq!(validate_crate_name(good), Ok(()), "{good}");
        }
        let long = "a".repeat(65);
        for (bad, why) in [
            ("", "it is empty"),
            (long.as_str(), "longer than 64 characters"),
            ("a b", "` ` is not allowed"),
            ("x\"\n[evil]", "`\\\"` is not allowed"),
            ("café", "`é` is not allowed"),
            ("a.b", "`.` is not allowed"),
            ("9lives", "must start with a letter"),
            ("_x", "must start with a letter"),
            ("-x", "must start with a letter"),
            ("self", "Rust keyword"),
            ("async", "Rust keyword"),
            ("std", "reserves"),
            ("proc-macro", "reserves"),
            ("CON", "reserves"),
            ("deps", "reserves"),
        ] {
            let message = validate_crate_name(bad).unwrap_err();
            assert!(message.contains(why), "{bad:?}: {message}");
            assert!(message.contains("is not a valid crate name"), "{message}");
        }
    }

    #[test]
    fn inequality_filters_spell_out_the_operator() {
        assert_eq!(param_name("StartTime").unwrap(), "start_time");
        assert_eq!(param_name("StartTime<").unwrap(), "start_time_before");
        assert_eq!(param_name("StartTime>").unwrap(), "start_time_after");
        assert_eq!(
            param_name("DateCreated<=").unwrap(),
            "date_created_on_or_before"
        );
        assert_eq!(
            param_name("DateCreated>=").unwrap(),
            "date_created_on_or_after"
        );
        assert!(param_name("<").is_err());
    }

    /// Names reserved before the reservations were read from the runtime's
    /// source stay reserved, so no crate generated earlier sees a name change.
    #[test]
    fn names_once_reserved_stay_reserved() {
        for ty in [
            "Self",
            "Option",
            "Some",
            "None",
            "Result",
            "Ok",
            "Err",
            "Vec",
            "String",
            "Box",
            "Value",
            "Error",
            "Api",
            "Client",
            "Page",
            "PageMeta",
            "Form",
            "Request",
            "Response",
            "Method",
            "Credentials",
            "Redirect",
            "Serialize",
            "Serializer",
            "Deserialize",
            "Deserializer",
            "Map",
            "BTreeMap",
            "Infallible",
            "FromStr",
            "Pattern",
            "ApiError",
            "ClientBuilder",
            "RetryPolicy",
            "EventError",
            "Fields",
            "RawEvent",
        ] {
            assert_eq!(reserve_type_name(ty), format!("{ty}Model"), "{ty}");
        }
        for function in [
            "new",
            "builder",
            "api",
            "retry_policy",
            "execute",
            "paginate",
            "send",
            "request",
            "follow",
            "base_url",
            "credentials",
            "origin",
            "validate",
            "path_segment",
            "set_header",
            "parse",
            "requests",
            "responses",
            "models",
            "runtime",
        ] {
            assert!(reserved::is_reserved_function(function), "{function}");
        }
        for method in [
            "new",
            "validate",
            "default",
            "clone",
            "clone_from",
            "eq",
            "ne",
            "fmt",
            "hash",
            "into",
            "try_into",
            "to_owned",
            "to_string",
            "serialize",
            "deserialize",
            "borrow",
            "type_id",
        ] {
            assert_eq!(settable_name(method.to_owned()), format!("{method}_"));
        }
        // Twilio's `From` and `To` fields keep their setters.
        assert_eq!(settable_name("from".to_owned()), "from");
    }

    /// Every method of the runtime's `Client` (read from its source) is
    /// refused as an operation's function name, so a new runtime method can
    /// never clash with a generated one.
    #[test]
    fn runtime_client_methods_are_never_operation_names() {
        let methods = &reserved::runtime().methods;
        assert!(methods.len() > 10, "{methods:?}");
        for method in methods {
            let operation_id = method.to_upper_camel_case();
            assert_eq!(
                function_name(&operation_id).unwrap(),
                format!("{method}_"),
                "{operation_id}"
            );
        }
        assert_eq!(function_name("Limits").unwrap(), "limits_");
        assert_eq!(function_name("WithDeadline").unwrap(), "with_deadline_");
    }

    #[test]
    fn reserved_names_get_a_suffix() {
        assert_eq!(function_name("Execute").unwrap(), "execute_");
        assert_eq!(function_name("New").unwrap(), "new_");
        assert_eq!(function_name("FetchCall").unwrap(), "fetch_call");
        assert_eq!(argument_name("Api").unwrap(), "api_");
        assert_eq!(argument_name("Limit").unwrap(), "limit_");
        assert_eq!(argument_name("Sid").unwrap(), "sid");
        assert_eq!(reserve_type_name("Deserialize"), "DeserializeModel");
        assert_eq!(reserve_type_name("config::Error"), "config::ErrorModel");
        assert_eq!(reserve_type_name("Message"), "Message");
    }

    #[test]
    fn pattern_statics_are_named_after_the_wire_then_numbered() {
        assert_eq!(pattern_const("Sid", 1), "SID_PATTERN");
        assert_eq!(pattern_const("FriendlyName", 1), "FRIENDLY_NAME_PATTERN");
        assert_eq!(pattern_const("Friendly-Name", 2), "FRIENDLY_NAME_PATTERN_2");
        assert_eq!(pattern_const("StartTime<", 1), "START_TIME_PATTERN");
        assert_eq!(pattern_const("9lives", 1), "PATTERN");
        assert_eq!(pattern_const("9lives", 3), "PATTERN_3");
        // A numbered name never equals another wire's first name: those
        // end in `_PATTERN`.
        assert!(!pattern_const("Sid_Pattern", 1).ends_with("_2"));
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("GET").unwrap(), "Get");
        assert_eq!(variant_name("get").unwrap(), "Get");
        assert_eq!(variant_name("onMessageAdded").unwrap(), "OnMessageAdded");
        assert_eq!(variant_name("2xx").unwrap(), "V2xx");
        assert!(variant_name("*").is_err());
    }
}
