//! Sans-IO response parsing: turns an [`http::Response`] into the operation's
//! model or an [`Error`], whatever HTTP stack produced it.

use http::header::LOCATION;
use http::{Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::runtime::error::{body_snippet, Error};
use crate::runtime::error_body;

/// Decodes a 2xx response's body as `T`; an empty or undecodable body is
/// [`Error::Decode`] (carrying the status and the start of the body). Any
/// other status goes through [`error_from_status`].
pub fn json<T: DeserializeOwned, B: AsRef<[u8]>>(response: &Response<B>) -> Result<T, Error> {
    if !response.status().is_success() {
        return Err(error_from_status(response));
    }
    let body = response.body().as_ref();
    serde_json::from_slice(body).map_err(|source| Error::Decode {
        status: response.status(),
        source,
        body: body_snippet(body),
    })
}

/// Accepts any 2xx response (e.g. a `DELETE`'s `204 No Content`), ignoring
/// its body; any other status goes through [`error_from_status`].
pub fn empty<B: AsRef<[u8]>>(response: &Response<B>) -> Result<(), Error> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(error_from_status(response))
    }
}

/// Returns a 2xx response's body as it is, for operations whose answer is
/// not JSON; any other status goes through [`error_from_status`].
pub fn bytes<B: AsRef<[u8]>>(response: &Response<B>) -> Result<Vec<u8>, Error> {
    if response.status().is_success() {
        Ok(response.body().as_ref().to_vec())
    } else {
        Err(error_from_status(response))
    }
}

/// Where a redirect-only operation sends the caller: the answer's status and
/// its `Location` header. The redirect is not followed; what to do with the
/// target (open it in a browser, download it) is the caller's choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The 3xx status (e.g. `302 Found`, `307 Temporary Redirect`).
    pub status: StatusCode,
    /// The `Location` header as sent: usually an absolute URL, possibly a
    /// reference relative to the request's URL (RFC 9110 allows both).
    pub location: String,
}

/// Reads the answer of an operation whose only success answers are
/// redirects: a 3xx with a `Location` becomes [`Redirect`]; a 3xx without
/// one is [`Error::MissingLocation`]; a 2xx (which the spec does not
/// promise, e.g. from an HTTP stack that followed the redirect itself) is
/// [`Error::UnexpectedStatus`]; error statuses go through
/// [`error_from_status`].
pub fn redirect<B: AsRef<[u8]>>(response: &Response<B>) -> Result<Redirect, Error> {
    let status = response.status();
    if status.is_redirection() {
        return match response.headers().get(LOCATION).map(|value| value.to_str()) {
            Some(Ok(location)) if !location.trim().is_empty() => Ok(Redirect {
                status,
                location: location.trim().to_owned(),
            }),
            _ => Err(Error::MissingLocation { status }),
        };
    }
    if status.is_success() {
        return Err(Error::UnexpectedStatus {
            status,
            body: body_snippet(response.body().as_ref()),
        });
    }
    Err(error_from_status(response))
}

/// Interprets an error response. A JSON error body becomes [`Error::Api`]
/// with the HTTP status: Twilio's (an object with a string `message` and a
/// numeric `code` or `status`), or an RFC 9457 problem (any object sent as
/// `application/problem+json`, or an object with a string `title` or
/// `detail`); see [`ApiError`](crate::runtime::error::ApiError). Anything else (HTML, empty, other JSON)
/// becomes [`Error::UnexpectedStatus`] with the start of the body.
pub fn error_from_status<B: AsRef<[u8]>>(response: &Response<B>) -> Error {
    let status = response.status();
    let body = response.body().as_ref();
    match error_body::read(response.headers(), body) {
        Some(mut api) => {
            api.status = status;
            Error::Api(Box::new(api))
        }
        None => Error::UnexpectedStatus {
            status,
            body: body_snippet(body),
        },
    }
}
