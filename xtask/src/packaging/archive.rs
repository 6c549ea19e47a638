//! Zipping a built extension folder, and measuring how small gzip makes a file.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::Compression;
use flate2::write::GzEncoder;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::tree;

/// Writes every file under `dir` into the zip `archive`, with `manifest.json` at its top.
///
/// Entries are sorted and carry a fixed date, so the same folder always gives the same bytes.
pub fn zip_folder(dir: &Path, archive: &Path) -> Result<()> {
    let file =
        File::create(archive).with_context(|| format!("cannot create {}", archive.display()))?;
    let mut writer = ZipWriter::new(file);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for relative in tree::files(dir)? {
        let name = entry_name(&relative)?;
        let bytes = fs::read(dir.join(&relative))
            .with_context(|| format!("cannot read {}", dir.join(&relative).display()))?;
        let failed = || format!("cannot write {name} into {}", archive.display());
        writer
            .start_file(name.as_str(), options)
            .with_context(failed)?;
        writer.write_all(&bytes).with_context(failed)?;
    }
    writer
        .finish()
        .with_context(|| format!("cannot finish {}", archive.display()))?;
    Ok(())
}

/// A zip entry name: the path's parts joined by `/`.
fn entry_name(relative: &Path) -> Result<String> {
    let parts = relative
        .iter()
        .map(|part| {
            part.to_str().with_context(|| {
                format!(
                    "{} is not valid UTF-8; rename it",
                    relative.to_string_lossy()
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(parts.join("/"))
}

/// How many bytes `bytes` take gzipped at the best compression (as a web server would send them).
pub fn gzipped_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).context("gzip failed")?;
    Ok(encoder.finish().context("gzip failed")?.len())
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::path::PathBuf;

    use zip::ZipArchive;

    use super::*;

    #[test]
    fn the_zip_holds_every_file_under_its_relative_name_and_is_reproducible() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let tree = dir.path().join("extension");
        fs::create_dir_all(tree.join("wasm")).expect("folders");
        fs::write(tree.join("manifest.json"), "{}").expect("a file");
        fs::write(tree.join("wasm/core.wasm"), [0u8, 97, 115, 109]).expect("a file");
        let first = dir.path().join("first.zip");
        let second = dir.path().join("second.zip");
        zip_folder(&tree, &first).expect("zip the folder");
        zip_folder(&tree, &second).expect("zip it again");
        assert_eq!(
            fs::read(&first).expect("first zip"),
            fs::read(&second).expect("second zip"),
            "same folder, same bytes"
        );
        let mut archive = ZipArchive::new(File::open(&first).expect("open")).expect("a zip");
        let names: Vec<String> = archive
            .file_names()
            .map(|name| name.expect("a UTF-8 entry name").into_owned())
            .collect();
        assert_eq!(names, ["manifest.json", "wasm/core.wasm"], "sorted entries");
        let mut wasm = Vec::new();
        archive
            .by_name("wasm/core.wasm")
            .expect("the wasm entry")
            .read_to_end(&mut wasm)
            .expect("read it back");
        assert_eq!(wasm, [0u8, 97, 115, 109]);
    }

    #[test]
    fn entry_names_use_forward_slashes() {
        let path: PathBuf = ["lib", "deep", "a.js"].iter().collect();
        assert_eq!(entry_name(&path).expect("UTF-8"), "lib/deep/a.js");
    }

    #[test]
    fn repetitive_bytes_gzip_small_and_the_header_counts() {
        let zeros = vec![0u8; 100_000];
        let small = gzipped_len(&zeros).expect("gzip");
        assert!(small < 1_000, "{small} bytes for 100 kB of zeros");
        assert!(gzipped_len(b"").expect("gzip") >= 18, "header and trailer");
    }
}
