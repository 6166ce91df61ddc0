//! Why the county server could not be reached, told apart for the member: the phone has no
//! network, the address does not resolve, nothing listens at it, it does not answer, its
//! certificate is not trusted, what answers is not a county server, or the link stalled. A
//! mistyped address is then not blamed on the signal.

use std::io;

/// The cause of a [`crate::DeviceError::Unreachable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnreachableCause {
    /// No route to any network (no signal, flight mode).
    NoNetwork,
    /// The host name does not resolve (mistyped, or no network to ask).
    UnknownHost,
    /// The host answers, but nothing listens on that port.
    NothingListening,
    /// No answer in time (weak signal, or an address that drops packets).
    NoAnswer,
    /// The TLS certificate is not one this phone trusts.
    UntrustedCertificate,
    /// Something answers, but not as a county server does.
    NotCountyServer,
    /// The link carried nothing for the stall time.
    LinkStalled,
    Other,
}

impl UnreachableCause {
    /// The cause of a failed request and the text of its whole chain of sources (reqwest's own
    /// "error sending request" hides the cause), read in one walk of the chain.
    pub fn of_request_error(error: &reqwest::Error) -> (UnreachableCause, String) {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(error);
        let mut io_kind = None;
        while let Some(cause) = source {
            if let Some(io_error) = cause.downcast_ref::<io::Error>() {
                io_kind.get_or_insert(io_error.kind());
            }
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        (Self::of(io_kind, error.is_timeout(), &text), text)
    }

    /// The cause from what the error says: its IO kind, whether it timed out, and its text.
    pub fn of(io_kind: Option<io::ErrorKind>, timed_out: bool, text: &str) -> UnreachableCause {
        let text = text.to_ascii_lowercase();
        match io_kind {
            Some(io::ErrorKind::ConnectionRefused) => return UnreachableCause::NothingListening,
            Some(
                io::ErrorKind::NetworkUnreachable
                | io::ErrorKind::NetworkDown
                | io::ErrorKind::HostUnreachable,
            ) => return UnreachableCause::NoNetwork,
            Some(io::ErrorKind::TimedOut) => return UnreachableCause::NoAnswer,
            _ => {}
        }
        if text.contains("certificate") || text.contains("unknownissuer") {
            UnreachableCause::UntrustedCertificate
        } else if text.contains("dns error") || text.contains("failed to lookup address") {
            UnreachableCause::UnknownHost
        } else if text.contains("connection refused") {
            UnreachableCause::NothingListening
        } else if text.contains("network is unreachable") {
            UnreachableCause::NoNetwork
        } else if timed_out || text.contains("timed out") {
            UnreachableCause::NoAnswer
        } else {
            UnreachableCause::Other
        }
    }

    /// A short stable code for the UI and scripts.
    pub fn code(self) -> &'static str {
        match self {
            UnreachableCause::NoNetwork => "no_network",
            UnreachableCause::UnknownHost => "unknown_host",
            UnreachableCause::NothingListening => "nothing_listening",
            UnreachableCause::NoAnswer => "no_answer",
            UnreachableCause::UntrustedCertificate => "untrusted_certificate",
            UnreachableCause::NotCountyServer => "not_county_server",
            UnreachableCause::LinkStalled => "link_stalled",
            UnreachableCause::Other => "other",
        }
    }

    /// What the member is told, in Chinese; `address` is the server's host (and port).
    pub fn message_zh(self, address: &str) -> String {
        const KEPT: &str = "记录都保存在本机，有网络时会自动同步";
        match self {
            UnreachableCause::NoNetwork => format!("连不上县里的服务器：手机没有网络（没有信号）。{KEPT}"),
            UnreachableCause::UnknownHost => format!(
                "连不上县里的服务器：找不到地址“{address}”。请核对服务器地址（手机没有网络时也会这样）。{KEPT}"
            ),
            UnreachableCause::NothingListening => format!(
                "连不上县里的服务器：{address} 上没有服务器在运行（连接被拒绝）。请核对地址和端口，或请县边防办确认服务器已开。{KEPT}"
            ),
            UnreachableCause::NoAnswer => format!(
                "连不上县里的服务器：{address} 没有回应（信号太弱，或地址不对）。{KEPT}"
            ),
            UnreachableCause::UntrustedCertificate => format!(
                "连不上县里的服务器：{address} 的证书不被本机信任。请按县边防办的说明在手机上安装县里的证书。{KEPT}"
            ),
            UnreachableCause::NotCountyServer => format!(
                "连不上县里的服务器：{address} 有回应，但不是巡防日志的县服务器。请核对地址。{KEPT}"
            ),
            UnreachableCause::LinkStalled => {
                format!("连不上县里的服务器：信号太弱，连接中断了。{KEPT}")
            }
            UnreachableCause::Other => {
                format!("连不上县里的服务器（没有信号或服务器未开），{KEPT}")
            }
        }
    }
}

/// The host (and port, if the URL names one) of a server URL, for messages.
pub fn server_address(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|parsed| {
            let host = parsed.host_str()?.to_string();
            Some(match parsed.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_told_from_what_the_error_says() {
        use io::ErrorKind::*;
        let of = UnreachableCause::of;
        assert_eq!(
            of(Some(ConnectionRefused), false, ""),
            UnreachableCause::NothingListening
        );
        assert_eq!(
            of(Some(NetworkUnreachable), false, ""),
            UnreachableCause::NoNetwork
        );
        assert_eq!(
            of(
                None,
                false,
                "client error (Connect): dns error: failed to lookup address information"
            ),
            UnreachableCause::UnknownHost
        );
        assert_eq!(
            of(None, false, "invalid peer certificate: UnknownIssuer"),
            UnreachableCause::UntrustedCertificate
        );
        assert_eq!(
            of(None, true, "operation timed out"),
            UnreachableCause::NoAnswer
        );
        assert_eq!(of(None, false, "something else"), UnreachableCause::Other);
    }

    #[test]
    fn a_mistyped_address_is_not_blamed_on_the_signal() {
        let refused = UnreachableCause::NothingListening.message_zh("192.168.1.10:8443");
        assert!(
            refused.contains("192.168.1.10:8443 上没有服务器在运行"),
            "{refused}"
        );
        assert!(!refused.contains("信号"), "{refused}");
        let unknown = UnreachableCause::UnknownHost.message_zh("county.example");
        assert!(unknown.contains("找不到地址“county.example”"), "{unknown}");
        assert!(UnreachableCause::NoNetwork
            .message_zh("x")
            .contains("没有信号"));
        assert_eq!(
            server_address("https://county.example:8443/"),
            "county.example:8443"
        );
        assert_eq!(server_address("https://county.example"), "county.example");
        assert_eq!(server_address("不是地址"), "不是地址");
    }

    #[tokio::test]
    async fn a_port_with_nothing_listening_is_told_as_such() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let error = reqwest::Client::new()
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            .unwrap_err();
        let (cause, reason) = UnreachableCause::of_request_error(&error);
        assert_eq!(cause, UnreachableCause::NothingListening);
        assert!(reason.contains("Connection refused"), "{reason}");
    }
}
