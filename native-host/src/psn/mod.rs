//! The PlayStation Network sign-in flow of 2016, and the npsso variant.
//!
//! [`sign_in`] walks the hops a browser made, each read without following redirects:
//! 1. `GET {bungie}/en/User/SignIn/Psnid`: a redirect to Sony's `/2.0/oauth/authorize`;
//! 2. that authorize: Sony sets `JSESSIONID` and redirects to `login.jsp` (with a valid `npsso`
//!    cookie it redirects straight back with a grant code, and the flow goes on at 5);
//! 3. `POST {psn}/login.do` with `j_username`, `j_password` and `params`, the base64 of the login
//!    page's query; a Location with `authentication_error` means wrong credentials;
//! 4. authorize again with the signed-in `JSESSIONID`: `X-NP-GRANT-CODE` and a redirect to
//!    `{bungie}/en/User/SignIn/Psnid?code=...`;
//! 5. that page: bungie.net sets `bungled`, `bungleatk` and `bungledid`;
//! 6. `GET {bungie}/Platform/User/GetMembershipsForCurrentUser/` with those cookies and
//!    `X-CSRF`: who signed in.
//!
//! Every hop goes to a configured origin (the path and query are taken from the Location), so the
//! flow never talks to a host it was not configured for. The password lives only in memory.

mod cookies;
mod credentials;
mod error;
mod flow;
mod secret;
#[cfg(test)]
mod tests;

pub use cookies::{BUNGIE_COOKIES, BrowserCookie, SignedIn};
pub use credentials::Credentials;
pub use error::{SignInError, Step};
pub use flow::{sign_in, sign_in_with_api_key};
pub use secret::Secret;
