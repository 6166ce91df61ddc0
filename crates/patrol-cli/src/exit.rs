//! Exit codes, and how an error is told to the member on stderr.

use patrol_device::DeviceError;
use std::process::ExitCode;

pub const INTERNAL: u8 = 1;
pub const USAGE: u8 = 2;
pub const INVALID_INPUT: u8 = 3;
pub const NOT_FOUND: u8 = 4;
pub const NOT_ALLOWED: u8 = 5;
pub const UNREACHABLE: u8 = 6;
pub const REFUSED: u8 = 7;
pub const PROTOCOL: u8 = 8;
pub const INSECURE: u8 = 9;
pub const WIPED: u8 = 10;
/// 128 + SIGPIPE, what a shell reports for a command whose output pipe was closed.
pub const CLOSED_PIPE: u8 = 141;

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  done
  1  the local store or a file could not be read or written (nothing was changed)
  2  wrong command-line usage
  3  invalid input: bad JSON, an unknown kind or category, a value out of range, a bad photo
     or basemap file;
     every problem is printed with its field, and nothing was written
  4  no entry with that id
  5  not allowed in the entry's state (e.g. editing a deleted entry, ending a patrol that is
     not running), or sync before the device is enrolled
  6  the county server cannot be reached (nothing is lost: the entries stay here, pending)
  7  the county server refused this device (enrolment code invalid or used, device revoked)
  8  the county server answered something unexpected, or not everything was acknowledged
  9  refused to send the token or code over plain http:// to a host that is not this machine
     (nothing was sent; use https://, or `patrol enroll --allow-insecure-http`)
 10  the county revoked this device and had its data wiped: the store and photos were deleted
     (what was still unsent is printed, and reported to the county); enrol anew to go on
141  the output was closed early (`patrol list | head`): the command stopped quietly there;
     what it had already saved stays saved";

/// Prints the error (Chinese first, English after) and picks the exit code.
pub fn report(error: &anyhow::Error) -> ExitCode {
    match error.downcast_ref::<DeviceError>() {
        Some(device_error) => {
            eprintln!("错误:{}", device_error.message_zh());
            eprintln!("error: {device_error}");
            ExitCode::from(match device_error {
                DeviceError::Invalid(_)
                | DeviceError::Photo { .. }
                | DeviceError::NotABasemap { .. } => INVALID_INPUT,
                DeviceError::EntryNotFound(_) => NOT_FOUND,
                DeviceError::NotAllowed { .. } => NOT_ALLOWED,
                DeviceError::Unreachable { .. } => UNREACHABLE,
                DeviceError::Refused { .. } | DeviceError::WipeOrdered => REFUSED,
                DeviceError::Wiped { .. } => WIPED,
                DeviceError::Protocol(_) => PROTOCOL,
                DeviceError::InsecureTransport { .. } => INSECURE,
                _ => INTERNAL,
            })
        }
        None => {
            eprintln!("错误:{error:#}");
            ExitCode::from(INTERNAL)
        }
    }
}
