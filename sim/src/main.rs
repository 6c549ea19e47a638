//! `courier-sim serve`: runs the simulator until interrupted.

fn main() {}
