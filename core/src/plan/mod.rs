//! The move planner: intents in, a plan (ordered API actions with their expected effects, and
//! the items moved aside to make room) or typed refusals out. Planning performs nothing: it plays
//! each action on a copy of the inventory by the game's rules.
//!
//! ```
//! use courier_core::model::{Definitions, Inventory};
//! use courier_core::plan::{plan, Intent, PlanOptions};
//! let plan = plan(&Inventory::default(), &Definitions::default(), &[], &PlanOptions::default());
//! assert!(plan.steps.is_empty() && plan.is_complete());
//! ```

pub mod action;
pub mod board;
pub mod intent;
pub mod planner;
pub mod simulate;

pub use action::{Action, IntentPlan, MovedAside, Plan, Purpose, Refusal, Skipped, Step};
pub use intent::{Destination, Intent, ItemRef, MakeRoom};
pub use planner::{PlanOptions, plan};
pub use simulate::simulate;
