//! Which browsers are on this machine, the default of `install` and `doctor`.
//!
//! A browser is found when it has run for this user (its profile holds the file it writes on
//! first start: `Local State` for the Chromium family, `profiles.ini` for Firefox) or when one of
//! its programs is on `PATH`. The profile folder alone does not count: installing the manifest on
//! Linux creates it.

use std::ffi::OsStr;

use super::table::{self, Browser, Home, Os};

/// The browsers found, in [`Browser::ALL`] order.
pub fn found_browsers(os: Os, home: &Home, path: Option<&OsStr>) -> Vec<Browser> {
    Browser::ALL
        .into_iter()
        .filter(|&browser| {
            table::first_run_marker(os, browser, home).is_file()
                || table::programs(browser)
                    .iter()
                    .any(|program| on_path(program, path))
        })
        .collect()
}

/// Whether `program` is a file in one of the `PATH` folders.
fn on_path(program: &str, path: Option<&OsStr>) -> bool {
    let file = format!("{program}{}", std::env::consts::EXE_SUFFIX);
    path.is_some_and(|path| std::env::split_paths(path).any(|dir| dir.join(&file).is_file()))
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_browser_is_found_by_its_first_run_file_or_its_program() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let home = Home::new(root.path().join("home"));
        let bin = root.path().join("bin");
        fs::create_dir_all(&bin).expect("bin folder");
        let path = std::env::join_paths([&bin]).expect("a PATH");
        assert_eq!(found_browsers(Os::Linux, &home, Some(&path)), []);

        let profile = root.path().join("home/.config/chromium");
        fs::create_dir_all(profile.join("NativeMessagingHosts")).expect("profile folder");
        assert_eq!(
            found_browsers(Os::Linux, &home, Some(&path)),
            [],
            "a profile folder without Local State is not a browser"
        );
        fs::write(profile.join("Local State"), "{}").expect("Local State");
        fs::write(
            bin.join(format!("firefox{}", std::env::consts::EXE_SUFFIX)),
            "",
        )
        .expect("a firefox program");
        assert_eq!(
            found_browsers(Os::Linux, &home, Some(&path)),
            [Browser::Chromium, Browser::Firefox]
        );
        assert_eq!(found_browsers(Os::Linux, &home, None), [Browser::Chromium]);
    }
}
