//! Writing, removing and reading one location: a manifest file, or on Windows a registry key and
//! the manifest file it points at. Writes are atomic (a temporary file renamed into place) and
//! skipped when the bytes are already right; removals touch only manifests named Courier's.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::manifest;
use super::registry;
use super::table::Location;

/// What writing a location did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Nothing was there; now the manifest is.
    Created,
    /// Something else was there; now the manifest is.
    Updated,
    /// The manifest was already there, byte for byte.
    Unchanged,
}

/// What removing a location did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// Courier's manifest (and key) were there and are gone.
    Removed,
    /// Nothing of Courier's was there.
    Absent,
    /// Something is there that Courier did not write; it was left alone, for this reason.
    Kept(String),
}

/// What reading a location found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing usable: what is missing.
    Missing(String),
    /// A manifest file and its bytes.
    Manifest {
        /// The file read.
        path: PathBuf,
        /// Its content.
        bytes: Vec<u8>,
    },
}

/// Puts `content` at `location`, creating folders (and the registry key) as needed.
pub fn write(location: &Location, content: &[u8]) -> io::Result<Written> {
    match location {
        Location::File(path) => write_file(path, content),
        Location::Registry { key, manifest } => {
            let wanted = utf8(manifest)?;
            let pointed = registry::read_default(key)?;
            let file = write_file(manifest, content)?;
            if pointed.as_deref() != Some(wanted) {
                registry::write_default(key, wanted)?;
            }
            Ok(match pointed {
                None => Written::Created,
                Some(value) if value == wanted && file == Written::Unchanged => Written::Unchanged,
                Some(_) => Written::Updated,
            })
        }
    }
}

/// Removes Courier's manifest (and key) from `location`, leaving anything else.
pub fn remove(location: &Location) -> io::Result<Removal> {
    match location {
        Location::File(path) => remove_file(path),
        Location::Registry { key, manifest } => {
            let wanted = utf8(manifest)?;
            let key_outcome = match registry::read_default(key)? {
                None => Removal::Absent,
                Some(value) if value == wanted => {
                    registry::delete(key)?;
                    Removal::Removed
                }
                Some(other) => Removal::Kept(format!(
                    "{key} was left alone: it points at {other}, not at Courier's manifest"
                )),
            };
            let file_outcome = remove_file(manifest)?;
            Ok(match (key_outcome, file_outcome) {
                (Removal::Kept(why), _) | (_, Removal::Kept(why)) => Removal::Kept(why),
                (Removal::Removed, _) | (_, Removal::Removed) => Removal::Removed,
                (Removal::Absent, Removal::Absent) => Removal::Absent,
            })
        }
    }
}

/// Reads the manifest the browser would read at `location`.
pub fn read(location: &Location) -> io::Result<Found> {
    let path = match location {
        Location::File(path) => path.clone(),
        Location::Registry { key, .. } => match registry::read_default(key)? {
            Some(value) if !value.is_empty() => PathBuf::from(value),
            _ => return Ok(Found::Missing(format!("no registry key {key}"))),
        },
    };
    match fs::read(&path) {
        Ok(bytes) => Ok(Found::Manifest { path, bytes }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            Ok(Found::Missing(format!("no manifest at {}", path.display())))
        }
        Err(error) => Err(error),
    }
}

/// Writes `content` to `path` unless it already holds exactly that.
fn write_file(path: &Path, content: &[u8]) -> io::Result<Written> {
    let outcome = match fs::read(path) {
        Ok(existing) if existing == content => return Ok(Written::Unchanged),
        Ok(_) => Written::Updated,
        Err(error) if error.kind() == io::ErrorKind::NotFound => Written::Created,
        Err(error) => return Err(error),
    };
    let dir = path.parent().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no parent folder", path.display()),
        )
    })?;
    fs::create_dir_all(dir)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".dev.courier.host.")
        .tempfile_in(dir)?;
    temporary.write_all(content)?;
    // Browsers, and with --system every user, read the manifest: make it readable whatever the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temporary
            .as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(outcome)
}

/// Removes `path` when it is a manifest named Courier's.
fn remove_file(path: &Path) -> io::Result<Removal> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Removal::Absent),
        Err(error) => return Err(error),
    };
    match manifest::is_ours(&bytes) {
        Ok(()) => {
            fs::remove_file(path)?;
            Ok(Removal::Removed)
        }
        Err(why) => Ok(Removal::Kept(format!(
            "{} was left alone: {why}, so Courier did not write it",
            path.display()
        ))),
    }
}

/// The manifest path as the registry stores it.
fn utf8(path: &Path) -> io::Result<&str> {
    path.to_str().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not valid Unicode", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        tempfile::tempdir().expect("a temporary folder")
    }

    #[test]
    fn a_file_is_created_then_left_unchanged_then_updated() {
        let dir = folder();
        let location = Location::File(dir.path().join("a/b/dev.courier.host.json"));
        assert_eq!(write(&location, b"{}\n").expect("write"), Written::Created);
        assert_eq!(
            write(&location, b"{}\n").expect("write"),
            Written::Unchanged
        );
        assert_eq!(write(&location, b"[]\n").expect("write"), Written::Updated);
        assert_eq!(
            fs::read(location.manifest()).expect("read back"),
            b"[]\n".to_vec()
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("a/b"))
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(
            leftovers,
            ["dev.courier.host.json"],
            "no temporary file stays"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_written_manifest_is_readable_by_everyone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder();
        let location = Location::File(dir.path().join("dev.courier.host.json"));
        write(&location, b"{}\n").expect("write");
        let mode = fs::metadata(location.manifest())
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn only_a_manifest_named_courier_s_is_removed() {
        let dir = folder();
        let path = dir.path().join("dev.courier.host.json");
        let location = Location::File(path.clone());
        assert_eq!(remove(&location).expect("remove"), Removal::Absent);

        fs::write(&path, br#"{"name":"dev.courier.host"}"#).expect("write ours");
        assert_eq!(remove(&location).expect("remove"), Removal::Removed);
        assert!(!path.exists());

        fs::write(&path, b"not json").expect("write garbage");
        let kept = remove(&location).expect("remove");
        assert!(
            matches!(&kept, Removal::Kept(why) if why.contains("not valid JSON")),
            "{kept:?}"
        );
        assert!(path.exists(), "a file Courier did not write stays");
    }

    #[test]
    fn reading_reports_a_missing_file() {
        let dir = folder();
        let path = dir.path().join("dev.courier.host.json");
        let location = Location::File(path.clone());
        assert!(
            matches!(read(&location).expect("read"), Found::Missing(what) if what.contains("no manifest at"))
        );
        fs::write(&path, b"{}").expect("write");
        assert_eq!(
            read(&location).expect("read"),
            Found::Manifest {
                path,
                bytes: b"{}".to_vec()
            }
        );
    }
}
