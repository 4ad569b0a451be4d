//! `record_struct!`: a record struct declared once — each field with its JSON key and
//! aliases — and read by both readers: the serde derive (`rename`/`alias` attributes) and
//! the scanner (`Scanned`, a match on the same keys). A key added here is known to both.

/// Declares `pub struct $ty<'a>` with serde's `Deserialize` and the scanner's `Scanned`.
/// Each field is `name: Type = "key" | "alias" …`. A key seen twice is serde's "duplicate
/// field" error, so the scanner gives up on it too (it leaves the record to serde).
/// `$ty: as_written` notes in `read` how each field was written, for `Record::as_written`
/// (the objects on the way to the fields it checks); other structs note only which fields
/// they met, which costs the scanner nothing more.
macro_rules! record_struct {
    (@notes) => { false };
    (@notes as_written) => { true };
    (
        $(#[$meta:meta])*
        $ty:ident $(: $notes:ident)? {
            $( $(#[$fmeta:meta])* $field:ident: $fty:ty = $key:literal $(| $alias:literal)* ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default, Clone, serde::Deserialize)]
        #[serde(default, bound(deserialize = "'de: 'a"))]
        pub struct $ty<'a> {
            $( $(#[$fmeta])* #[serde(rename = $key $(, alias = $alias)*)] pub $field: $fty, )*
            /// How the scanner found the fields (serde leaves it unread).
            #[serde(skip)]
            pub read: $crate::loader::record::Read,
        }

        impl<'a> $crate::loader::record::Scanned<'a> for $ty<'a> {
            fn scan_into(
                &mut self,
                c: &mut $crate::loader::scan::Cursor<'a>,
            ) -> $crate::loader::scan::Scan<()> {
                #[allow(non_camel_case_types)]
                enum Bit { $($field),* }
                const NOTES: bool = record_struct!(@notes $($notes)?);
                let mut read = $crate::loader::record::Read { scanned: true, ..Default::default() };
                c.object(|c, key| {
                    // Each field's own key, then its aliases: a key is compared once.
                    let bit = match key {
                        $( k if k == $key.as_bytes() => {
                            if NOTES {
                                read.own(Bit::$field as u32, c.value_kind());
                            }
                            self.$field.scan_into(c)?;
                            Bit::$field as u32
                        }
                        $( k if k == $alias.as_bytes() => {
                            self.$field.scan_into(c)?;
                            Bit::$field as u32
                        } )* )*
                        _ => {
                            read.dotted |= NOTES && $crate::loader::record::has_dot(key);
                            return c.skip();
                        }
                    };
                    if read.seen & (1 << bit) != 0 {
                        return Err($crate::loader::scan::Bail);
                    }
                    read.seen |= 1 << bit;
                    Ok(())
                })?;
                self.read = read;
                Ok(())
            }
        }

        impl $ty<'_> {
            /// The bit of the field whose own key is `key` in `Read`'s masks (0: none).
            #[allow(dead_code)]
            pub(crate) fn bit(key: &str) -> u64 {
                #[allow(non_camel_case_types)]
                enum Bit { $($field),* }
                $( if key == $key { return 1 << (Bit::$field as u32); } )*
                0
            }
        }

        #[cfg(test)]
        impl $ty<'_> {
            /// Every key either reader knows for this struct, aliases included.
            pub(crate) const KEYS: &'static [&'static str] = &[$($key $(, $alias)*),*];
        }
    };
}
