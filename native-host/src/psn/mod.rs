//! The PlayStation Network sign-in flow of 2016, and the npsso variant.
