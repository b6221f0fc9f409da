//! One test per parameter style of `runtime::form`, with OpenAPI 3.0.3's
//! "Style Examples" (`color` = `""`, `"blue"`, `[blue, black, brown]`,
//! `{R: 100, G: 200, B: 150}`) and values holding the delimiters.

use std::collections::BTreeMap;

use twilio_codegen_runtime::runtime::form::{
    path_label, path_matrix, path_simple, Form, ParamObject, StyleValue,
};
use twilio_codegen_runtime::runtime::Error;

fn string() -> StyleValue {
    StyleValue::scalar("blue")
}

fn array() -> StyleValue {
    StyleValue::array(&["blue", "black", "brown"])
}

/// In declaration order, as a generated struct gives its members.
fn object() -> StyleValue {
    StyleValue::Object(vec![
        ("R".to_owned(), "100".to_owned()),
        ("G".to_owned(), "200".to_owned()),
        ("B".to_owned(), "150".to_owned()),
    ])
}

fn refused(result: Result<String, Error>) -> String {
    match result {
        Err(Error::Validation {
            field,
            expected,
            found,
        }) => format!("{field}: {expected}: {found}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn query(push: impl FnOnce(&mut Form)) -> String {
    let mut form = Form::new();
    push(&mut form);
    form.encode()
}

#[test]
fn simple_follows_the_table_and_encodes_delimiters_in_values() {
    for explode in [false, true] {
        assert_eq!(path_simple("color", &string(), explode).unwrap(), "blue");
        assert_eq!(
            path_simple("color", &array(), explode).unwrap(),
            "blue,black,brown"
        );
    }
    assert_eq!(
        path_simple("color", &object(), false).unwrap(),
        "R,100,G,200,B,150"
    );
    assert_eq!(
        path_simple("color", &object(), true).unwrap(),
        "R=100,G=200,B=150"
    );
    let hostile = StyleValue::array(&["a,b", "c=d;e", "f g/é.", "%2E"]);
    assert_eq!(
        path_simple("color", &hostile, false).unwrap(),
        "a%2Cb,c%3Dd%3Be,f%20g%2F%C3%A9.,%252E"
    );
    let members = StyleValue::Object(vec![("k=,".to_owned(), "v=,".to_owned())]);
    assert_eq!(
        path_simple("color", &members, true).unwrap(),
        "k%3D%2C=v%3D%2C"
    );
}

#[test]
fn simple_refuses_empty_and_dot_segments() {
    let expected = "a non-empty value other than . or ..";
    for value in [
        StyleValue::scalar(""),
        StyleValue::array::<&str>(&[]),
        StyleValue::Object(Vec::new()),
    ] {
        assert_eq!(
            refused(path_simple("color", &value, false)),
            format!("color: {expected}: \"\"")
        );
    }
    assert_eq!(
        refused(path_simple("color", &StyleValue::scalar(".."), true)),
        format!("color: {expected}: \"..\"")
    );
    assert_eq!(
        refused(path_simple("color", &StyleValue::array(&["."]), false)),
        format!("color: {expected}: \".\"")
    );
    // Two values are not a dot segment.
    assert_eq!(
        path_simple("color", &StyleValue::array(&[".", "."]), false).unwrap(),
        ".,."
    );
}

#[test]
fn label_follows_the_table_and_encodes_dots_in_values() {
    for explode in [false, true] {
        assert_eq!(path_label("color", &string(), explode).unwrap(), ".blue");
        assert_eq!(
            path_label("color", &array(), explode).unwrap(),
            ".blue.black.brown"
        );
    }
    assert_eq!(
        path_label("color", &object(), false).unwrap(),
        ".R.100.G.200.B.150"
    );
    assert_eq!(
        path_label("color", &object(), true).unwrap(),
        ".R=100.G=200.B=150"
    );
    assert_eq!(
        path_label("color", &StyleValue::array(&["1.5", "a b", "é"]), false).unwrap(),
        ".1%2E5.a%20b.%C3%A9"
    );
}

#[test]
fn label_refuses_what_would_be_a_dot_segment() {
    let expected = "a non-empty value other than . or ..";
    // The table's "empty" is `.`: a dot segment.
    assert_eq!(
        refused(path_label("color", &StyleValue::scalar(""), false)),
        format!("color: {expected}: \".\"")
    );
    // `.` inside the value is `%2E`, and `.%2E` is `..` to a URL parser.
    assert_eq!(
        refused(path_label("color", &StyleValue::scalar("."), true)),
        format!("color: {expected}: \"..\"")
    );
    assert_eq!(
        refused(path_label("color", &StyleValue::array(&["", ""]), false)),
        format!("color: {expected}: \"..\"")
    );
    // An empty array is undefined: nothing, refused like any empty parameter.
    assert_eq!(
        refused(path_label("color", &StyleValue::array::<&str>(&[]), false)),
        format!("color: {expected}: \"\"")
    );
}

#[test]
fn matrix_follows_the_table_and_encodes_delimiters_in_values() {
    for explode in [false, true] {
        assert_eq!(
            path_matrix("color", &StyleValue::scalar(""), explode).unwrap(),
            ";color"
        );
        assert_eq!(
            path_matrix("color", &string(), explode).unwrap(),
            ";color=blue"
        );
    }
    assert_eq!(
        path_matrix("color", &array(), false).unwrap(),
        ";color=blue,black,brown"
    );
    assert_eq!(
        path_matrix("color", &array(), true).unwrap(),
        ";color=blue;color=black;color=brown"
    );
    assert_eq!(
        path_matrix("color", &object(), false).unwrap(),
        ";color=R,100,G,200,B,150"
    );
    assert_eq!(
        path_matrix("color", &object(), true).unwrap(),
        ";R=100;G=200;B=150"
    );
    assert_eq!(
        path_matrix("co;l", &StyleValue::array(&["a;b=c,d", ""]), true).unwrap(),
        ";co%3Bl=a%3Bb%3Dc%2Cd;co%3Bl"
    );
    assert_eq!(
        refused(path_matrix("color", &StyleValue::array::<&str>(&[]), true)),
        "color: a non-empty value other than . or ..: \"\""
    );
}

#[test]
fn form_follows_the_table() {
    for explode in [false, true] {
        assert_eq!(
            query(|q| q.push_form("color", &StyleValue::scalar(""), explode)),
            "color="
        );
        assert_eq!(
            query(|q| q.push_form("color", &string(), explode)),
            "color=blue"
        );
    }
    assert_eq!(
        query(|q| q.push_form("color", &array(), false)),
        "color=blue,black,brown"
    );
    assert_eq!(
        query(|q| q.push_form("color", &array(), true)),
        "color=blue&color=black&color=brown"
    );
    assert_eq!(
        query(|q| q.push_form("color", &object(), false)),
        "color=R,100,G,200,B,150"
    );
    assert_eq!(
        query(|q| q.push_form("color", &object(), true)),
        "R=100&G=200&B=150"
    );
}

#[test]
fn form_without_explode_encodes_commas_in_values_and_skips_empty_arrays() {
    let hostile = StyleValue::array(&["a,b", "c d", "e&f=g", "é+|"]);
    let mut form = Form::new();
    form.push("before", 1);
    form.push_form("ids", &hostile, false);
    form.push_form("none", &StyleValue::array::<&str>(&[]), false);
    form.push_form("none", &StyleValue::Object(Vec::new()), true);
    form.push("after", "x y");
    assert_eq!(
        form.encode(),
        "before=1&ids=a%2Cb,c+d,e%26f%3Dg,%C3%A9%2B%7C&after=x+y"
    );
    // The decoded view joins the values as the style does.
    assert_eq!(form.pairs()[1].0, "ids");
    assert_eq!(form.pairs()[1].1, "a,b,c d,e&f=g,é+|");
    assert_eq!(form.pairs().len(), 3);
}

#[test]
fn space_delimited_joins_with_an_encoded_space_and_sends_spaces_in_values_as_plus() {
    assert_eq!(
        query(|q| q.push_space_delimited("color", &array())),
        "color=blue%20black%20brown"
    );
    assert_eq!(
        query(|q| q.push_space_delimited("color", &object())),
        "color=R%20100%20G%20200%20B%20150"
    );
    assert_eq!(
        query(|q| q.push_space_delimited("color", &StyleValue::array(&["a b", "c+d"]))),
        "color=a+b%20c%2Bd"
    );
    assert_eq!(
        query(|q| q.push_space_delimited("color", &StyleValue::array::<&str>(&[]))),
        ""
    );
}

#[test]
fn pipe_delimited_joins_with_a_literal_pipe() {
    assert_eq!(
        query(|q| q.push_pipe_delimited("color", &array())),
        "color=blue|black|brown"
    );
    assert_eq!(
        query(|q| q.push_pipe_delimited("color", &object())),
        "color=R|100|G|200|B|150"
    );
    assert_eq!(
        query(|q| q.push_pipe_delimited("color", &StyleValue::array(&["a|b", "c d"]))),
        "color=a%7Cb|c+d"
    );
}

#[test]
fn deep_object_keys_each_member_in_brackets() {
    assert_eq!(
        query(|q| q.push_deep_object("color", &object())),
        "color[R]=100&color[G]=200&color[B]=150"
    );
    let hostile = StyleValue::Object(vec![("a]b[".to_owned(), "x&y=z".to_owned())]);
    assert_eq!(
        query(|q| q.push_deep_object("c[]", &hostile)),
        "c%5B%5D[a%5Db%5B]=x%26y%3Dz"
    );
    assert_eq!(
        query(|q| q.push_deep_object("color", &StyleValue::Object(Vec::new()))),
        ""
    );
}

#[test]
fn maps_give_their_members_in_key_order() {
    let map = BTreeMap::from([("b".to_owned(), 2), ("a".to_owned(), 1)]);
    assert_eq!(
        map.members(),
        vec![
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "2".to_owned())
        ]
    );
    assert_eq!(
        query(|q| q.push_form("m", &StyleValue::object(&map), true)),
        "a=1&b=2"
    );
}
