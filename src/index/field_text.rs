//! A field's text as the index gives it: borrowed from its strings, an address written out
//! on the stack, or (a user agent kept deflated, `index::agents`) inflated for the caller.

use std::fmt;

#[derive(Clone)]
pub enum Text<'a> {
    Str(&'a str),
    Inline { buf: [u8; 15], len: u8 },
    Owned(Box<str>),
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Str(s) => s,
            // Only ASCII digits and dots are ever written.
            Text::Inline { buf, len } => std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or(""),
            Text::Owned(s) => s,
        }
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self)
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Text<'_>) -> bool {
        **self == **other
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}
