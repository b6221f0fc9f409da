//! Who the generated crate is, from the document rather than from any one
//! API: the default server (base URL and origin), the package name, the
//! description and keywords, and the operation the README's examples call.
//!
//! **Package name.** `info.x-crate-name` when the document sets it (checked
//! like `--crate-name`); otherwise `<domain>-<subdomains>[-<version>]` from
//! the default server's host and the paths: `https://messaging.twilio.com`
//! with every path under `/v1/` gives `twilio-messaging-v1`, `api.twilio.com`
//! under `/2010-04-01/` gives `twilio-api-v2010` (a date version keeps its
//! year). The version is the first path segment when every path shares it and
//! it reads as one (`v1`, `V2`, `2010-04-01`). See [`derived_package_name`].
//!
//! # Rules
//!
//! `emit/cargo_toml.rs`, `emit/readme.rs`, `emit/lib_rs.rs`):
//!
//! | what | from |
//! |---|---|
//! | package name | `--crate-name`, else `info.x-crate-name` (checked by Cargo's rules: 1 to 64 ASCII letters, digits, `-`, `_`, a letter first, not a name Cargo reserves; an error at that key otherwise), else **derived**: the default server's host, registrable domain first and `www.` dropped, then the version every path starts with (`v1`; a date keeps its year). `https://messaging.twilio.com` + `/v1/...` → `twilio-messaging-v1`, `api.twilio.com` + `/2010-04-01/...` → `twilio-api-v2010`, `flex-api.twilio.com` → `twilio-flex-api-v1`; paths without one shared version add nothing (`twilio-preview-iam`). A host that is an IP or one label (`localhost`), or no usable server, gives way to `info.title`'s words. Lower case, other characters `-`; a leading digit gets `api-` in front, a reserved name `-api` after, nothing at all is `api-client`: the result is always a valid package name (a test derives it for every document in `../shared`). The whole document's paths count, whatever the selection |
//! | `description` (Cargo.toml) | `info.title`: "`<title>`: typed Rust bindings generated from its OpenAPI description (…)" |
//! | `keywords` | the package name's words without the version (at most 3), then `openapi`, `client` (at most 5, each up to 20 characters) |
//! | README, `src/lib.rs` docs | `info.title`, `info.description` and the server; Markdown code in the description is made `text` and lines lose their indentation, so nothing from a document becomes a doctest |
//! | README examples | one operation picked by a rule (`identity::example_operation`): the first `GET` in document order among those with the fewest path parameters, whose path parameters are unconstrained strings, whose other parameters are all optional, and which answers a JSON struct. The client example calls it (and its `_stream` for a list page), the sans-IO example builds its request, checks method and URL, and parses `{}` with its response parser. With no such operation, the examples only set up `Client` and `Api`. The README's examples are the crate's doctests |
//! | default base URL and origin | the document's first server (else the first path's), server variables at their `default`; it must be absolute `http(s)` with a host. Otherwise it is a fallback (a line from the CLI): the base URL is `https://example.invalid`, which never resolves, so give the client yours |
//!
//! `spec/openapi.yaml` sets `x-crate-name: twilio-conversations-webhooks` (the rule would give
//! `twilio-conversations-v1`). `tests/tests/it/identity.rs` generates `twilio_messaging_v1.json` and runs
//! its README doctests (skipped, saying so, without `../shared`; failing when `CI` is set).

use serde_json::Value;

use crate::error::{escape_pointer, Error, Location};
use crate::load::Documents;
use crate::model::{Api, Encoding, Fallback, Method, Origin, Response, Type, TypeDef};

/// Names Cargo refuses for a package (Rust keywords, its own artifact
/// folders) or warns about (the standard library's crates, Windows device
/// names); a derived name that is one of these gets `-api` appended.
const RESERVED: &[&str] = &[
    "abstract",
    "alloc",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "build",
    "const",
    "continue",
    "core",
    "crate",
    "deps",
    "do",
    "dyn",
    "else",
    "enum",
    "examples",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "incremental",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "proc_macro",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "std",
    "struct",
    "super",
    "test",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "lpt1",
];

/// crates.io's limit on a package name.
const MAX_NAME_LEN: usize = 64;

/// The default base URL when the document names no usable server: the
/// `.invalid` top-level domain never resolves (RFC 2606), so a client left on
/// it fails to connect instead of sending credentials anywhere.
pub const NO_SERVER_BASE_URL: &str = "https://example.invalid";

/// Why the document's server could not be used, and where.
pub(super) struct NoServer {
    pub at: Location,
    pub reason: String,
}

impl NoServer {
    /// The fallback line (see `Api::fallbacks`): it concerns every operation.
    pub fn fallback(&self) -> Fallback {
        Fallback {
            operation: "(every operation)".to_owned(),
            at: self.at.to_string(),
            what: format!(
                "{}; the default base URL is `{NO_SERVER_BASE_URL}`, which never resolves: give the client yours with `Api::with_base_url` or `Client::builder`",
                self.reason
            ),
        }
    }

    /// The fallback base URL and its origin.
    pub fn base_url() -> (String, Origin) {
        let origin = parse_origin(NO_SERVER_BASE_URL).unwrap_or_default();
        (NO_SERVER_BASE_URL.to_owned(), origin)
    }
}

/// The document's default server as written (trimmed of trailing `/`s): its
/// first `servers` entry, or (Twilio repeats it on every path) the first
/// path's when the document has none of its own. Every path's server must be
/// this one (see `Normaliser::check_servers`).
pub(super) fn document_server(docs: &Documents, root_at: &Location) -> Option<(String, Location)> {
    let root = docs.root();
    let (server, at) = root
        .pointer("/servers/0")
        .map(|server| (server, root_at.join("servers").join("0")))
        .or_else(|| {
            let paths = root.get("paths")?.as_object()?;
            paths.iter().find_map(|(path, item)| {
                let server = item.pointer("/servers/0")?;
                Some((
                    server,
                    root_at.join("paths").join(path).join("servers").join("0"),
                ))
            })
        })?;
    let url = server.get("url")?.as_str()?;
    Some((url.trim_end_matches('/').to_owned(), at))
}

/// The generated client's default base URL and the origin page links are
/// followed on, from the document's server: server variables take their
/// `default`, and it must be an absolute `http`/`https` URL with a host.
/// Otherwise why not, for the fallback (a document without servers is valid
/// OpenAPI: its server is `/`, relative to wherever the document is served).
pub(super) fn default_server(
    docs: &Documents,
    root_at: &Location,
) -> Result<(String, Origin), NoServer> {
    let Some((_, at)) = document_server(docs, root_at) else {
        return Err(NoServer {
            at: root_at.join("servers"),
            reason: "the document names no server (no `servers: [{url: https://...}]`)".to_owned(),
        });
    };
    let server = docs.root().pointer(&at.pointer).unwrap_or(&Value::Null);
    let url_at = at.join("url");
    let template = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url =
        substitute_variables(template, server.get("variables")).map_err(|reason| NoServer {
            at: url_at.clone(),
            reason,
        })?;
    let url = url.trim_end_matches('/').to_owned();
    let origin = parse_origin(&url).map_err(|reason| NoServer {
        at: url_at,
        reason: format!("the server `{template}` {reason}"),
    })?;
    // The scheme in lower case, as `Api::with_base_url` writes it.
    let url = match url.split_once("://") {
        Some((_, rest)) => format!("{}://{rest}", origin.scheme),
        None => url,
    };
    Ok((url, origin))
}

/// `{name}` in a server URL → that variable's `default` (OpenAPI requires one).
fn substitute_variables(template: &str, variables: Option<&Value>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("the server `{template}` has a `{{` without its `}}`"))?;
        let name = &rest[open + 1..open + close];
        let value = variables
            .and_then(|v| v.pointer(&format!("/{}/default", escape_pointer(name))))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                format!("the server variable `{name}` has no `default` string; add `variables: {{{name}: {{default: ...}}}}`")
            })?;
        out.push_str(value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The origin of an absolute `http`/`https` URL, or why it has none (the
/// same rules the runtime's `Api::with_base_url` applies).
fn parse_origin(url: &str) -> Result<Origin, &'static str> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or("is not absolute (it must start with https:// or http://)")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return Err("has a scheme other than http or https"),
    };
    if rest.contains(['?', '#']) {
        return Err("has a query or fragment");
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err("contains user information");
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']').ok_or("has an unclosed `[`")?;
            (format!("[{host}]"), after)
        }
        None => match authority.split_once(':') {
            Some((host, _)) => (host.to_owned(), &authority[host.len()..]),
            None => (authority.to_owned(), ""),
        },
    };
    if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err("has no valid host");
    }
    let port = match port {
        "" | ":" => default_port,
        port => port
            .strip_prefix(':')
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse().ok())
            .ok_or("has a port that is not a number from 0 to 65535")?,
    };
    Ok(Origin {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
    })
}

/// The package name the document gives its crate: `info.x-crate-name`,
/// checked, when it sets one, else [`derived_package_name`] from its server's
/// host (its title without a usable server) and all its paths (whatever the
/// selection: choosing operations does not rename the crate).
pub fn package_name(docs: &Documents) -> Result<String, Error> {
    let root_at = Location::new(docs.root_path(), "");
    let at = root_at.join("info").join("x-crate-name");
    match docs.root().pointer("/info/x-crate-name") {
        None => {}
        Some(Value::String(name)) => {
            return check_package_name(name)
                .map(|()| name.clone())
                .map_err(|reason| {
                    Error::spec(
                        &at,
                        format!("`{name}` is not a valid package name: {reason}"),
                    )
                })
        }
        Some(other) => {
            return Err(Error::spec(
                &at,
                format!(
                    "`x-crate-name` must be a string, found {}",
                    super::lint::kind(other)
                ),
            ))
        }
    }
    let host = default_server(docs, &root_at)
        .map(|(_, origin)| origin.host.trim_matches(['[', ']']).to_owned())
        .unwrap_or_default();
    let title = docs
        .root()
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let paths = docs
        .root()
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.keys().map(String::as_str));
    Ok(derived_package_name(&host, paths, title))
}

/// Cargo's rules for a package name, as crates.io applies them: 1 to 64
/// ASCII letters, digits, `-` and `_`, starting with a letter, and not a
/// name Cargo reserves.
pub fn check_package_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Err(format!("it must have 1 to {MAX_NAME_LEN} characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("it must start with an ASCII letter".to_owned());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "`{c}` is not allowed (only ASCII letters, digits, `-` and `_`)"
        ));
    }
    if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        return Err("Cargo reserves that name".to_owned());
    }
    Ok(())
}

/// The package name of a document that does not set `info.x-crate-name`:
/// the host's labels, the registrable domain's name first and the `www.`
/// dropped (`messaging.twilio.com` → `twilio-messaging`), then the version
/// that every path starts with, if any (`v1`; a date keeps its year:
/// `2010-04-01` → `v2010`). A host that is an IP address or a single label
/// (`localhost`) gives way to the `title`'s words. Everything is lower-cased,
/// other characters become `-`, and the result always passes
/// [`check_package_name`] (`api-` in front of a leading digit, `-api` after
/// a reserved name, `api-client` when nothing is left).
pub fn derived_package_name<'a>(
    host: &str,
    paths: impl IntoIterator<Item = &'a str>,
    title: &str,
) -> String {
    let host = host.trim_start_matches("www.");
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let is_ip =
        host.starts_with('[') || labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    let mut words: Vec<String> = if labels.len() >= 2 && !is_ip {
        let domain = labels[labels.len() - 2];
        std::iter::once(domain)
            .chain(labels[..labels.len() - 2].iter().copied())
            .map(str::to_owned)
            .collect()
    } else {
        vec![title.to_owned()]
    };
    if let Some(version) = common_version(paths) {
        words.push(version);
    }
    let mut name = String::new();
    for c in words.join("-").chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let mut name = name.trim_end_matches('-').to_owned();
    if name.is_empty() {
        name = "api-client".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api-");
    }
    if name.len() > MAX_NAME_LEN {
        name.truncate(MAX_NAME_LEN);
        name = name.trim_end_matches('-').to_owned();
    }
    if RESERVED.contains(&name.as_str()) {
        name.push_str("-api");
    }
    name
}

/// The first path segment every path shares, when it reads as a version.
fn common_version<'a>(paths: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut firsts = paths.into_iter().map(|path| {
        path.trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default()
    });
    let first = firsts.next()?;
    if !firsts.all(|other| other == first) {
        return None;
    }
    let lower = first.to_ascii_lowercase();
    if lower.len() > 1 && lower.starts_with('v') && lower[1..].bytes().all(|b| b.is_ascii_digit()) {
        return Some(lower);
    }
    let date: Vec<&str> = first.split('-').collect();
    let is_date = date.len() == 3
        && date
            .iter()
            .zip([4, 2, 2])
            .all(|(part, len)| part.len() == len && part.bytes().all(|b| b.is_ascii_digit()));
    is_date.then(|| format!("v{}", date[0]))
}

/// crates.io keywords for a package: its words (without the version), then
/// `openapi` and `client`; at most 5, each at most 20 characters.
pub fn keywords(package: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let words = package
        .split(['-', '_'])
        .filter(|w| common_version([*w]).is_none())
        .take(3)
        .chain(["openapi", "client"]);
    for word in words {
        let word = word.to_ascii_lowercase();
        let ok = word.len() <= 20 && word.starts_with(|c: char| c.is_ascii_alphabetic());
        if ok && !out.contains(&word) && out.len() < 5 {
            out.push(word);
        }
    }
    out
}

/// The operation the README's examples call, so that they compile and run
/// against any document: the first `GET` in document order, among those with
/// the fewest path parameters, whose path parameters are strings the spec
/// does not constrain (any example value passes), whose other parameters are
/// all optional (`Params::default()`), and which answers JSON decoded into a
/// struct (which an empty object `{}` fills). `None` when no operation fits:
/// the README then shows only how to set up the client.
pub fn example_operation(api: &Api) -> Option<String> {
    api.operations
        .iter()
        .filter(|op| op.method == Method::Get)
        .filter(|op| {
            op.path_params.iter().all(|p| {
                p.ty == Type::String && p.checks.is_empty() && p.encoding == Encoding::Plain
            })
        })
        .filter(|op| {
            op.params
                .as_ref()
                .is_none_or(|params| params.all().all(|p| !p.required))
        })
        .filter(|op| match &op.response {
            Response::Json {
                ty: Type::Named(name),
                ..
            } => {
                matches!(api.type_named(name), Some(TypeDef::Struct(_)))
            }
            _ => false,
        })
        .min_by_key(|op| op.path_params.len())
        .map(|op| op.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_host_and_the_version_of_the_paths() {
        let v1 = ["/v1/Services", "/v1/Services/{Sid}"];
        assert_eq!(
            derived_package_name("messaging.twilio.com", v1, "x"),
            "twilio-messaging-v1"
        );
        assert_eq!(
            derived_package_name("flex-api.twilio.com", v1, "x"),
            "twilio-flex-api-v1"
        );
        assert_eq!(
            derived_package_name("api.twilio.com", ["/2010-04-01/Accounts.json"], "x"),
            "twilio-api-v2010"
        );
        assert_eq!(
            derived_package_name("www.Example.COM", ["/V2/a"], "x"),
            "example-v2"
        );
        // Paths that do not share a version: none.
        assert_eq!(
            derived_package_name("preview-iam.twilio.com", ["/v1/a", "/Organizations/b"], "x"),
            "twilio-preview-iam"
        );
        assert_eq!(
            derived_package_name("a.b.example.org", ["/things"], "x"),
            "example-a-b"
        );
    }

    #[test]
    fn hosts_that_name_nothing_give_way_to_the_title() {
        assert_eq!(
            derived_package_name("127.0.0.1", ["/v3/x"], "Sample/reference API."),
            "sample-reference-api-v3"
        );
        assert_eq!(
            derived_package_name("localhost", [], "Ünïcödé only"),
            "n-c-d-only"
        );
        assert_eq!(derived_package_name("[::1]", [], "  "), "api-client");
        assert_eq!(
            derived_package_name("localhost", [], "3D printers"),
            "api-3d-printers"
        );
        assert_eq!(derived_package_name("localhost", [], "self"), "self-api");
        let long = derived_package_name("localhost", [], &"word ".repeat(40));
        assert_eq!(long.len(), 64);
        assert!(!long.ends_with('-'));
    }

    #[test]
    fn every_derived_name_is_valid() {
        for title in [
            "",
            "-",
            "9",
            "std",
            "crate",
            "a--b",
            "Ω",
            "x".repeat(100).as_str(),
        ] {
            for host in [
                "localhost",
                "1.2.3.4",
                "9.example.com",
                "std.com",
                "-.-.com",
            ] {
                let name = derived_package_name(host, ["/v1/a"], title);
                assert_eq!(
                    check_package_name(&name),
                    Ok(()),
                    "{host} / {title:?} → {name}"
                );
            }
        }
    }

    #[test]
    fn package_name_check_names_the_broken_rule() {
        assert!(check_package_name("twilio-conversations-webhooks").is_ok());
        assert_eq!(
            check_package_name("1abc").unwrap_err(),
            "it must start with an ASCII letter"
        );
        assert_eq!(
            check_package_name("a b").unwrap_err(),
            "` ` is not allowed (only ASCII letters, digits, `-` and `_`)"
        );
        assert_eq!(
            check_package_name("self").unwrap_err(),
            "Cargo reserves that name"
        );
        assert!(check_package_name("").is_err());
        assert!(check_package_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn keywords_are_the_name_words_then_openapi_and_client() {
        assert_eq!(
            keywords("twilio-conversations-webhooks"),
            ["twilio", "conversations", "webhooks", "openapi", "client"]
        );
        assert_eq!(
            keywords("twilio-api-v2010"),
            ["twilio", "api", "openapi", "client"]
        );
        assert_eq!(keywords("openapi-client"), ["openapi", "client"]);
        assert_eq!(
            keywords("a-1b-averyveryverylongwordindeed"),
            ["a", "openapi", "client"]
        );
    }

    #[test]
    fn origins_are_normalised_and_bad_servers_say_why() {
        let origin = parse_origin("HTTPS://Messaging.Twilio.com/prefix").unwrap();
        assert_eq!(
            (origin.scheme.as_str(), origin.host.as_str(), origin.port),
            ("https", "messaging.twilio.com", 443)
        );
        let origin = parse_origin("http://127.0.0.1:8080").unwrap();
        assert_eq!((origin.host.as_str(), origin.port), ("127.0.0.1", 8080));
        assert_eq!(parse_origin("http://[::1]:81").unwrap().host, "[::1]");
        assert_eq!(parse_origin("http://h:").unwrap().port, 80);
        assert!(parse_origin("/v1").unwrap_err().contains("not absolute"));
        assert!(parse_origin("ftp://h").unwrap_err().contains("scheme"));
        assert!(parse_origin("https://u@h").unwrap_err().contains("user"));
        assert!(parse_origin("https://h:99999")
            .unwrap_err()
            .contains("port"));
        assert!(parse_origin("https://h?x").unwrap_err().contains("query"));
        assert!(parse_origin("https:///x").unwrap_err().contains("host"));
    }

    #[test]
    fn server_variables_take_their_defaults() {
        let vars = serde_json::json!({"region": {"default": "us1"}});
        assert_eq!(
            substitute_variables("https://api.{region}.example.com", Some(&vars)).unwrap(),
            "https://api.us1.example.com"
        );
        assert!(
            substitute_variables("https://{edge}.example.com", Some(&vars))
                .unwrap_err()
                .contains("`edge` has no `default`")
        );
        assert!(substitute_variables("https://{x.example.com", None).is_err());
    }
}
