//! Which addresses the device may send its token or an enrolment code to: any `https://`
//! address, and plain `http://` only to this machine (127.0.0.0/8, ::1, `localhost`), where
//! no one on a network can read it. Plain HTTP to another host is refused before a byte is
//! sent ([`DeviceError::InsecureTransport`]) unless the member turned on the explicit
//! "insecure" setting ([`ALLOW_INSECURE_HTTP_SETTING`]: `patrol enroll --allow-insecure-http`,
//! or the switch in the app's Settings), which later syncs honour.

use crate::error::DeviceError;
use reqwest::Url;

/// Device setting: `"1"` when the member allowed plain `http://` to a non-loopback host.
pub const ALLOW_INSECURE_HTTP_SETTING: &str = "allow_insecure_http";

/// Refuses to send secrets to `server_url` when it is plain HTTP off this machine and
/// `allow_insecure_http` is off.
pub fn check_transport(server_url: &str, allow_insecure_http: bool) -> Result<(), DeviceError> {
    let url = Url::parse(server_url.trim()).map_err(|error| {
        DeviceError::invalid_field(
            "server_url",
            format!("服务器地址“{server_url}”无法识别"),
            format!("the server address {server_url:?} is not a URL: {error}"),
        )
    })?;
    if url.scheme() != "http" || allow_insecure_http || is_loopback(&url) {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default().to_string();
    Err(DeviceError::InsecureTransport {
        url: server_url.trim().to_string(),
        host,
    })
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_allowed_to_loopback_only() {
        for allowed in [
            "https://county.example:8443",
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://[::1]:8080/",
            "http://localhost:8080",
            "http://LOCALHOST.",
        ] {
            check_transport(allowed, false).unwrap_or_else(|error| panic!("{allowed}: {error}"));
        }
        for refused in [
            "http://10.0.0.5:8080",
            "http://192.168.1.20",
            "http://[fe80::1]:8080",
            "http://localhost.evil.example",
            "http://county.example",
        ] {
            let error = check_transport(refused, false).unwrap_err();
            assert!(
                matches!(error, DeviceError::InsecureTransport { .. }),
                "{refused}"
            );
            assert!(
                error.message_zh().starts_with("不安全的连接"),
                "{}",
                error.message_zh()
            );
            assert!(
                error.message_zh().contains(refused),
                "{}",
                error.message_zh()
            );
            check_transport(refused, true).unwrap();
        }
    }
}
