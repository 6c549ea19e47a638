//! courier-host: the native-messaging helper of Courier.
//!
//! The browser starts it through native messaging to sign in through PlayStation Network when it
//! has no bungie.net session; a person can also run it as a CLI. (Filled by the courier-host
//! issue; until then this crate is an empty library.)
