//! `courier-host login`: signs in through PlayStation Network with a password or an npsso read
//! from standard input, says who signed in, and with `--save` keeps the session for the other
//! commands. The password is never written anywhere.
//!
//! Exit status: 0 signed in; 2 `bad_request` (also a refused origin or config); 3
//! `invalid_credentials`; 4 `captcha_required`; 5 `network`; 6 `unexpected_response`; 1 when
//! the session could not be saved.

use std::io::{BufRead, Read};
use std::process::ExitCode;

use zeroize::Zeroizing;

use crate::config::{self, Origins};
use crate::psn::{self, Credentials, Secret, SignInError};
use crate::session;

/// The longest secret read from standard input.
const MAX_SECRET_BYTES: u64 = 16 * 1024;

/// Flags of `courier-host login`.
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("secret")
        .required(true)
        .args(["password_stdin", "npsso_stdin"])
))]
pub struct Args {
    /// Sign in through PlayStation Network (the 2016 flow, or Sony's npsso cookie).
    #[arg(long, required = true)]
    psn: bool,
    /// The PSN sign-in ID (the email address); needed with --password-stdin.
    #[arg(long, value_name = "EMAIL", required_unless_present = "npsso_stdin")]
    username: Option<String>,
    /// Read the PSN password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// Read the value of Sony's npsso cookie (from a browser signed in to PlayStation Network)
    /// from the first line of standard input.
    #[arg(long)]
    npsso_stdin: bool,
    /// Keep the bungie.net session (cookies only, never the password) in the config folder.
    #[arg(long)]
    save: bool,
}

/// Runs `courier-host login`.
pub fn run(api_key: Option<String>, args: Args) -> anyhow::Result<ExitCode> {
    let credentials = match read_credentials(&args, &mut std::io::stdin().lock()) {
        Ok(credentials) => credentials,
        Err(error) => return Ok(failed(&error)),
    };
    let origins = match Origins::load() {
        Ok(origins) => origins,
        Err(error) => return Ok(failed(&SignInError::BadRequest(error.to_string()))),
    };
    let api_key = config::api_key(api_key);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let signed_in =
        match runtime.block_on(psn::sign_in_with_api_key(&origins, &api_key, &credentials)) {
            Ok(signed_in) => signed_in,
            Err(error) => return Ok(failed(&error)),
        };
    drop(credentials);
    println!(
        "Signed in to {} as bungie.net member {}.",
        origins.bungie, signed_in.bungie_membership_id
    );
    if args.save {
        let path = session::save(&signed_in)?;
        println!(
            "Saved the session (cookies only) to {}, readable by you only.",
            path.display()
        );
    } else {
        println!("The session was not saved: add --save to keep it for the other commands.");
    }
    Ok(ExitCode::SUCCESS)
}

/// The credentials the flags ask for, the secret read from `input`.
fn read_credentials(args: &Args, input: &mut impl BufRead) -> Result<Credentials, SignInError> {
    let what = if args.npsso_stdin {
        "npsso cookie value"
    } else {
        "password"
    };
    let secret = read_secret(input, what)?;
    if args.npsso_stdin {
        return Ok(Credentials::Npsso(secret));
    }
    Ok(Credentials::Password {
        username: args.username.clone().unwrap_or_default(),
        password: secret,
    })
}

/// The first line of `input`, its line ending cut; empty is a `bad_request`.
fn read_secret(input: &mut impl BufRead, what: &str) -> Result<Secret, SignInError> {
    let mut line = Zeroizing::new(String::new());
    input
        .take(MAX_SECRET_BYTES)
        .read_line(&mut line)
        .map_err(|error| {
            SignInError::BadRequest(format!(
                "Cannot read the {what} from standard input ({error}): pipe it in as UTF-8 text."
            ))
        })?;
    let value = line.strip_suffix('\n').unwrap_or(&line);
    let value = value.strip_suffix('\r').unwrap_or(value);
    if value.is_empty() {
        return Err(SignInError::BadRequest(format!(
            "Standard input held no {what}: pipe it in, for example from a password manager."
        )));
    }
    Ok(Secret::new(value.to_string()))
}

/// Reports a failed sign-in on stderr and answers its exit status.
fn failed(error: &SignInError) -> ExitCode {
    eprintln!("courier-host login: {}: {error}", error.kind());
    ExitCode::from(match error {
        SignInError::BadRequest(_) => 2,
        SignInError::InvalidCredentials { .. } => 3,
        SignInError::CaptchaRequired => 4,
        SignInError::Network { .. } => 5,
        SignInError::UnexpectedResponse { .. } => 6,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(npsso: bool) -> Args {
        Args {
            psn: true,
            username: Some("guardian@example.com".into()),
            password_stdin: !npsso,
            npsso_stdin: npsso,
            save: false,
        }
    }

    #[test]
    fn the_secret_is_the_first_line_without_its_ending() {
        for (input, expected) in [
            ("pw\n", "pw"),
            ("pw\r\n", "pw"),
            ("pw", "pw"),
            (" spaced pw \nsecond line\n", " spaced pw "),
        ] {
            let read = read_credentials(&args(false), &mut input.as_bytes()).expect("read");
            let Credentials::Password { username, password } = read else {
                panic!("expected a password")
            };
            assert_eq!(username, "guardian@example.com");
            assert_eq!(password.expose(), expected, "{input:?}");
        }
        let read = read_credentials(&args(true), &mut "np-55\n".as_bytes()).expect("read");
        assert_eq!(read, Credentials::Npsso(Secret::new("np-55".into())));
    }

    #[test]
    fn empty_input_is_a_bad_request() {
        for input in ["", "\n", "\r\n"] {
            let error = read_credentials(&args(false), &mut input.as_bytes()).expect_err("empty");
            assert_eq!(error.kind(), "bad_request");
            assert!(error.to_string().contains("held no password"), "{error}");
        }
        let error = read_credentials(&args(true), &mut &b"\xff\xfe\n"[..]).expect_err("not UTF-8");
        assert!(error.to_string().contains("npsso"), "{error}");
    }
}
