//! The saved bungie.net session: `courier/session.json` under the config folder, readable by its
//! owner only (mode 0600), holding the three bungie.net cookies and the member id. A password or
//! an npsso is never saved: a sign-in answers cookies only.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{self, ConfigError};
use crate::psn::{BUNGIE_COOKIES, BrowserCookie, SignedIn};

/// The session file's name in Courier's config folder.
const SESSION_FILE: &str = "session.json";
/// The largest session file read.
const MAX_SESSION_BYTES: u64 = 64 * 1024;

/// Why the saved session could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No config folder to keep it in.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The file system refused.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        /// What was being done (`write the session to`).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a session Courier saved.
    #[error(
        "{} is not a saved Courier session ({reason}); sign in again with courier-host login --psn ... --save",
        .path.display()
    )]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// A saved session: the bungie.net cookies (`bungled`, `bungleatk`, `bungledid`) and who they
/// sign in as. Every cookie is there, with a value a `Cookie` header can carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSession {
    bungie_membership_id: String,
    cookies: Vec<BrowserCookie>,
}

impl SavedSession {
    /// The session of a sign-in, checked.
    fn new(signed_in: &SignedIn) -> Result<Self, String> {
        let session = Self {
            bungie_membership_id: signed_in.bungie_membership_id.clone(),
            cookies: signed_in.cookies.clone(),
        };
        session.check()?;
        Ok(session)
    }

    /// Every bungie.net cookie is there, once, with a value that fits a `Cookie` header.
    fn check(&self) -> Result<(), String> {
        for name in BUNGIE_COOKIES {
            match self.cookies.iter().filter(|c| c.name == name).count() {
                1 => {}
                0 => return Err(format!("it has no {name} cookie")),
                _ => return Err(format!("it has more than one {name} cookie")),
            }
        }
        if let Some(bad) = self.cookies.iter().find(|c| !fits_cookie_header(&c.value)) {
            return Err(format!(
                "the {} cookie's value has characters a Cookie header cannot carry",
                bad.name
            ));
        }
        Ok(())
    }

    /// The `Cookie` header for Platform calls: `bungled=...; bungleatk=...; bungledid=...`.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|cookie| format!("{}={}", cookie.name, cookie.value))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The `bungled` cookie's value, which Platform calls send as `X-CSRF`.
    pub fn bungled(&self) -> &str {
        self.cookies
            .iter()
            .find(|cookie| cookie.name == "bungled")
            .map_or("", |cookie| cookie.value.as_str())
    }
}

/// Whether a cookie value can go into a `Cookie` header as it is.
fn fits_cookie_header(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b';' | b',' | b'"' | b'\\'))
}

/// Where the session is kept: `session.json` in [`config::config_dir`].
pub fn path() -> Result<PathBuf, SessionError> {
    Ok(config::config_dir()?.join(SESSION_FILE))
}

/// Saves a sign-in's session (replacing any earlier one) and answers the file's path. The file
/// is written with mode 0600 beside its final name and then renamed over it, so a reader never
/// sees half a file and nobody else can read it at any moment.
pub fn save(signed_in: &SignedIn) -> Result<PathBuf, SessionError> {
    let path = path()?;
    save_at(&path, signed_in)?;
    Ok(path)
}

/// The saved session, or `None` when there is none.
pub fn load() -> Result<Option<SavedSession>, SessionError> {
    load_from(&path()?)
}

/// [`save`] as `path`.
fn save_at(path: &Path, signed_in: &SignedIn) -> Result<(), SessionError> {
    let session = SavedSession::new(signed_in).map_err(|reason| SessionError::Malformed {
        path: path.to_path_buf(),
        reason,
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let io = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| SessionError::Io {
            action,
            path,
            source,
        }
    };
    create_private_dir(dir).map_err(io("create the folder", dir))?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io("write a file in", dir))?;
    restrict_to_owner(file.as_file()).map_err(io("restrict", file.path()))?;
    let json = serde_json::to_vec_pretty(&session).map_err(|error| SessionError::Malformed {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    file.write_all(&json)
        .and_then(|()| file.as_file().sync_all())
        .map_err(io("write the session to", file.path()))?;
    file.persist(path)
        .map_err(|error| io("save the session as", path)(error.error))?;
    Ok(())
}

/// [`load`] from `path`.
fn load_from(path: &Path) -> Result<Option<SavedSession>, SessionError> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SessionError::Io {
                action: "read the session from",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut text = Vec::new();
    file.take(MAX_SESSION_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|source| SessionError::Io {
            action: "read the session from",
            path: path.to_path_buf(),
            source,
        })?;
    let malformed = |reason: String| SessionError::Malformed {
        path: path.to_path_buf(),
        reason,
    };
    if text.len() as u64 > MAX_SESSION_BYTES {
        return Err(malformed(format!(
            "it is over {} KiB",
            MAX_SESSION_BYTES / 1024
        )));
    }
    let session: SavedSession =
        serde_json::from_slice(&text).map_err(|error| malformed(error.to_string()))?;
    session.check().map_err(malformed)?;
    Ok(Some(session))
}

/// Creates `dir` (and its parents); a folder Courier creates is its owner's only (0700).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes a file its owner's only (0600). (Windows: files under the profile are the user's.)
fn restrict_to_owner(file: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(name: &str, value: &str) -> BrowserCookie {
        BrowserCookie {
            name: name.to_string(),
            value: value.to_string(),
            domain: "www.bungie.net".to_string(),
            path: "/".to_string(),
            secure: true,
            http_only: name == "bungleatk",
            expiration_date: Some(1_900_000_000.0),
        }
    }

    fn signed_in() -> SignedIn {
        SignedIn {
            cookies: vec![
                cookie("bungled", "b1"),
                cookie("bungleatk", "a2"),
                cookie("bungledid", "d3"),
            ],
            bungie_membership_id: "4611".to_string(),
        }
    }

    #[test]
    fn saves_privately_and_loads_back() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let folder = dir.path().join("nested/courier");
        let path = folder.join(SESSION_FILE);
        save_at(&path, &signed_in()).expect("saved");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "the session file is the owner's only");
            let mode = std::fs::metadata(&folder)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "the folder is the owner's only");
        }
        let entries: Vec<_> = std::fs::read_dir(&folder).expect("list").collect();
        assert_eq!(entries.len(), 1, "no temporary file is left behind");
        let session = load_from(&path).expect("readable").expect("there");
        assert_eq!(
            session.cookie_header(),
            "bungled=b1; bungleatk=a2; bungledid=d3"
        );
        assert_eq!(session.bungled(), "b1");
        assert_eq!(session.bungie_membership_id, "4611");
        assert_eq!(session.cookies, signed_in().cookies);

        // Saving again replaces the session.
        let mut again = signed_in();
        again.cookies[0].value = "b9".into();
        save_at(&path, &again).expect("saved again");
        let session = load_from(&path).expect("readable").expect("there");
        assert_eq!(session.bungled(), "b9");

        std::fs::remove_file(&path).expect("removed");
        assert_eq!(load_from(&path).expect("no file is no session"), None);
    }

    #[test]
    fn a_session_without_its_cookies_is_refused() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut partial = signed_in();
        partial.cookies.remove(1);
        let path = dir.path().join(SESSION_FILE);
        let error = save_at(&path, &partial).expect_err("bungleatk is missing");
        assert!(error.to_string().contains("no bungleatk cookie"), "{error}");
        let mut injected = signed_in();
        injected.cookies[2].value = "x; admin=1".into();
        assert!(save_at(&path, &injected).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }

    #[test]
    fn a_damaged_file_says_to_sign_in_again() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join(SESSION_FILE);
        for text in ["{", r#"{"bungieMembershipId":"1","cookies":[]}"#, "[]"] {
            std::fs::write(&path, text).expect("write");
            let error = load_from(&path).expect_err("damaged");
            assert!(error.to_string().contains("sign in again"), "{error}");
        }
    }
}
