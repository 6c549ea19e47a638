//! courier-tests: tests that span Courier's components, each run against courier-sim.
//! (The cross-component tests arrive with the issues that connect the components.)
