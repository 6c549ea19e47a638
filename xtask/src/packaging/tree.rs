//! Listing and copying the files of a folder tree.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Every file under `dir` (folders are descended, not listed), relative to `dir`, sorted.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    collect(dir, Path::new(""), &mut found)?;
    found.sort();
    Ok(found)
}

/// Adds the files under `root/relative` to `found`.
fn collect(root: &Path, relative: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let dir = root.join(relative);
    let entries = fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = relative.join(entry.file_name());
        // `metadata` follows symbolic links, so a linked file is copied as the file it names.
        let metadata = fs::metadata(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        if metadata.is_dir() {
            collect(root, &path, found)?;
        } else if metadata.is_file() {
            found.push(path);
        } else {
            bail!(
                "{} is neither a file nor a folder; remove it",
                entry.path().display()
            );
        }
    }
    Ok(())
}

/// Copies each of `files` (relative to `from`) to the same place under `to`.
pub fn copy(from: &Path, to: &Path, files: &[PathBuf]) -> Result<()> {
    for file in files {
        let source = from.join(file);
        let target = to.join(file);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::copy(&source, &target)
            .with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
    }
    Ok(())
}

/// Removes `path` (a file or a folder tree) if it exists.
pub fn remove(path: &Path) -> Result<()> {
    let outcome = match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => Err(err),
    };
    outcome.with_context(|| format!("cannot remove {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_listed_relative_and_sorted_and_copied_alike() {
        let from = tempfile::tempdir().expect("a temporary folder");
        fs::create_dir_all(from.path().join("lib/deep")).expect("folders");
        for (name, text) in [("b.js", "b"), ("a.html", "a"), ("lib/deep/c.js", "c")] {
            fs::write(from.path().join(name), text).expect("a file");
        }
        let listed = files(from.path()).expect("list the tree");
        assert_eq!(
            listed,
            [
                PathBuf::from("a.html"),
                PathBuf::from("b.js"),
                Path::new("lib").join("deep").join("c.js")
            ]
        );
        let to = tempfile::tempdir().expect("a temporary folder");
        copy(from.path(), &to.path().join("out"), &listed).expect("copy the tree");
        assert_eq!(
            fs::read_to_string(to.path().join("out/lib/deep/c.js")).expect("copied"),
            "c"
        );
        assert_eq!(
            files(&to.path().join("out")).expect("list the copy"),
            listed
        );
    }

    #[test]
    fn removing_is_quiet_when_nothing_is_there() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("sub")).expect("folders");
        fs::write(tree.join("sub/file"), "x").expect("a file");
        remove(&tree).expect("remove a tree");
        assert!(!tree.exists());
        remove(&tree).expect("nothing to remove is fine");
        fs::write(dir.path().join("file.zip"), "x").expect("a file");
        remove(&dir.path().join("file.zip")).expect("remove a file");
        assert!(!dir.path().join("file.zip").exists());
    }
}
