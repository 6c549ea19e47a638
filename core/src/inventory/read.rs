//! Reading a GetProfile answer in one pass: the scan walks the envelope, the `Response` and
//! `itemComponents`; serde_json parses each component Courier uses where it starts; every
//! other component is passed over without being parsed.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::ProfileError;
use super::wire::{ProfileResponse, Stat};
use crate::model::{ItemId, int64_string};
use crate::scan::{self, ScanError};

/// What the envelope holds: its `ErrorCode` and `Response`, each when present and readable.
#[derive(Default)]
pub(super) struct Envelope<'a> {
    /// `ErrorCode`.
    pub code: Option<i32>,
    /// `Response`, unless absent or `null`.
    pub response: Option<ProfileResponse<'a>>,
}

/// Reads the envelope that `text` holds. `envelope` keeps what was read before an error, so
/// the caller can tell a broken error envelope from a broken profile.
pub(super) fn envelope<'a>(
    text: &'a [u8],
    envelope: &mut Envelope<'a>,
) -> Result<(), ProfileError> {
    let end = scan::walk_object(text, 0, |key, at| match key.as_ref() {
        "ErrorCode" => read_into(&mut envelope.code, text, at),
        "Response" => {
            let mut response = ProfileResponse::default();
            let (present, end) = optional_object(text, at, "the Response", |key, at| {
                component(&mut response, text, key, at)
            })?;
            envelope.response = present.then_some(response);
            Ok(end)
        }
        _ => Ok(scan::skip_value(text, at)?),
    })?;
    Ok(scan::expect_end(text, end)?)
}

/// Reads (or passes over) the component `key` of a `Response`; returns where it ends.
fn component<'a>(
    response: &mut ProfileResponse<'a>,
    text: &'a [u8],
    key: Cow<'a, str>,
    at: usize,
) -> Result<usize, ProfileError> {
    match key.as_ref() {
        "responseMintedTimestamp" => read_into(&mut response.response_minted_timestamp, text, at),
        "profile" => read_into(&mut response.profile, text, at),
        "profileInventory" => read_into(&mut response.profile_inventory, text, at),
        "profileCurrencies" => read_into(&mut response.profile_currencies, text, at),
        "characters" => read_into(&mut response.characters, text, at),
        "characterInventories" => read_into(&mut response.character_inventories, text, at),
        "characterEquipment" => read_into(&mut response.character_equipment, text, at),
        "itemComponents" => {
            let (_, end) =
                optional_object(text, at, "itemComponents", |key, at| match key.as_ref() {
                    "instances" => powers(&mut response.powers, text, at),
                    _ => Ok(scan::skip_value(text, at)?),
                })?;
            Ok(end)
        }
        _ => Ok(scan::skip_value(text, at)?),
    }
}

/// Component 300 at `at`, into each instance's power. Only `primaryStat` is parsed; the rest
/// of each instance (a dozen fields) is passed over.
fn powers(
    powers: &mut HashMap<ItemId, i32>,
    text: &[u8],
    at: usize,
) -> Result<usize, ProfileError> {
    let (_, end) = optional_object(text, at, "the instances component", |key, at| {
        match key.as_ref() {
            "data" => {
                let (_, end) = optional_object(text, at, "the instances", |id, at| {
                    let id = int64_string::parse(&id).ok_or_else(|| {
                        ProfileError::Shape(format!("the instance key {id:?} is not an int64 id"))
                    })?;
                    let (power, end) = primary_stat(text, at)?;
                    if let Some(power) = power {
                        powers.insert(ItemId(id), power);
                    }
                    Ok(end)
                })?;
                Ok(end)
            }
            _ => Ok(scan::skip_value(text, at)?),
        }
    })?;
    Ok(end)
}

/// The value of the primary stat of the instance at `at`, if it has one, and where the
/// instance ends.
fn primary_stat(text: &[u8], at: usize) -> Result<(Option<i32>, usize), ProfileError> {
    let mut power = None;
    let (_, end) = optional_object(text, at, "an instance", |key, at| match key.as_ref() {
        "primaryStat" => {
            let (stat, end) = value_at::<Option<Stat>>(text, at)?;
            power = stat.map(|stat| stat.value);
            Ok(end)
        }
        _ => Ok(scan::skip_value(text, at)?),
    })?;
    Ok((power, end))
}

/// Walks the object at `at` with `visit`; `null` is no object. Returns whether there was one,
/// and where the value ended; any other value is the wrong shape for `what`.
fn optional_object<'a>(
    text: &'a [u8],
    at: usize,
    what: &str,
    visit: impl FnMut(Cow<'a, str>, usize) -> Result<usize, ProfileError>,
) -> Result<(bool, usize), ProfileError> {
    if scan::is_object_at(text, at) {
        return Ok((true, scan::walk_object(text, at, visit)?));
    }
    match value_at::<Option<IgnoredAny>>(text, at)? {
        (None, end) => Ok((false, end)),
        (Some(_), _) => Err(ProfileError::Shape(format!("{what} is not an object"))),
    }
}

/// Parses the value at `at` into `slot`; returns where it ended.
fn read_into<'a, T: Deserialize<'a>>(
    slot: &mut T,
    text: &'a [u8],
    at: usize,
) -> Result<usize, ProfileError> {
    let (value, end) = value_at(text, at)?;
    *slot = value;
    Ok(end)
}

/// The value that starts at `at`, parsed by serde_json, and the offset just after it.
fn value_at<'a, T: Deserialize<'a>>(text: &'a [u8], at: usize) -> Result<(T, usize), ProfileError> {
    let rest = text.get(at..).unwrap_or_default();
    let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<T>();
    match values.next() {
        Some(Ok(value)) => Ok((value, at + values.byte_offset())),
        Some(Err(error)) => Err(ProfileError::from_serde(&error)),
        None => Err(ScanError::Truncated.into()),
    }
}
