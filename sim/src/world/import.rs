//! Loading a saved GetProfile envelope as the simulated account, with definitions synthesized
//! for every hash it holds.

use std::path::{Path, PathBuf};

use super::World;

/// Why a saved profile could not become a world.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// The file could not be read.
    #[error("cannot read the world file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not a GetProfile envelope the simulator understands.
    #[error("the world file {path} is not a GetProfile answer: {reason}")]
    Shape {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// Loads a saved GetProfile envelope as a world.
pub fn world_from_profile_file(path: &Path) -> Result<World, WorldError> {
    let _ = path;
    todo!("import")
}
