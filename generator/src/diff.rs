//! What a regeneration changes in the generated crate's public Rust API,
//! and the semver step it needs (`twilio-codegen diff OLD NEW`).
//!
//! Two [`Api`] models are compared item by item: models (struct fields and
//! their types, enum variants), operations (function, path arguments,
//! `*Params` fields, body, response) and webhook events. Each difference is
//! one [`Change`] naming the Rust item (`models::Webhook::sid`), the spec
//! location it comes from (`file#/pointer`; the old document's for what was
//! removed, the new one's otherwise) and its [`Level`].
//!
//! The levels follow the generated API's shape: enums and structs are
//! `#[non_exhaustive]`, `*Params` and request bodies take their REQUIRED
//! values in `new(..)` and the optional ones through setters. So a new
//! optional field, parameter, enum value, event, operation or model is
//! [`Level::Minor`]; a new required parameter, and anything removed,
//! retyped or renamed, is [`Level::Major`]; a changed doc comment, wire
//! spelling, path or check is [`Level::Patch`] (the Rust API is the same).
//! What counts as required is the item's [`Shape`] (decided in
//! `normalise::shapes`): an array or map parameter is a collection, empty
//! when unset and never a `new(..)` argument, so the spec requiring it or
//! not changes nothing in Rust (a patch). Types are shown as
//! [`crate::rust_type`] renders them for the generated crate.
//!
//! The JSON form ([`Diff::to_json`], `--format json`) is, and stays:
//! `{"semver": "major"|"minor"|"patch", "changes": [{"level": ..., "item":
//! "models::X::y", "change": "field added: Option<String>", "at":
//! "file#/pointer"}, ...]}`, changes in the order of the text form.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::error::escape_pointer;
use crate::model::{
    Api, Enum, EventField, Field, NextPage, Operation, Param, Params, Response, Shape, Struct,
    Type, TypeDef,
};
use crate::rust_type::crate_text;

/// How big a semver step a change needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The public API is the same (docs, wire spellings, paths, checks).
    Patch,
    /// Something was added that no existing use of the crate can notice.
    Minor,
    /// Existing code may stop compiling.
    Major,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        })
    }
}

/// One difference in the generated API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub level: Level,
    /// The Rust item, e.g. `models::ConversationScopedWebhook::sid`.
    pub item: String,
    /// What happened, e.g. `field added: Option<String>`.
    pub change: String,
    /// Where in the spec (`file#/pointer`).
    pub at: String,
}

/// Every change between two models, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub changes: Vec<Change>,
}

impl Diff {
    /// The step the changes need all together: the largest one; `Patch`
    /// when nothing changed.
    pub fn semver(&self) -> Level {
        self.changes
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::Patch)
    }

    /// The changes of one level.
    pub fn at_level(&self, level: Level) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.level == level)
    }

    /// The stable JSON form (see the module docs).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "semver": self.semver(),
            "changes": self.changes,
        })
    }
}

/// The text form: `breaking:`, `additive:` and `patch:` groups (each only
/// when it has a change), one `  item: change (at)` line per change, and
/// `semver: <level>` as the last line.
impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (level, title) in [
            (Level::Major, "breaking"),
            (Level::Minor, "additive"),
            (Level::Patch, "patch"),
        ] {
            let mut group = self.at_level(level).peekable();
            if group.peek().is_none() {
                continue;
            }
            writeln!(f, "{title}:")?;
            for c in group {
                writeln!(f, "  {}: {} ({})", c.item, c.change, c.at)?;
            }
        }
        writeln!(f, "semver: {}", self.semver())
    }
}

/// Compares the API generated from `old` with the one from `new`.
pub fn diff(old: &Api, new: &Api) -> Diff {
    // A name the new crate keeps as `#[deprecated] pub type Old = New;` is
    // the same type as `New` to every user of it: compare the old API with
    // those names spelt as their targets, and say once per alias that the
    // old name is now an alias (minor: it still compiles, with a warning).
    let aliases: BTreeMap<String, String> = new
        .aliases
        .iter()
        .map(|a| (a.name.clone(), a.target.clone()))
        .collect();
    let mut aliased_old = old.clone();
    let mut alias_changes = Vec::new();
    if !aliases.is_empty() {
        aliased_old.types.retain(|def| {
            let Some(target) = aliases.get(def.name()) else {
                return true;
            };
            let same = new
                .type_named(target)
                .is_some_and(|t| same_shape(def, t, &aliases));
            alias_changes.push(Change {
                level: if same { Level::Minor } else { Level::Major },
                item: format!("models::{}", def.name()),
                change: if same {
                    format!("now a deprecated alias of `models::{target}` (the same shape)")
                } else {
                    format!("now a deprecated alias of `models::{target}`, which has another shape")
                },
                at: old
                    .origins
                    .types
                    .get(def.name())
                    .cloned()
                    .unwrap_or_default(),
            });
            false
        });
        map_named(&mut aliased_old, &aliases);
    }
    let old = &aliased_old;
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
        renames: renames(old, new),
        moved: BTreeMap::new(),
    };
    d.moved = moved(old, new, &d.renames);
    d.types();
    d.operations();
    d.events();
    d.unions();
    d.changes.extend(alias_changes);
    // Stable: by level (breaking first), then item, then text.
    d.changes.sort_by(|a, b| {
        (b.level, &a.item, &a.change, &a.at).cmp(&(a.level, &b.item, &b.change, &b.at))
    });
    d.changes.dedup();
    Diff { changes: d.changes }
}

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    /// Old type name → new one, for a type that went away while a type of
    /// the same shape appeared (a rename: the wire is the same).
    renames: BTreeMap<String, String>,
    /// Old type name → the new types of the same shape that items using it
    /// use now (several when one enum replaced many identical ones).
    moved: BTreeMap<String, BTreeSet<String>>,
}

/// Every (old name, new name) where an item kept its name but its type
/// went from one named type to another.
fn named_pairs(a: &Type, b: &Type, out: &mut Vec<(String, String)>) {
    match (a, b) {
        (Type::Named(x), Type::Named(y)) if x != y => out.push((x.clone(), y.clone())),
        (Type::Vec(x), Type::Vec(y)) | (Type::Map(x), Type::Map(y)) => named_pairs(x, y, out),
        _ => {}
    }
}

/// See [`Differ::moved`]: found through the items that use the types.
fn moved(
    old: &Api,
    new: &Api,
    renames: &BTreeMap<String, String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut pairs = Vec::new();
    for o in &old.types {
        if let (TypeDef::Struct(o), Some(TypeDef::Struct(n))) = (o, new.type_named(o.name())) {
            let nf = by_name(&n.fields, |f| &f.name);
            for f in &o.fields {
                if let Some(g) = nf.get(f.name.as_str()) {
                    named_pairs(&f.ty, &g.ty, &mut pairs);
                    if let (Some(a), Some(b)) = (&f.view, &g.view) {
                        named_pairs(&a.ty, &b.ty, &mut pairs);
                    }
                }
            }
        }
    }
    let new_ops = by_name(&new.operations, |o| &o.name);
    for o in &old.operations {
        let Some(n) = new_ops.get(o.name.as_str()) else {
            continue;
        };
        if let (Response::Json { ty: a, .. }, Response::Json { ty: b, .. }) =
            (&o.response, &n.response)
        {
            named_pairs(a, b, &mut pairs);
        }
        for (a, b) in o.path_params.iter().zip(&n.path_params) {
            named_pairs(&a.ty, &b.ty, &mut pairs);
        }
        if let (Some(op), Some(np)) = (&o.params, &n.params) {
            let nf = by_name(&np.fields, |p| &p.name);
            for p in &op.fields {
                if let Some(q) = nf.get(p.name.as_str()) {
                    named_pairs(&p.ty, &q.ty, &mut pairs);
                }
            }
        }
    }
    for o in &old.callbacks.events {
        if let Some(n) = new.callbacks.event_named(&o.name) {
            let nf = by_name(&n.fields, |f| &f.name);
            for f in &o.fields {
                if let Some(g) = nf.get(f.name.as_str()) {
                    named_pairs(&f.ty, &g.ty, &mut pairs);
                }
            }
        }
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (x, y) in pairs {
        let (Some(was), Some(now)) = (old.type_named(&x), new.type_named(&y)) else {
            continue;
        };
        if new.type_named(&x).is_none() && same_shape(was, now, renames) {
            out.entry(x).or_default().insert(y);
        }
    }
    out
}

/// Two types are "the same but for the name": same fields (name, wire,
/// type, shape) or same variants; `a`'s field types read with the
/// renames found so far.
fn same_shape(a: &TypeDef, b: &TypeDef, renames: &BTreeMap<String, String>) -> bool {
    match (a, b) {
        (TypeDef::Struct(a), TypeDef::Struct(b)) => {
            let key = |s: &Struct, renames: &BTreeMap<String, String>| {
                s.fields
                    .iter()
                    .map(|f| {
                        let ty = renamed(&f.ty, renames);
                        let view = f.view.as_ref().map(|v| renamed(&v.ty, renames));
                        (f.name.clone(), f.wire.clone(), ty, f.shape, view)
                    })
                    .collect::<Vec<_>>()
            };
            a.request == b.request && key(a, renames) == key(b, &BTreeMap::new())
        }
        (TypeDef::Enum(a), TypeDef::Enum(b)) => {
            let key = |e: &crate::model::Enum| {
                e.variants
                    .iter()
                    .map(|v| (v.name.clone(), v.wire.to_ascii_lowercase()))
                    .collect::<Vec<_>>()
            };
            key(a) == key(b)
        }
        _ => false,
    }
}

/// Pairs each removed type with the one added type of its shape, when
/// exactly one fits and no other removed type claims it; repeated, since a
/// struct whose field's enum was renamed is the same shape once that rename
/// is known.
fn renames(old: &Api, new: &Api) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    // Each round finds at least one more pair, or stops.
    for _ in 0..=old.types.len() {
        let next = renames_given(old, new, &found);
        if next == found {
            break;
        }
        found = next;
    }
    found
}

fn renames_given(
    old: &Api,
    new: &Api,
    known: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let removed: Vec<&TypeDef> = old
        .types
        .iter()
        .filter(|t| new.type_named(t.name()).is_none())
        .collect();
    let added: Vec<&TypeDef> = new
        .types
        .iter()
        .filter(|t| old.type_named(t.name()).is_none())
        .collect();
    let mut pairs = BTreeMap::new();
    let mut claimed: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &removed {
        let fits: Vec<&&TypeDef> = added.iter().filter(|a| same_shape(r, a, known)).collect();
        if let [one] = fits.as_slice() {
            pairs.insert(r.name().to_owned(), one.name().to_owned());
            *claimed.entry(one.name()).or_default() += 1;
        }
    }
    pairs.retain(|_, new| claimed.get(new.as_str()) == Some(&1));
    pairs
}

/// Every type `api` mentions, with the names in `to` spelt as their targets.
fn map_named(api: &mut Api, to: &BTreeMap<String, String>) {
    for def in &mut api.types {
        if let TypeDef::Struct(s) = def {
            for field in &mut s.fields {
                field.ty = renamed(&field.ty, to);
                if let Some(view) = &mut field.view {
                    view.ty = renamed(&view.ty, to);
                }
            }
        }
    }
    for op in &mut api.operations {
        for param in &mut op.path_params {
            param.ty = renamed(&param.ty, to);
        }
        if let Some(params) = &mut op.params {
            for param in &mut params.fields {
                param.ty = renamed(&param.ty, to);
            }
        }
        if let Response::Json { ty, page_item } = &mut op.response {
            *ty = renamed(ty, to);
            if let Some(item) = page_item {
                *item = renamed(item, to);
            }
        }
    }
    for event in &mut api.callbacks.events {
        for field in &mut event.fields {
            field.ty = renamed(&field.ty, to);
        }
    }
}

/// `ty` with renamed types spelt by their new names.
fn renamed(ty: &Type, renames: &BTreeMap<String, String>) -> Type {
    match ty {
        Type::Named(name) => Type::Named(renames.get(name).unwrap_or(name).clone()),
        Type::Vec(inner) => Type::Vec(Box::new(renamed(inner, renames))),
        Type::Map(inner) => Type::Map(Box::new(renamed(inner, renames))),
        other => other.clone(),
    }
}

/// A type as the user writes it (`Vec<Pet>`, without spaces), spelt by the
/// renderer the emitters print with.
fn render(ty: &Type) -> String {
    crate_text(|r| r.ty(ty))
}

/// The Rust type of a model field as generated.
fn field_type(field: &Field) -> String {
    crate_text(|r| r.declared(&field.ty, field.shape))
}

/// The Rust type of a `*Params` field as generated.
fn param_type(param: &Param) -> String {
    crate_text(|r| r.declared(&param.ty, param.shape))
}

fn event_field_type(field: &EventField) -> String {
    crate_text(|r| r.event_field(field))
}

/// The change of a field or parameter that kept its Rust type but became,
/// or stopped being, a `new(..)` argument.
/// The change line of a field or parameter that gained or lost its
/// `x-twilio.pii` mark: only its `Debug` output changes.
fn pii_change(now: bool) -> &'static str {
    if now {
        "now personal data: `Debug` prints `<redacted>` for it"
    } else {
        "no longer personal data: `Debug` prints its value"
    }
}

fn argument_flip(now: Shape) -> &'static str {
    if now.is_argument() {
        "now required (a `new(..)` argument)"
    } else {
        "now optional (no longer a `new(..)` argument)"
    }
}

/// What the single call returns. (What a stream yields is compared with
/// the stream, in `Differ::stream`.)
fn response_type(response: &Response) -> String {
    match response {
        Response::Json { ty, .. } => render(ty),
        Response::Empty => "()".into(),
        Response::Redirect => "a redirect target".into(),
        Response::Bytes => "raw bytes".into(),
    }
}

/// What a list operation's stream yields: its page's records.
fn stream_item(response: &Response) -> String {
    match response {
        Response::Json {
            page_item: Some(item),
            ..
        } => render(item),
        _ => String::new(),
    }
}

fn by_name<T>(items: &[T], name: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    items.iter().map(|i| (name(i), i)).collect()
}

impl Differ<'_> {
    fn push(&mut self, level: Level, item: String, change: impl Into<String>, at: String) {
        self.changes.push(Change {
            level,
            item,
            change: change.into(),
            at,
        });
    }

    /// "type changed from A to B", saying so when only a rename made B.
    fn retyped(
        &self,
        was: &str,
        now: &str,
        was_ty: Option<&Type>,
        now_ty: Option<&Type>,
    ) -> String {
        let by_rename = match (was_ty, now_ty) {
            (Some(a), Some(b)) => self.only_renamed(a, b),
            _ => false,
        };
        if by_rename {
            format!("type changed from {was} to {now} (a renamed type)")
        } else {
            format!("type changed from {was} to {now}")
        }
    }

    /// `a` and `b` differ, only where a type was renamed (or replaced by one
    /// of the same shape).
    fn only_renamed(&self, a: &Type, b: &Type) -> bool {
        let mut pairs = Vec::new();
        named_pairs(a, b, &mut pairs);
        let mut as_new = a.clone();
        for (x, y) in &pairs {
            let known = self.renames.get(x) == Some(y)
                || self.moved.get(x).is_some_and(|to| to.contains(y));
            if !known {
                return false;
            }
            as_new = renamed(&as_new, &BTreeMap::from([(x.clone(), y.clone())]));
        }
        !pairs.is_empty() && as_new == *b
    }

    fn type_at(api: &Api, name: &str) -> String {
        api.origins.types.get(name).cloned().unwrap_or_default()
    }

    fn types(&mut self) {
        let old = by_name(&self.old.types, TypeDef::name);
        let new = by_name(&self.new.types, TypeDef::name);
        for (name, def) in &old {
            if let Some(to) = self.renames.get(*name) {
                self.push(
                    Level::Major,
                    format!("models::{name}"),
                    format!("renamed to `models::{to}` (the same shape; no deprecated alias)"),
                    Self::type_at(self.old, name),
                );
                continue;
            }
            if let Some(to) = self.moved.get(*name) {
                let to: Vec<String> = to.iter().map(|t| format!("`models::{t}`")).collect();
                self.push(
                    Level::Major,
                    format!("models::{name}"),
                    format!(
                        "renamed: its users now take {} (the same shape; no deprecated alias)",
                        to.join(", ")
                    ),
                    Self::type_at(self.old, name),
                );
                continue;
            }
            if !new.contains_key(name) {
                let what = match def {
                    TypeDef::Struct(_) => "struct removed",
                    TypeDef::Enum(_) => "enum removed",
                };
                self.push(
                    Level::Major,
                    format!("models::{name}"),
                    what,
                    Self::type_at(self.old, name),
                );
            }
        }
        for (name, def) in &new {
            let at = Self::type_at(self.new, name);
            let item = format!("models::{name}");
            if self.renames.values().any(|to| to == name) {
                continue; // reported as the old type's rename
            }
            match (old.get(name), def) {
                (None, TypeDef::Struct(_)) => self.push(Level::Minor, item, "struct added", at),
                (None, TypeDef::Enum(_)) => self.push(Level::Minor, item, "enum added", at),
                (Some(TypeDef::Struct(o)), TypeDef::Struct(n)) => self.structs(&item, o, n, &at),
                (Some(TypeDef::Enum(o)), TypeDef::Enum(n)) => self.enums(&item, name, o, n, &at),
                (Some(_), _) => {
                    self.push(Level::Major, item, "changed between struct and enum", at)
                }
            }
        }
    }

    fn structs(&mut self, item: &str, o: &Struct, n: &Struct, at: &str) {
        if o.doc != n.doc {
            self.push(Level::Patch, item.into(), "doc changed", at.into());
        }
        if o.request != n.request {
            self.push(
                Level::Major,
                item.into(),
                "changed between request body and response model",
                at.into(),
            );
        }
        match (&o.unknown_field, &n.unknown_field) {
            (None, Some(field)) => self.push(
                Level::Minor,
                format!("{item}::{field}"),
                format!("now keeps unknown keys (`{field}` added)"),
                at.into(),
            ),
            (Some(field), None) => self.push(
                Level::Major,
                format!("{item}::{field}"),
                format!("no longer keeps unknown keys (`{field}` removed)"),
                at.into(),
            ),
            (Some(was), Some(now)) if was != now => self.push(
                Level::Major,
                format!("{item}::{was}"),
                format!("unknown keys now kept in `{now}`"),
                at.into(),
            ),
            _ => {}
        }
        match (&o.page_items, &n.page_items) {
            (None, Some(_)) => self.push(
                Level::Minor,
                item.into(),
                "now a list page (implements `Page`)",
                at.into(),
            ),
            (Some(_), None) => self.push(
                Level::Major,
                item.into(),
                "no longer a list page (`impl Page` removed)",
                at.into(),
            ),
            _ => {}
        }
        if o.page_items.is_some() && n.page_items.is_some() && o.next_page != n.next_page {
            // A change of style also changes the fields (a `meta` of the
            // runtime's `PageMeta` or of the spec's type), reported with
            // them; this is how the client walks the pages.
            let change = match (&o.next_page, &n.next_page) {
                (NextPage::Token { .. }, NextPage::Token { .. })
                | (NextPage::Field(_), NextPage::Field(_)) => "next page read from another place",
                (_, NextPage::Token { .. }) => {
                    "now names its next page by token (`meta.next_token`)"
                }
                (_, NextPage::Field(_)) => "now names its next page in a field of its own",
                (_, NextPage::Meta) => "now names its next page by `meta.next_page_url`",
            };
            self.push(Level::Patch, item.into(), change, at.into());
        }
        self.struct_fields(item, o, n, at);
    }

    /// The fields of a struct both sides have.
    fn struct_fields(&mut self, item: &str, o: &Struct, n: &Struct, at: &str) {
        let field_at =
            |type_at: &str, f: &Field| format!("{type_at}/properties/{}", escape_pointer(&f.wire));
        let old_at = {
            let name = item.trim_start_matches("models::");
            Self::type_at(self.old, name)
        };
        let of = by_name(&o.fields, |f| &f.name);
        let nf = by_name(&n.fields, |f| &f.name);
        for (name, f) in &of {
            if !nf.contains_key(name) {
                self.push(
                    Level::Major,
                    format!("{item}::{name}"),
                    "field removed",
                    field_at(&old_at, f),
                );
            }
        }
        for (name, f) in &nf {
            let field = format!("{item}::{name}");
            let here = field_at(at, f);
            let ty = field_type(f);
            let Some(was) = of.get(name) else {
                // A required field of a request body is a `new(..)` argument.
                let (level, what) = if f.shape.is_argument() {
                    (Level::Major, format!("required field added: {ty}"))
                } else {
                    (Level::Minor, format!("field added: {ty}"))
                };
                self.push(level, field, what, here);
                continue;
            };
            let was_ty = field_type(was);
            if was_ty != ty {
                let what = self.retyped(&was_ty, &ty, Some(&was.ty), Some(&f.ty));
                self.push(Level::Major, field.clone(), what, here.clone());
            } else if was.shape.is_argument() != f.shape.is_argument() {
                self.push(
                    Level::Major,
                    field.clone(),
                    argument_flip(f.shape),
                    here.clone(),
                );
            }
            self.view(&field, was, f, &here);
            if was.pii != f.pii {
                self.push(Level::Patch, field.clone(), pii_change(f.pii), here.clone());
            }
            if was.wire != f.wire {
                self.push(
                    Level::Patch,
                    field.clone(),
                    format!("wire name `{}` instead of `{}`", f.wire, was.wire),
                    here.clone(),
                );
            }
            if was.doc != f.doc {
                self.push(Level::Patch, field, "doc changed", here);
            }
        }
    }

    fn enums(&mut self, item: &str, name: &str, o: &Enum, n: &Enum, at: &str) {
        if o.doc != n.doc {
            self.push(Level::Patch, item.into(), "doc changed", at.into());
        }
        if o.other_variant != n.other_variant {
            self.push(
                Level::Major,
                item.into(),
                format!(
                    "unknown-value variant renamed from `{}` to `{}`",
                    o.other_variant, n.other_variant
                ),
                at.into(),
            );
        }
        let ov = by_name(&o.variants, |v| &v.name);
        let nv = by_name(&n.variants, |v| &v.name);
        for (v, variant) in &ov {
            if !nv.contains_key(v) {
                self.push(
                    Level::Major,
                    format!("{item}::{v}"),
                    format!("variant removed (`{}`)", variant.wire),
                    Self::type_at(self.old, name),
                );
            }
        }
        for (v, variant) in &nv {
            match ov.get(v) {
                None => self.push(
                    Level::Minor,
                    format!("{item}::{v}"),
                    format!("variant added (`{}`)", variant.wire),
                    at.into(),
                ),
                Some(was) if was.wire != variant.wire => self.push(
                    Level::Patch,
                    format!("{item}::{v}"),
                    format!(
                        "written `{}` on the wire instead of `{}`",
                        variant.wire, was.wire
                    ),
                    at.into(),
                ),
                Some(_) => {}
            }
        }
    }

    /// A field's typed view (`typed_<field>()`): gaining one is additive,
    /// losing it or its struct changing to another type is breaking.
    fn view(&mut self, field: &str, was: &Field, now: &Field, at: &str) {
        match (&was.view, &now.view) {
            (None, None) => {}
            (None, Some(v)) => self.push(
                Level::Minor,
                format!("{field}::{}()", v.method),
                format!("typed view added: {}", render(&v.ty)),
                at.into(),
            ),
            (Some(v), None) => self.push(
                Level::Major,
                format!("{field}::{}()", v.method),
                "typed view removed",
                at.into(),
            ),
            (Some(a), Some(b)) => {
                let (was_ty, now_ty) = (render(&a.ty), render(&b.ty));
                if a.method != b.method {
                    self.push(
                        Level::Major,
                        format!("{field}::{}()", a.method),
                        format!("typed view renamed to `{}()`", b.method),
                        at.into(),
                    );
                } else if was_ty != now_ty {
                    let what = self.retyped(&was_ty, &now_ty, Some(&a.ty), Some(&b.ty));
                    self.push(
                        Level::Major,
                        format!("{field}::{}()", b.method),
                        format!("typed view's {what}"),
                        at.into(),
                    );
                }
            }
        }
    }

    fn op_at(api: &Api, op: &Operation) -> String {
        api.origins
            .operations
            .get(&op.id)
            .cloned()
            .unwrap_or_default()
    }

    fn param_at(api: &Api, op: &Operation, param: &Param) -> String {
        api.origins
            .params
            .get(&(op.id.clone(), param.name.clone()))
            .cloned()
            .unwrap_or_else(|| format!("{}/requestBody", Self::op_at(api, op)))
    }

    fn operations(&mut self) {
        let old = by_name(&self.old.operations, |o| &o.name);
        let new = by_name(&self.new.operations, |o| &o.name);
        for (name, op) in &old {
            if !new.contains_key(name) {
                self.push(
                    Level::Major,
                    format!("requests::{name}"),
                    format!("operation removed (`{}`)", op.id),
                    Self::op_at(self.old, op),
                );
                if let Some(params) = &op.params {
                    self.push(
                        Level::Major,
                        format!("requests::{}", params.name),
                        "struct removed",
                        Self::op_at(self.old, op),
                    );
                }
            }
        }
        for (name, n) in &new {
            let item = format!("requests::{name}");
            let at = Self::op_at(self.new, n);
            let Some(o) = old.get(name) else {
                self.push(
                    Level::Minor,
                    item,
                    format!("operation added (`{} {}`)", n.method.as_str(), n.path),
                    at.clone(),
                );
                if let Some(params) = &n.params {
                    self.push(
                        Level::Minor,
                        format!("requests::{}", params.name),
                        "struct added",
                        at,
                    );
                }
                continue;
            };
            self.operation(&item, o, n, &at);
        }
    }

    fn operation(&mut self, item: &str, o: &Operation, n: &Operation, at: &str) {
        if o.doc != n.doc {
            self.push(Level::Patch, item.into(), "doc changed", at.into());
        }
        if (o.method, &o.path) != (n.method, &n.path) {
            self.push(
                Level::Patch,
                item.into(),
                format!(
                    "sent as `{} {}` instead of `{} {}`",
                    n.method.as_str(),
                    n.path,
                    o.method.as_str(),
                    o.path
                ),
                at.into(),
            );
        }
        // The arguments as the emitters list them: an account parameter
        // is none (it is filled from the `Api`).
        let args = |op: &Operation| {
            op.path_args()
                .map(|p| format!("{}: {}", p.name, render(&p.ty)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if args(o) != args(n) {
            self.push(
                Level::Major,
                item.into(),
                format!("path arguments changed from ({}) to ({})", args(o), args(n)),
                at.into(),
            );
        }
        let (ot, nt) = (response_type(&o.response), response_type(&n.response));
        if ot != nt {
            let by_rename = match (&o.response, &n.response) {
                (Response::Json { ty: a, .. }, Response::Json { ty: b, .. }) => {
                    self.only_renamed(a, b)
                }
                _ => false,
            };
            let note = if by_rename { " (a renamed type)" } else { "" };
            self.push(
                Level::Major,
                item.into(),
                format!("response changed from {ot} to {nt}{note}"),
                at.into(),
            );
        }
        if o.body != n.body {
            self.push(
                Level::Patch,
                item.into(),
                format!("body sent as {:?} instead of {:?}", n.body, o.body),
                at.into(),
            );
        }
        self.stream(o, n, at);
        match (&o.params, &n.params) {
            (None, None) => {}
            (Some(op), None) => self.push(
                Level::Major,
                format!("requests::{}", op.name),
                "struct removed (the operation takes no parameters now)",
                at.into(),
            ),
            (None, Some(np)) => self.push(
                Level::Major,
                format!("requests::{}", np.name),
                "struct added: the operation takes a parameters argument now",
                at.into(),
            ),
            (Some(op), Some(np)) if op.name != np.name => self.push(
                Level::Major,
                format!("requests::{}", op.name),
                format!("renamed to `{}`", np.name),
                at.into(),
            ),
            (Some(op), Some(np)) => self.params(o, n, op, np),
        }
    }

    /// The `Client::*_stream` method of an operation: one appearing is an
    /// addition, one disappearing or renamed breaks its callers; how it asks
    /// for pages (the page size from its `limit`, a token parameter) is
    /// behaviour, a patch.
    fn stream(&mut self, o: &Operation, n: &Operation, at: &str) {
        match (&o.stream, &n.stream) {
            (None, Some(stream)) => self.push(
                Level::Minor,
                format!("Client::{stream}"),
                "stream added (the operation's answer is now a list page the client can walk)",
                at.into(),
            ),
            (Some(stream), None) => self.push(
                Level::Major,
                format!("Client::{stream}"),
                "stream removed (the operation's answer is no longer a list page the client can walk)",
                at.into(),
            ),
            (Some(was), Some(now)) if was != now => self.push(
                Level::Major,
                format!("Client::{was}"),
                format!("renamed to `{now}`"),
                at.into(),
            ),
            (Some(stream), Some(_)) => {
                let item = format!("Client::{stream}");
                let (was, now) = (stream_item(&o.response), stream_item(&n.response));
                if was != now {
                    self.push(
                        Level::Major,
                        item.clone(),
                        format!("now yields {now} instead of {was}"),
                        at.into(),
                    );
                }
                if o.page_size != n.page_size {
                    let what = match &n.page_size {
                        Some(size) => format!(
                            "the page size now follows `limit` (`{}` between {} and {})",
                            size.field, size.minimum, size.maximum
                        ),
                        None => "the page size no longer follows `limit`".to_owned(),
                    };
                    self.push(Level::Patch, item.clone(), what, at.into());
                }
                if o.page_token != n.page_token {
                    let what = match &n.page_token {
                        Some(parameter) => format!("next pages asked for with `{parameter}`"),
                        None => "next pages no longer asked for by token".to_owned(),
                    };
                    self.push(Level::Patch, item, what, at.into());
                }
            }
            (None, None) => {}
        }
    }

    /// The fields of a `*Params` struct both sides have (`o`, `n`: its
    /// operation).
    fn params(&mut self, o: &Operation, n: &Operation, op: &Params, np: &Params) {
        let of = by_name(&op.fields, |p| &p.name);
        let nf = by_name(&np.fields, |p| &p.name);
        let params_item = format!("requests::{}", np.name);
        for (name, p) in &of {
            if !nf.contains_key(name) {
                self.push(
                    Level::Major,
                    format!("{params_item}::{name}"),
                    "parameter removed",
                    Self::param_at(self.old, o, p),
                );
            }
        }
        for (name, p) in &nf {
            let field = format!("{params_item}::{name}");
            let here = Self::param_at(self.new, n, p);
            match of.get(name) {
                None => self.param_added(field, p, here),
                Some(was) => self.param(field, was, p, here),
            }
        }
        self.one_of_groups(o, n, op, np);
    }

    /// `x-twilio.conditional` groups gained or lost. A patch either way: the
    /// Rust API is the same, and a group only documents what Twilio's
    /// server already enforces, so a call that a new group refuses in
    /// `validate()` was refused by Twilio with a 400 before (only the error
    /// changes, from `Error::Api` to `Error::Validation`, and no request is
    /// sent); a lost group lets through calls Twilio decides on. Like a
    /// changed pattern ("checks before sending changed"), which is a patch
    /// for the same reason.
    fn one_of_groups(&mut self, o: &Operation, n: &Operation, op: &Params, np: &Params) {
        let wires = |params: &Params, group: &crate::model::OneOf| -> Vec<String> {
            let mut wires: Vec<String> = params
                .members(group)
                .map(|p| format!("`{}`", p.wire))
                .collect();
            wires.sort();
            wires
        };
        let old: BTreeSet<Vec<String>> = op.one_of.iter().map(|g| wires(op, g)).collect();
        let new: BTreeSet<Vec<String>> = np.one_of.iter().map(|g| wires(np, g)).collect();
        let item = format!("requests::{}::validate()", np.name);
        for group in old.difference(&new) {
            let what = format!(
                "one-of check removed: {} (Twilio's server still decides)",
                group.join(", ")
            );
            let at = format!("{}/x-twilio/conditional", Self::op_at(self.old, o));
            self.push(Level::Patch, item.clone(), what, at);
        }
        for group in new.difference(&old) {
            let what = format!("one-of check added: at least one of {} must be set (Twilio already refused calls without one; they now fail before sending)", group.join(", "));
            let at = format!("{}/x-twilio/conditional", Self::op_at(self.new, n));
            self.push(Level::Patch, item.clone(), what, at);
        }
    }

    /// A new parameter breaks `new(..)` only when it is an argument: a
    /// collection the spec requires is not (it starts empty).
    fn param_added(&mut self, field: String, p: &Param, here: String) {
        let ty = param_type(p);
        let (level, what) = match (p.shape.is_argument(), p.required) {
            (true, _) => (Level::Major, format!("required parameter added: {ty}")),
            (false, true) => (
                Level::Minor,
                format!("required parameter added: {ty} (a collection, not a `new(..)` argument)"),
            ),
            (false, false) => (Level::Minor, format!("optional parameter added: {ty}")),
        };
        self.push(level, field, what, here);
    }

    /// A parameter both sides have.
    fn param(&mut self, field: String, was: &Param, p: &Param, here: String) {
        let (was_ty, ty) = (param_type(was), param_type(p));
        if was_ty != ty {
            let what = self.retyped(&was_ty, &ty, Some(&was.ty), Some(&p.ty));
            self.push(Level::Major, field.clone(), what, here.clone());
        } else if was.shape.is_argument() != p.shape.is_argument() {
            self.push(
                Level::Major,
                field.clone(),
                argument_flip(p.shape),
                here.clone(),
            );
        } else if was.required != p.required {
            // A collection starts empty either way: only the spec changed.
            let what = if p.required {
                "now required by the spec (a collection: still not a `new(..)` argument)"
            } else {
                "now optional in the spec (a collection: the Rust API is the same)"
            };
            self.push(Level::Patch, field.clone(), what, here.clone());
        }
        if (was.location, &was.wire, &was.encoding) != (p.location, &p.wire, &p.encoding) {
            self.push(
                Level::Patch,
                field.clone(),
                format!(
                    "sent as {:?} `{}` ({:?}) instead of {:?} `{}` ({:?})",
                    p.location, p.wire, p.encoding, was.location, was.wire, was.encoding
                ),
                here.clone(),
            );
        }
        if was.checks != p.checks {
            self.push(
                Level::Patch,
                field.clone(),
                "checks before sending changed",
                here.clone(),
            );
        }
        if was.pii != p.pii {
            self.push(Level::Patch, field.clone(), pii_change(p.pii), here.clone());
        }
        if was.doc != p.doc {
            self.push(Level::Patch, field, "doc changed", here);
        }
    }

    fn event_at(api: &Api, name: &str) -> String {
        api.origins.events.get(name).cloned().unwrap_or_default()
    }

    fn events(&mut self) {
        let old = by_name(&self.old.callbacks.events, |e| &e.name);
        let new = by_name(&self.new.callbacks.events, |e| &e.name);
        for name in old.keys() {
            if !new.contains_key(name) {
                self.push(
                    Level::Major,
                    format!("webhooks::{name}"),
                    "event removed",
                    Self::event_at(self.old, name),
                );
            }
        }
        for (name, n) in &new {
            let item = format!("webhooks::{name}");
            let at = Self::event_at(self.new, name);
            let Some(o) = old.get(name) else {
                self.push(Level::Minor, item, "event added", at);
                continue;
            };
            if o.doc != n.doc {
                self.push(Level::Patch, item.clone(), "doc changed", at.clone());
            }
            if (o.tag != n.tag) || (o.json != n.json) {
                self.push(
                    Level::Patch,
                    item.clone(),
                    "recognised or read differently on the wire",
                    at.clone(),
                );
            }
            let field_at = |type_at: &str, f: &EventField| {
                format!("{type_at}/properties/{}", escape_pointer(&f.wire))
            };
            let of = by_name(&o.fields, |f| &f.name);
            let nf = by_name(&n.fields, |f| &f.name);
            for (f, field) in &of {
                if !nf.contains_key(f) {
                    self.push(
                        Level::Major,
                        format!("{item}::{f}"),
                        "field removed",
                        field_at(&Self::event_at(self.old, name), field),
                    );
                }
            }
            for (f, field) in &nf {
                let here = field_at(&at, field);
                let ty = event_field_type(field);
                match of.get(f) {
                    None => self.push(
                        Level::Minor,
                        format!("{item}::{f}"),
                        format!("field added: {ty}"),
                        here,
                    ),
                    Some(was) => {
                        let was_ty = event_field_type(was);
                        if was_ty != ty {
                            let what = self.retyped(&was_ty, &ty, Some(&was.ty), Some(&field.ty));
                            self.push(Level::Major, format!("{item}::{f}"), what, here.clone());
                        }
                        if was.pii != field.pii {
                            let what = pii_change(field.pii);
                            self.push(Level::Patch, format!("{item}::{f}"), what, here.clone());
                        }
                        if was.doc != field.doc || was.wire != field.wire {
                            self.push(
                                Level::Patch,
                                format!("{item}::{f}"),
                                "doc or wire name changed",
                                here,
                            );
                        }
                    }
                }
            }
        }
    }

    fn unions(&mut self) {
        let old = by_name(&self.old.callbacks.unions, |u| &u.name);
        let new = by_name(&self.new.callbacks.unions, |u| &u.name);
        // A union has no schema of its own: its members' locations stand in.
        let member_at = |api: &Api, event: &str| Self::event_at(api, event);
        for (name, o) in &old {
            if !new.contains_key(name) {
                let at = o
                    .variants
                    .first()
                    .map(|(_, e)| member_at(self.old, e))
                    .unwrap_or_default();
                self.push(
                    Level::Major,
                    format!("webhooks::{name}"),
                    "enum removed",
                    at,
                );
            }
        }
        for (name, n) in &new {
            let item = format!("webhooks::{name}");
            let Some(o) = old.get(name) else {
                let at = n
                    .variants
                    .first()
                    .map(|(_, e)| member_at(self.new, e))
                    .unwrap_or_default();
                self.push(Level::Minor, item, "enum added", at);
                continue;
            };
            if o.other_variant != n.other_variant {
                self.push(
                    Level::Major,
                    format!("{item}::{}", o.other_variant),
                    format!("renamed to `{}`", n.other_variant),
                    String::new(),
                );
            }
            let ov: BTreeMap<_, _> = o.variants.iter().map(|(v, e)| (e, v)).collect();
            let nv: BTreeMap<_, _> = n.variants.iter().map(|(v, e)| (e, v)).collect();
            for (event, value) in &ov {
                if !nv.contains_key(event) {
                    self.push(
                        Level::Major,
                        format!("{item}::{event}"),
                        format!("variant removed (`{value}`)"),
                        member_at(self.old, event),
                    );
                }
            }
            for (event, value) in &nv {
                match ov.get(event) {
                    None => self.push(
                        Level::Minor,
                        format!("{item}::{event}"),
                        format!("variant added (`{value}`)"),
                        member_at(self.new, event),
                    ),
                    Some(was) if was != value => self.push(
                        Level::Patch,
                        format!("{item}::{event}"),
                        format!("recognised by `{value}` instead of `{was}`"),
                        member_at(self.new, event),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::Selection;

    /// A small API: one model with a field and an inline enum, one
    /// operation with a path argument and one optional form field.
    const BASE: &str = r#"openapi: 3.0.3
info: {title: Pets, version: '1'}
servers: [{url: 'https://pets.example.com'}]
paths:
  /v1/Pets/{Sid}:
    post:
      operationId: UpdatePet
      description: Update a pet.
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                Name: {type: string, description: The new name.}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/pet'}
components:
  schemas:
    pet:
      type: object
      properties:
        sid: {type: string, description: The pet's id.}
        status: {type: string, enum: [alive, asleep]}
"#;

    const FORM_FIELD: &str = "                Name: {type: string, description: The new name.}\n";
    const SID_FIELD: &str = "        sid: {type: string, description: The pet's id.}\n";

    fn api(file: &str, text: &str) -> Api {
        crate::normalise::normalise_text(file, text, &Selection::default()).unwrap()
    }

    /// BASE against BASE with `from` replaced by `to` (which must occur).
    fn changed(from: &str, to: &str) -> Diff {
        assert!(BASE.contains(from), "{from:?} is not in BASE");
        diff(
            &api("old.yaml", BASE),
            &api("new.yaml", &BASE.replace(from, to)),
        )
    }

    fn lines(d: &Diff) -> Vec<(Level, &str, &str, &str)> {
        d.changes
            .iter()
            .map(|c| (c.level, c.item.as_str(), c.change.as_str(), c.at.as_str()))
            .collect()
    }

    #[test]
    fn the_same_spec_is_a_patch_with_no_changes() {
        let d = diff(&api("old.yaml", BASE), &api("new.yaml", BASE));
        assert!(d.changes.is_empty(), "{d}");
        assert_eq!(d.to_string(), "semver: patch\n");
    }

    #[test]
    fn an_added_response_field_is_minor_and_named_with_its_location() {
        let d = changed(
            SID_FIELD,
            &format!("{SID_FIELD}        age: {{type: integer}}\n"),
        );
        assert_eq!(
            lines(&d),
            [(
                Level::Minor,
                "models::Pet::age",
                "field added: Option<i64>",
                "new.yaml#/components/schemas/pet/properties/age"
            )]
        );
        assert_eq!(
            d.to_string(),
            "additive:\n  models::Pet::age: field added: Option<i64> (new.yaml#/components/schemas/pet/properties/age)\nsemver: minor\n"
        );
    }

    /// BASE whose pet has an untyped `collar`, and, with `form`, the
    /// `Collar.Size` form field the typed view is read from.
    fn with_collar(form: bool) -> Api {
        let mut text = BASE.replace(
            SID_FIELD,
            &format!("{SID_FIELD}        collar: {{nullable: true}}\n"),
        );
        if form {
            text = text.replace(
                FORM_FIELD,
                &format!("{FORM_FIELD}                Collar.Size: {{type: integer}}\n"),
            );
        }
        api(if form { "new.yaml" } else { "old.yaml" }, &text)
    }

    #[test]
    fn request_fields_that_type_an_untyped_response_value_add_a_view_not_a_retype() {
        let d = diff(&with_collar(false), &with_collar(true));
        assert_eq!(d.semver(), Level::Minor, "{d}");
        let at = "new.yaml#/components/schemas/pet/properties/collar";
        let changes = lines(&d);
        assert!(
            changes.contains(&(
                Level::Minor,
                "models::Pet::collar::typed_collar()",
                "typed view added: PetCollar",
                at
            )),
            "{d}"
        );
        assert!(
            changes.contains(&(Level::Patch, "models::Pet::collar", "doc changed", at)),
            "{d}"
        );
        assert!(
            changes.contains(&(
                Level::Minor,
                "models::PetCollar",
                "struct added",
                "new.yaml#/components/schemas/pet/properties/collar"
            )),
            "{d}"
        );
    }

    #[test]
    fn losing_the_fields_a_view_is_read_from_removes_it_and_is_major() {
        let d = diff(&with_collar(true), &with_collar(false));
        assert_eq!(d.semver(), Level::Major, "{d}");
        assert!(
            lines(&d).contains(&(
                Level::Major,
                "models::Pet::collar::typed_collar()",
                "typed view removed",
                "old.yaml#/components/schemas/pet/properties/collar"
            )),
            "{d}"
        );
    }

    /// A list operation answering `{items, meta}` with `meta` as given and
    /// the query parameters given.
    fn list_api(file: &str, meta: &str, params: &str) -> Api {
        let text = format!(
            r#"openapi: 3.0.3
info: {{title: Items, version: '1'}}
servers: [{{url: 'https://items.example.com'}}]
paths:
  /v1/Items:
    get:
      operationId: ListItem
      parameters: [{params}]
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                title: ListItemResponse
                properties:
                  items: {{type: array, items: {{$ref: '#/components/schemas/item'}}}}
                  meta: {{$ref: '#/components/schemas/meta'}}
components:
  schemas:
    item:
      type: object
      properties:
        sid: {{type: string}}
    meta:
      type: object
      properties: {meta}
"#
        );
        api(file, &text)
    }

    const URL_META: &str = "{next_page_url: {type: string}}";
    const TOKEN_META: &str = "{next_token: {type: string}}";
    const PAGE_TOKEN: &str = "{name: PageToken, in: query, schema: {type: string}}";
    const PAGE_SIZE: &str = "{name: PageSize, in: query, schema: {type: integer, maximum: 50}}";

    #[test]
    fn a_page_changing_to_token_style_is_major_for_its_meta_field() {
        let old = list_api("old.yaml", URL_META, PAGE_TOKEN);
        let new = list_api("new.yaml", TOKEN_META, PAGE_TOKEN);
        let d = diff(&old, &new);
        assert_eq!(d.semver(), Level::Major, "{d}");
        let changes: Vec<(Level, &str, &str)> = lines(&d)
            .into_iter()
            .map(|(l, i, c, _)| (l, i, c))
            .collect();
        assert!(
            changes.contains(&(
                Level::Major,
                "models::ListItemResponse::meta",
                "type changed from PageMeta to Option<Meta>"
            )),
            "{d}"
        );
        assert!(
            changes.contains(&(
                Level::Patch,
                "models::ListItemResponse",
                "now names its next page by token (`meta.next_token`)"
            )),
            "{d}"
        );
        assert!(
            changes.contains(&(
                Level::Patch,
                "Client::list_item_stream",
                "next pages asked for with `PageToken`"
            )),
            "{d}"
        );
    }

    #[test]
    fn a_stream_appearing_is_minor_and_disappearing_major() {
        // A token page without a token parameter has no stream.
        let without = list_api("old.yaml", TOKEN_META, PAGE_SIZE);
        let with = list_api(
            "new.yaml",
            TOKEN_META,
            &format!("{PAGE_SIZE}, {PAGE_TOKEN}"),
        );
        assert!(without.operations[0].stream.is_none());
        let d = diff(&without, &with);
        assert_eq!(d.semver(), Level::Minor, "{d}");
        let stream = lines(&d)
            .into_iter()
            .find(|(_, item, ..)| *item == "Client::list_item_stream")
            .map(|(level, _, change, _)| (level, change));
        assert_eq!(
            stream,
            Some((
                Level::Minor,
                "stream added (the operation's answer is now a list page the client can walk)"
            )),
            "{d}"
        );
        let d = diff(&with, &without);
        assert_eq!(d.semver(), Level::Major, "{d}");
    }

    #[test]
    fn the_page_size_following_the_limit_is_a_patch() {
        let old = list_api("old.yaml", URL_META, PAGE_TOKEN);
        let new = list_api("new.yaml", URL_META, &format!("{PAGE_SIZE}, {PAGE_TOKEN}"));
        let d = diff(&old, &new);
        assert_eq!(d.semver(), Level::Minor, "{d}");
        assert!(
            lines(&d).contains(&(
                Level::Patch,
                "Client::list_item_stream",
                "the page size now follows `limit` (`page_size` between 1 and 50)",
                "new.yaml#/paths/~1v1~1Items/get"
            )),
            "{d}"
        );
    }

    #[test]
    fn an_added_enum_value_is_minor() {
        let d = changed("[alive, asleep]", "[alive, asleep, hungry]");
        assert_eq!(
            lines(&d),
            [(
                Level::Minor,
                "models::PetStatus::Hungry",
                "variant added (`hungry`)",
                "new.yaml#/components/schemas/pet/properties/status"
            )]
        );
    }

    #[test]
    fn a_removed_enum_value_is_major_at_the_old_location() {
        let d = changed("[alive, asleep]", "[alive]");
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "models::PetStatus::Asleep",
                "variant removed (`asleep`)",
                "old.yaml#/components/schemas/pet/properties/status"
            )]
        );
        assert_eq!(d.semver(), Level::Major);
    }

    #[test]
    fn an_added_optional_parameter_is_minor() {
        let d = changed(
            FORM_FIELD,
            &format!("{FORM_FIELD}                Color: {{type: string}}\n"),
        );
        assert_eq!(
            lines(&d),
            [(
                Level::Minor,
                "requests::UpdatePetParams::color",
                "optional parameter added: Option<String>",
                "new.yaml#/paths/~1v1~1Pets~1{Sid}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/Color"
            )]
        );
    }

    #[test]
    fn an_added_conditional_group_is_a_patch_naming_the_group() {
        // Twilio already answered a call with none of the group set with a
        // 400: the call now fails in `validate()` instead, and the Rust API
        // is the same.
        let old = api(
            "old.yaml",
            &BASE.replace(
                FORM_FIELD,
                &format!("{FORM_FIELD}                Nickname: {{type: string}}\n"),
            ),
        );
        let with_group = BASE
            .replace(
                FORM_FIELD,
                &format!("{FORM_FIELD}                Nickname: {{type: string}}\n"),
            )
            .replace(
                "      description: Update a pet.\n",
                "      description: Update a pet.\n      x-twilio: {conditional: [[name, nickname]]}\n",
            );
        let d = diff(&old, &api("new.yaml", &with_group));
        assert_eq!(
            lines(&d),
            [(
                Level::Patch,
                "requests::UpdatePetParams::validate()",
                "one-of check added: at least one of `Name`, `Nickname` must be set (Twilio already refused calls without one; they now fail before sending)",
                "new.yaml#/paths/~1v1~1Pets~1{Sid}/post/x-twilio/conditional"
            )]
        );
        assert_eq!(d.semver(), Level::Patch);
        let back = diff(&api("new.yaml", &with_group), &old);
        assert_eq!(
            lines(&back),
            [(
                Level::Patch,
                "requests::UpdatePetParams::validate()",
                "one-of check removed: `Name`, `Nickname` (Twilio's server still decides)",
                "new.yaml#/paths/~1v1~1Pets~1{Sid}/post/x-twilio/conditional"
            )]
        );
    }

    #[test]
    fn a_field_marked_as_personal_data_is_a_patch() {
        let pii = "x-twilio: {pii: {handling: standard, deleteSla: 30}}";
        let d = changed(
            SID_FIELD,
            &format!("        sid: {{type: string, description: The pet's id., {pii}}}\n"),
        );
        assert_eq!(
            lines(&d),
            [(
                Level::Patch,
                "models::Pet::sid",
                "now personal data: `Debug` prints `<redacted>` for it",
                "new.yaml#/components/schemas/pet/properties/sid"
            )]
        );
        let d = changed(
            FORM_FIELD,
            &format!("                Name: {{type: string, description: The new name., {pii}}}\n"),
        );
        assert_eq!(d.semver(), Level::Patch, "{d}");
        assert_eq!(
            d.changes[0].change,
            "now personal data: `Debug` prints `<redacted>` for it"
        );
    }

    #[test]
    fn an_added_required_parameter_is_major() {
        let d = changed(
            FORM_FIELD,
            &format!("{FORM_FIELD}                Color: {{type: string}}\n              required: [Color]\n"),
        );
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "requests::UpdatePetParams::color",
                "required parameter added: String",
                "new.yaml#/paths/~1v1~1Pets~1{Sid}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/Color"
            )]
        );
    }

    #[test]
    fn a_removed_field_is_major_at_the_old_location() {
        let d = changed(SID_FIELD, "");
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "models::Pet::sid",
                "field removed",
                "old.yaml#/components/schemas/pet/properties/sid"
            )]
        );
    }

    #[test]
    fn a_retyped_field_or_parameter_is_major() {
        let d = changed("sid: {type: string,", "sid: {type: boolean,");
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "models::Pet::sid",
                "type changed from Option<String> to Option<bool>",
                "new.yaml#/components/schemas/pet/properties/sid"
            )]
        );
        let d = changed("Name: {type: string,", "Name: {type: integer,");
        assert_eq!(
            (lines(&d)[0].1, lines(&d)[0].2),
            (
                "requests::UpdatePetParams::name",
                "type changed from Option<String> to Option<i64>"
            )
        );
        assert_eq!(d.semver(), Level::Major);
    }

    #[test]
    fn a_doc_change_is_a_patch() {
        let d = changed("The pet's id.", "The pet's unique id.");
        assert_eq!(
            lines(&d),
            [(
                Level::Patch,
                "models::Pet::sid",
                "doc changed",
                "new.yaml#/components/schemas/pet/properties/sid"
            )]
        );
        assert!(d.to_string().starts_with("patch:\n"), "{d}");
        assert!(d.to_string().ends_with("\nsemver: patch\n"), "{d}");
    }

    #[test]
    fn an_added_operation_is_minor_and_a_removed_one_major() {
        let extra = "  /v1/Pets:\n    get:\n      operationId: ListPet\n      responses:\n        '204': {description: Nothing}\n";
        let with = BASE.replace("components:\n", &format!("{extra}components:\n"));
        let d = diff(&api("old.yaml", BASE), &api("new.yaml", &with));
        assert_eq!(
            lines(&d),
            [(
                Level::Minor,
                "requests::list_pet",
                "operation added (`GET /v1/Pets`)",
                "new.yaml#/paths/~1v1~1Pets/get"
            )]
        );
        let d = diff(&api("old.yaml", &with), &api("new.yaml", BASE));
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "requests::list_pet",
                "operation removed (`ListPet`)",
                "old.yaml#/paths/~1v1~1Pets/get"
            )]
        );
    }

    #[test]
    fn a_renamed_model_is_major_and_named_a_rename() {
        let renamed = BASE
            .replace("    pet:\n", "    animal:\n")
            .replace("schemas/pet'", "schemas/animal'");
        let d = diff(&api("old.yaml", BASE), &api("new.yaml", &renamed));
        let d = Diff {
            changes: d
                .changes
                .into_iter()
                .filter(|c| c.level == Level::Major || c.item == "models::Animal")
                .collect(),
        };
        let items: Vec<_> = lines(&d).iter().map(|l| (l.0, l.1, l.2)).collect();
        assert_eq!(
            items,
            [
                (
                    Level::Major,
                    "models::Pet",
                    "renamed to `models::Animal` (the same shape; no deprecated alias)"
                ),
                (
                    Level::Major,
                    "models::PetStatus",
                    "renamed to `models::AnimalStatus` (the same shape; no deprecated alias)"
                ),
                (
                    Level::Major,
                    "requests::update_pet",
                    "response changed from Pet to Animal (a renamed type)"
                ),
            ],
            "{d}"
        );
        assert_eq!(d.semver(), Level::Major);
    }

    #[test]
    fn a_name_kept_as_a_deprecated_alias_is_the_same_type() {
        // Old: the form field and the model each have their inline enum. New:
        // both use one component, named after the model's property; the form
        // field's old name stays as a deprecated alias of it.
        let with_mood = |form: &str, model: &str| {
            BASE.replace(
                FORM_FIELD,
                &format!("{FORM_FIELD}                Mood: {form}\n"),
            )
            .replace(SID_FIELD, &format!("{SID_FIELD}        mood: {model}\n"))
        };
        let inline = "{type: string, enum: [calm, wild]}";
        let shared = "{$ref: '#/components/schemas/pet_enum_mood'}";
        let old = with_mood(inline, inline);
        let new = with_mood(shared, shared).replace(
            "  schemas:\n",
            "  schemas:\n    pet_enum_mood: {type: string, enum: [calm, wild]}\n",
        );
        let (old, new) = (api("old.yaml", &old), api("new.yaml", &new));
        assert!(
            new.aliases
                .iter()
                .any(|a| a.name == "UpdatePetMood" && a.target == "PetMood"),
            "{:?}",
            new.aliases
        );
        let d = diff(&old, &new);
        assert_eq!(d.at_level(Level::Major).count(), 0, "{d}");
        let minor: Vec<_> = lines(&d)
            .into_iter()
            .filter(|l| l.0 == Level::Minor)
            .map(|l| (l.1, l.2))
            .collect();
        assert_eq!(
            minor,
            [(
                "models::UpdatePetMood",
                "now a deprecated alias of `models::PetMood` (the same shape)"
            )],
            "{d}"
        );
        assert_eq!(d.semver(), Level::Minor);
    }

    #[test]
    fn an_inline_enum_moved_to_components_keeps_its_name_and_breaks_nothing() {
        // The naming rule names `pet_enum_state` after the property that used
        // the inline enum (`PetStatus`), so the move breaks nothing.
        let moved = BASE
            .replace(
                "status: {type: string, enum: [alive, asleep]}",
                "status: {$ref: '#/components/schemas/pet_enum_state'}\n        mood: {$ref: '#/components/schemas/pet_enum_mood'}",
            )
            .replace(
                "  schemas:\n",
                "  schemas:\n    pet_enum_state: {type: string, enum: [alive, asleep]}\n    pet_enum_mood: {type: string, enum: [alive, asleep]}\n",
            );
        let d = diff(&api("old.yaml", BASE), &api("new.yaml", &moved));
        assert_eq!(d.at_level(Level::Major).count(), 0, "{d}");
        let additive: Vec<_> = lines(&d)
            .into_iter()
            .filter(|l| l.0 == Level::Minor)
            .map(|l| (l.1, l.2))
            .collect();
        assert_eq!(
            additive,
            [
                ("models::Pet::mood", "field added: Option<PetMood>"),
                ("models::PetMood", "enum added"),
            ],
            "{d}"
        );
        assert_eq!(d.semver(), Level::Minor);
    }

    #[test]
    fn a_model_removed_while_another_is_added_is_not_a_rename() {
        let other = BASE
            .replace("    pet:\n", "    animal:\n")
            .replace("schemas/pet'", "schemas/animal'")
            .replace(SID_FIELD, "        id: {type: string}\n");
        let d = diff(&api("old.yaml", BASE), &api("new.yaml", &other));
        let items: Vec<_> = lines(&d).iter().map(|l| (l.0, l.1, l.2)).collect();
        assert!(
            items.contains(&(Level::Major, "models::Pet", "struct removed")),
            "{d}"
        );
        assert!(
            items.contains(&(Level::Minor, "models::Animal", "struct added")),
            "{d}"
        );
    }

    /// One operation whose callback sends one event body.
    const HOOKS: &str = r#"openapi: 3.0.1
info: {title: T, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a:
    post:
      operationId: CreateA
      responses: {'204': {description: ok}}
      callbacks:
        hook:
          '{$request.query.url}':
            post:
              requestBody:
                content:
                  application/x-www-form-urlencoded:
                    schema: {$ref: '#/components/schemas/pinged'}
              responses: {'200': {description: ok}}
components:
  schemas:
    pinged:
      type: object
      properties:
        At: {type: string}
"#;

    #[test]
    fn webhook_event_fields_added_minor_removed_and_retyped_major() {
        let at = "        At: {type: string}\n";
        let more = HOOKS.replace(at, &format!("{at}        Count: {{type: integer}}\n"));
        let d = diff(&api("old.yaml", HOOKS), &api("new.yaml", &more));
        assert_eq!(
            lines(&d),
            [(
                Level::Minor,
                "webhooks::Pinged::count",
                "field added: Option<i64>",
                "new.yaml#/components/schemas/pinged/properties/Count"
            )]
        );
        let d = diff(&api("old.yaml", &more), &api("new.yaml", HOOKS));
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "webhooks::Pinged::count",
                "field removed",
                "old.yaml#/components/schemas/pinged/properties/Count"
            )]
        );
        let retyped = HOOKS.replace("At: {type: string}", "At: {type: boolean}");
        let d = diff(&api("old.yaml", HOOKS), &api("new.yaml", &retyped));
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "webhooks::Pinged::at",
                "type changed from Option<String> to Option<bool>",
                "new.yaml#/components/schemas/pinged/properties/At"
            )]
        );
    }

    #[test]
    fn the_json_form_has_the_documented_shape() {
        let d = changed("[alive, asleep]", "[alive, asleep, hungry]");
        assert_eq!(
            d.to_json(),
            serde_json::json!({
                "semver": "minor",
                "changes": [{
                    "level": "minor",
                    "item": "models::PetStatus::Hungry",
                    "change": "variant added (`hungry`)",
                    "at": "new.yaml#/components/schemas/pet/properties/status",
                }],
            })
        );
    }

    #[test]
    fn breaking_comes_first_and_the_largest_level_wins() {
        let d = changed(
            "[alive, asleep]}\n",
            "[alive, hungry]}\n        age: {type: integer, description: Years.}\n",
        );
        let text = d.to_string();
        let groups: Vec<_> = text.lines().filter(|l| !l.starts_with(' ')).collect();
        assert_eq!(
            groups,
            ["breaking:", "additive:", "semver: major"],
            "{text}"
        );
    }

    /// BASE with a `Labels` form field that is a prefixed map, required or not.
    fn with_labels(required: bool) -> String {
        let labels =
            "                Labels: {type: object, format: prefixed-collapsible-map-Labels}\n";
        let required = if required {
            "              required: [Labels]\n"
        } else {
            ""
        };
        BASE.replace(FORM_FIELD, &format!("{FORM_FIELD}{labels}{required}"))
    }

    #[test]
    fn an_optional_prefixed_map_is_shown_as_the_map_it_is_generated_as() {
        let d = diff(
            &api("old.yaml", BASE),
            &api("new.yaml", &with_labels(false)),
        );
        assert_eq!(
            lines(&d),
            [(
                Level::Minor,
                "requests::UpdatePetParams::labels",
                "optional parameter added: BTreeMap<String,Value>",
                "new.yaml#/paths/~1v1~1Pets~1{Sid}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/Labels"
            )]
        );
    }

    #[test]
    fn a_prefixed_map_turning_required_or_optional_is_a_patch() {
        // A map is empty when unset and never a `new(..)` argument: the
        // generated field, constructor and setter are the same either way.
        let at = "new.yaml#/paths/~1v1~1Pets~1{Sid}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/Labels";
        let d = diff(
            &api("old.yaml", &with_labels(false)),
            &api("new.yaml", &with_labels(true)),
        );
        assert_eq!(
            lines(&d),
            [(
                Level::Patch,
                "requests::UpdatePetParams::labels",
                "now required by the spec (a collection: still not a `new(..)` argument)",
                at
            )]
        );
        let d = diff(
            &api("old.yaml", &with_labels(true)),
            &api("new.yaml", &with_labels(false)),
        );
        assert_eq!(d.semver(), Level::Patch, "{d}");
    }

    #[test]
    fn a_required_map_parameter_added_is_minor() {
        // Not a `new(..)` argument: existing callers still compile.
        let d = diff(&api("old.yaml", BASE), &api("new.yaml", &with_labels(true)));
        assert_eq!(
            lines(&d).iter().map(|l| (l.0, l.1, l.2)).collect::<Vec<_>>(),
            [(
                Level::Minor,
                "requests::UpdatePetParams::labels",
                "required parameter added: BTreeMap<String,Value> (a collection, not a `new(..)` argument)"
            )]
        );
    }

    /// One operation whose body is a JSON array of strings.
    fn tags_body(required: bool) -> Api {
        let text = format!(
            r#"openapi: 3.0.3
info: {{title: Tags, version: '1'}}
servers: [{{url: 'https://tags.example.com'}}]
paths:
  /v1/Tags:
    post:
      operationId: SetTags
      requestBody:
        required: {required}
        content:
          application/json:
            schema: {{type: array, items: {{type: string}}}}
      responses:
        '204': {{description: Set.}}
"#
        );
        api(if required { "new.yaml" } else { "old.yaml" }, &text)
    }

    #[test]
    fn a_json_array_body_turning_required_changes_new_and_is_major() {
        // A JSON body is no collection: optional, it is `Option<Vec<_>>` set
        // with a setter; required, it is `Vec<_>`, an argument of `new(..)`.
        let d = diff(&tags_body(false), &tags_body(true));
        assert_eq!(
            lines(&d),
            [(
                Level::Major,
                "requests::SetTagsParams::body",
                "type changed from Option<Vec<String>> to Vec<String>",
                "new.yaml#/paths/~1v1~1Tags/post/requestBody"
            )]
        );
        let d = diff(&tags_body(true), &tags_body(false));
        assert_eq!(d.semver(), Level::Major, "{d}");
    }
}
