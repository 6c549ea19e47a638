//! courier-core: the pure-Rust brain of Courier, with no I/O.
//!
//! It will hold the Bungie Platform API types and response envelope, the inventory model built
//! from GetProfile, the move planner, the action executor as a sans-I/O state machine, the search
//! language and the Xur digest. It builds natively and for `wasm32-unknown-unknown`; time,
//! randomness and HTTP answers come in as inputs. (Filled by the courier-core issue.)
