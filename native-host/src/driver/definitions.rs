//! The definitions that name items and size buckets: read from the manifest's tables through
//! core's streaming parser, and cached on disk as `Definitions::to_bytes()`, one file per
//! manifest version, so a run downloads the tables only when bungie.net changes them.

use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use courier_core::api::{ApiRequest, DestinyManifest};
use courier_core::defs::{BUCKET_TABLE, ITEM_TABLE};
use courier_core::model::Definitions;

use super::client::Bungie;

/// The folder under the cache directory that holds Courier's files.
const APP_FOLDER: &str = "courier";
/// The manifest language Courier reads.
const LANGUAGE: &str = "en";
/// Cache files are named `definitions-<version>.bin`.
const PREFIX: &str = "definitions-";
/// ... and end with this.
const SUFFIX: &str = ".bin";

/// Courier's cache folder: `$XDG_CACHE_HOME/courier` when that is set (to an absolute path),
/// else the platform's (`~/.cache/courier`, `~/Library/Caches/courier`, `%LOCALAPPDATA%\courier`).
pub fn cache_dir() -> anyhow::Result<PathBuf> {
    cache_dir_from(std::env::var_os("XDG_CACHE_HOME"))
}

/// [`cache_dir`] with `XDG_CACHE_HOME` given.
fn cache_dir_from(xdg_cache_home: Option<OsString>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = xdg_cache_home
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
    {
        return Ok(dir.join(APP_FOLDER));
    }
    directories::BaseDirs::new()
        .map(|dirs| dirs.cache_dir().join(APP_FOLDER))
        .context(
            "no cache directory: set XDG_CACHE_HOME (or HOME) to a folder Courier may write to",
        )
}

/// The definitions of the manifest bungie.net serves now: from the cache when this version is
/// there, else downloaded and cached.
pub async fn load(client: &Bungie, cache_dir: &Path) -> anyhow::Result<Definitions> {
    let manifest: DestinyManifest = client.read(&ApiRequest::get_destiny_manifest()).await?;
    let path = cache_file(cache_dir, &manifest.version);
    if let Some(cached) = read_cache(&path) {
        return Ok(cached);
    }
    let table = |name: &str| {
        manifest.table_path(LANGUAGE, name).with_context(|| {
            format!("the manifest lists no {name} table in {LANGUAGE:?}; try again later")
        })
    };
    let items = client.content(table(ITEM_TABLE)?).await?;
    let buckets = client.content(table(BUCKET_TABLE)?).await?;
    let definitions = Definitions::from_tables(&items, &buckets)?;
    if let Err(error) = write_cache(cache_dir, &path, &definitions) {
        eprintln!(
            "note: the definitions could not be cached ({error:#}); they will be downloaded again next time"
        );
    }
    Ok(definitions)
}

/// The most recently cached definitions, without asking bungie.net (for offline commands).
pub fn latest_cached(cache_dir: &Path) -> Option<Definitions> {
    let newest = fs::read_dir(cache_dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(PREFIX) && name.ends_with(SUFFIX)
        })
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .max_by_key(|(modified, _)| *modified)?;
    read_cache(&newest.1)
}

/// The cache file of one manifest version (its characters outside `[A-Za-z0-9._-]` replaced,
/// so a version can never name a path elsewhere).
fn cache_file(cache_dir: &Path, version: &str) -> PathBuf {
    let safe: String = version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    cache_dir.join(format!("{PREFIX}{safe}{SUFFIX}"))
}

/// Cached definitions, or `None` (with a note) when the file is missing or unreadable.
fn read_cache(path: &Path) -> Option<Definitions> {
    let bytes = fs::read(path).ok()?;
    match Definitions::from_bytes(&bytes) {
        Ok(definitions) => Some(definitions),
        Err(error) => {
            eprintln!("note: ignoring {}: {error}", path.display());
            None
        }
    }
}

/// Writes the cache file whole or not at all (a temporary file renamed into place).
fn write_cache(cache_dir: &Path, path: &Path, definitions: &Definitions) -> anyhow::Result<()> {
    fs::create_dir_all(cache_dir)
        .with_context(|| format!("could not create {}", cache_dir.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(cache_dir)?;
    file.write_all(&definitions.to_bytes())?;
    file.persist(path)
        .with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_dir_honours_an_absolute_xdg_cache_home() {
        assert_eq!(
            cache_dir_from(Some("/tmp/xdg-cache".into())).expect("a dir"),
            PathBuf::from("/tmp/xdg-cache/courier")
        );
    }

    #[test]
    fn versions_cannot_leave_the_cache_directory() {
        let dir = Path::new("/cache");
        assert_eq!(
            cache_file(dir, "226291.26.11.01.1730-1-sim-0a1b"),
            dir.join("definitions-226291.26.11.01.1730-1-sim-0a1b.bin")
        );
        assert_eq!(
            cache_file(dir, "../../etc/passwd"),
            dir.join("definitions-.._.._etc_passwd.bin")
        );
    }

    #[test]
    fn the_newest_readable_cache_wins_and_damaged_ones_are_ignored() {
        let dir = tempfile::tempdir().expect("a temp dir");
        assert_eq!(latest_cached(dir.path()), None, "an empty cache");
        let mut definitions = Definitions::default();
        definitions.buckets.insert(
            1,
            courier_core::model::BucketDef {
                name: "General".into(),
                capacity: 600,
                scope: courier_core::model::BucketScope::Account,
                category: 3,
            },
        );
        write_cache(dir.path(), &cache_file(dir.path(), "v1"), &definitions).expect("written");
        assert_eq!(latest_cached(dir.path()), Some(definitions));
        fs::write(cache_file(dir.path(), "v2"), b"not postcard").expect("written");
        let newest = fs::File::options()
            .append(true)
            .open(cache_file(dir.path(), "v2"))
            .expect("open");
        newest
            .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
            .expect("mtime");
        assert_eq!(
            latest_cached(dir.path()),
            None,
            "the newest file is damaged, so there is nothing to trust"
        );
    }
}
