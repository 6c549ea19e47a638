//! The Windows registry keys that point browsers at a manifest file: read, write and delete a
//! key's default value. On other systems no location is a registry key, and these fail.

use std::io;

use super::table::RegistryKey;

/// The key's default value (the manifest path), or `None` when the key or its value is missing.
pub fn read_default(key: &RegistryKey) -> io::Result<Option<String>> {
    imp::read_default(key)
}

/// Creates the key if needed and sets its default value to `value`.
pub fn write_default(key: &RegistryKey, value: &str) -> io::Result<()> {
    imp::write_default(key, value)
}

/// Deletes the key; a missing key is fine, a key with subkeys is left and reported.
pub fn delete(key: &RegistryKey) -> io::Result<()> {
    imp::delete(key)
}

#[cfg(windows)]
mod imp {
    use std::io;

    use winreg::RegKey;
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};

    use crate::install::table::{Hive, RegistryKey};

    /// The open root of `hive`.
    fn root(hive: Hive) -> RegKey {
        RegKey::predef(match hive {
            Hive::CurrentUser => HKEY_CURRENT_USER,
            Hive::LocalMachine => HKEY_LOCAL_MACHINE,
        })
    }

    pub fn read_default(key: &RegistryKey) -> io::Result<Option<String>> {
        let opened = match root(key.hive).open_subkey(&key.path) {
            Ok(opened) => opened,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        match opened.get_value::<String, _>("") {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub fn write_default(key: &RegistryKey, value: &str) -> io::Result<()> {
        let (created, _) = root(key.hive).create_subkey(&key.path)?;
        created.set_value("", &value.to_owned())
    }

    pub fn delete(key: &RegistryKey) -> io::Result<()> {
        match root(key.hive).delete_subkey(&key.path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

#[cfg(not(windows))]
mod imp {
    use std::io;

    use crate::install::table::RegistryKey;

    /// The error every registry call gives off Windows.
    fn unsupported(key: &RegistryKey) -> io::Error {
        io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{key}: registry keys exist only on Windows"),
        )
    }

    pub fn read_default(key: &RegistryKey) -> io::Result<Option<String>> {
        Err(unsupported(key))
    }

    pub fn write_default(key: &RegistryKey, _value: &str) -> io::Result<()> {
        Err(unsupported(key))
    }

    pub fn delete(key: &RegistryKey) -> io::Result<()> {
        Err(unsupported(key))
    }
}
