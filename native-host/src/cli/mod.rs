//! The command-line tool: sign in, read, move, equip, lock, postmaster, Xur, inspect.

pub mod inspect;
pub mod items;
pub mod login;
pub mod output;
pub mod profile;
pub mod xur;
