//! The search language, in the spirit of DIM's.
//!
//! | write | matches |
//! |---|---|
//! | `sunshot`, `"the last word"`, `name:"..."` | a case-insensitive substring of the item's name |
//! | `is:weapon`, `is:armor` | its kind (or, without a definition, the bucket it is in) |
//! | `is:exotic` `is:legendary` `is:rare` `is:common` | its tier |
//! | `is:locked` `is:unlocked` `is:equipped` | its state (unlocked = lockable and not locked) |
//! | `is:invault` `is:inpostmaster` | where it is |
//! | `on:titan` `on:hunter` `on:warlock` | on a character of that class, equipped or carried (not in its postmaster) |
//! | `is:kinetic` `is:energy` `is:power` `is:helmet` `is:gauntlets` `is:chest` `is:leg` `is:classitem` | its bucket |
//! | `is:titan` `is:hunter` `is:warlock` | the one class that may use it (not items for any class) |
//! | `tier:exotic` ... `tier:basic`, `tier:2` ... `tier:6` | its tier |
//! | `power:1810`, `power:>=1800` (`=` `<` `<=` `>` `>=`) | its power |
//! | `hash:2907129556`, `id:6917529...` | its definition hash, its instance id |
//!
//! Terms side by side (or with `and`) must all match; `or` offers alternatives; `not` or `-`
//! negates; parentheses group. `not` binds tighter than `and`, `and` tighter than `or`. Operators
//! and keys are case-insensitive; quote a word to search for `and`, `or` or `not` themselves.
//!
//! Facts from the item's definition (name, tier, class, kind, bucket) come from the definition
//! when it is loaded. Without it, the name is the one Courier shows, `Item <hash>` (so free text
//! still finds an item by its hash), the bucket is the one the item sits in (so an equipped
//! weapon is still `is:kinetic`, but a vault item is in no weapon bucket), and tier and class
//! filters match nothing. Items without power never match `power:`; uninstanced stacks never
//! match `id:`.
//!
//! ```
//! use courier_core::model::{Definitions, Inventory};
//! use courier_core::search::{Context, Query, filter};
//!
//! let query = Query::parse("is:weapon is:exotic -is:locked power:>1800").expect("a valid query");
//! assert_eq!(query.to_string(), "is:weapon is:exotic -is:locked power:>1800");
//! let (inventory, definitions) = (Inventory::default(), Definitions::default());
//! let ctx = Context { inventory: &inventory, definitions: &definitions };
//! assert!(filter(query, &ctx).is_empty());
//!
//! let error = Query::parse("is:weapn").expect_err("a typo");
//! assert_eq!(error.position, 3);
//! assert_eq!(error.message, "unknown filter is:weapn at 3; did you mean is:weapon?");
//! ```

mod ast;
mod eval;
mod lexer;
mod parser;
#[cfg(test)]
mod proptests;

use serde::{Deserialize, Serialize};

use crate::model::{Definitions, Inventory, Item};

pub use ast::Query;

/// What a search looks at: the inventory its items come from and the definitions that name them.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The inventory.
    pub inventory: &'a Inventory,
    /// The definitions (may be empty).
    pub definitions: &'a Definitions,
}

/// The items of the context's inventory that `query` matches, in inventory order.
pub fn filter<'a>(query: Query, ctx: &Context<'a>) -> Vec<&'a Item> {
    let matches = query.matcher(ctx);
    ctx.inventory
        .items
        .iter()
        .filter(|item| matches(item))
        .collect()
}

/// A query that cannot be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct SearchError {
    /// The character index (not byte) in the query where the problem is; the query's length
    /// when it is at the end.
    pub position: usize,
    /// A sentence saying what is wrong there and, when it can, what to write instead.
    pub message: String,
}

impl SearchError {
    /// An error at byte offset `byte` of `text`: "`what` at N" and, if given, "; `hint`".
    fn at(text: &str, byte: usize, what: &str, hint: Option<String>) -> SearchError {
        let position = char_position(text, byte);
        let mut message = format!("{what} at {position}");
        if let Some(hint) = hint {
            message.push_str("; ");
            message.push_str(&hint);
        }
        SearchError { position, message }
    }
}

/// The character index of byte offset `byte` in `text`.
fn char_position(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .map_or_else(|| text.chars().count(), |head| head.chars().count())
}
