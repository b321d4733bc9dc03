//! Render keys: a page's variables, written as the bytes of a hash. [`Bytes`] is a serde
//! serializer that writes every value as a tag and its raw bytes (strings length-prefixed,
//! never escaped), so that hashing a page's views costs about what copying them would:
//! the same values always give the same bytes, and two different values of one type never
//! do (every value is tagged and every variable-length part is prefixed by its length).
//!
//! A struct's field names are not written, only its fields in their declared order, each
//! present (`:` and its value) or skipped (`-`): copying the names was 2.6% of a
//! 10,000-entry build's CPU. So two values of different struct types
//! can give equal bytes — which a key never compares: a key is made of the template's name,
//! the page's path and each variable by its name, and each variable of a template has one
//! Rust type (its view struct) in a given annals binary, whose identity salts every key
//! (`render::Keys`). Map keys (`#[serde(flatten)]`, `serde_json::Value`) and enum variants
//! are written, since they vary with the value. A view must not serialize a field with
//! `#[serde(untagged)]` enums or `serialize_with` that changes its shape by value.

use serde::ser::{self, Serialize};

/// The bytes of values, in order.
#[derive(Default)]
pub struct Bytes(pub Vec<u8>);

/// A value that cannot be written (serde's custom errors; views never make one): the page
/// has no key and is always rendered.
#[derive(Debug)]
pub struct Unkeyable;

impl std::fmt::Display for Unkeyable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value without a render key")
    }
}

impl std::error::Error for Unkeyable {}

impl ser::Error for Unkeyable {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Unkeyable
    }
}

impl Bytes {
    fn tag(&mut self, t: u8) {
        self.0.push(t);
    }

    fn len(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u64).to_le_bytes());
    }

    /// A length-prefixed run of bytes.
    pub fn field(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        self.0.extend_from_slice(bytes);
    }

    /// Writes `value`; `Err` leaves the buffer unusable as a key.
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unkeyable> {
        value.serialize(&mut *self)
    }
}

type Result<T = (), E = Unkeyable> = std::result::Result<T, E>;

impl ser::Serializer for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result {
        self.tag(if v { b't' } else { b'f' });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.tag(b'i');
        self.0.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.tag(b'I');
        self.0.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.tag(b'u');
        self.0.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.tag(b'U');
        self.0.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result {
        self.tag(b'd');
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result {
        self.tag(b's');
        self.field(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        self.tag(b'b');
        self.field(v);
        Ok(())
    }
    fn serialize_none(self) -> Result {
        self.tag(b'n');
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        self.tag(b'y');
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.tag(b'0');
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _n: &'static str, _i: u32, variant: &'static str) -> Result {
        self.tag(b'v');
        self.field(variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _n: &'static str, v: &T) -> Result {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.tag(b'V');
        self.field(variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self> {
        // Elements are self-delimiting; the end is marked, so no length is needed.
        self.tag(b'[');
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _n: &'static str, len: usize) -> Result<Self> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self> {
        self.tag(b'T');
        self.field(variant.as_bytes());
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self> {
        self.tag(b'{');
        Ok(self)
    }
    fn serialize_struct(self, _n: &'static str, _len: usize) -> Result<Self> {
        self.tag(b'{');
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self> {
        self.tag(b'S');
        self.field(variant.as_bytes());
        Ok(self)
    }
}

/// The end of a compound value, so that `[a, b]` and `[a], [b]` differ.
fn end(b: &mut Bytes) -> Result {
    b.tag(b'.');
    Ok(())
}

impl ser::SerializeSeq for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result {
        self.tag(b',');
        v.serialize(&mut **self)
    }
    fn end(self) -> Result {
        end(self)
    }
}

impl ser::SerializeTuple for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result {
        end(self)
    }
}

impl ser::SerializeTupleStruct for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result {
        end(self)
    }
}

impl ser::SerializeTupleVariant for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result {
        end(self)
    }
}

impl ser::SerializeMap for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result {
        self.tag(b':');
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result {
        end(self)
    }
}

impl ser::SerializeStruct for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    // Names are not written: see the module's documentation.
    fn serialize_field<T: Serialize + ?Sized>(&mut self, _key: &'static str, v: &T) -> Result {
        self.tag(b':');
        v.serialize(&mut **self)
    }
    fn skip_field(&mut self, _key: &'static str) -> Result {
        // A skipped field is written as skipped, so that skipping changes the key.
        self.tag(b'-');
        Ok(())
    }
    fn end(self) -> Result {
        end(self)
    }
}

impl ser::SerializeStructVariant for &mut Bytes {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result {
        end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn bytes<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
        let mut b = Bytes::default();
        b.value(v).unwrap();
        b.0
    }

    #[derive(serde::Serialize)]
    struct View<'a> {
        title: &'a str,
        items: Vec<&'a str>,
        note: Option<&'a str>,
    }

    #[test]
    fn different_values_give_different_bytes() {
        let a = View {
            title: "ab",
            items: vec!["c"],
            note: None,
        };
        let b = View {
            title: "a",
            items: vec!["bc"],
            note: None,
        };
        let c = View {
            title: "ab",
            items: vec!["c"],
            note: Some(""),
        };
        assert_ne!(bytes(&a), bytes(&b));
        assert_ne!(bytes(&a), bytes(&c));
        assert_eq!(bytes(&a), bytes(&a));
        // Nesting is visible: [[a, b]] is not [[a], [b]].
        assert_ne!(bytes(&vec![vec![1, 2]]), bytes(&vec![vec![1], vec![2]]));
        let mut m = BTreeMap::new();
        m.insert("k", "v");
        assert_ne!(bytes(&m), bytes(&vec!["k", "v"]));
        assert_ne!(bytes(&1u8), bytes(&1i8));
        assert_ne!(bytes("1"), bytes(&1u8));
    }
}
