//! A small, bounds-checked class-file reader: header, constant pool, class hierarchy, members and
//! their attributes. Method bytecode is decoded only on request ([`bytecode`]), because the audit
//! needs it for a handful of classes (factories and option holders) out of thousands.
//! Every read is checked: malformed input gives a [`ClassError`], never a panic.

pub mod bytecode;
mod mutf8;

use std::borrow::Cow;
use std::fmt;

pub const ACC_PUBLIC: u16 = 0x0001;
pub const ACC_PRIVATE: u16 = 0x0002;
pub const ACC_STATIC: u16 = 0x0008;
pub const ACC_FINAL: u16 = 0x0010;
pub const ACC_INTERFACE: u16 = 0x0200;
pub const ACC_ABSTRACT: u16 = 0x0400;
pub const ACC_SYNTHETIC: u16 = 0x1000;
pub const ACC_ENUM: u16 = 0x4000;
pub const ACC_MODULE: u16 = 0x8000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassError(pub String);

impl fmt::Display for ClassError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ClassError {}

pub type ClassResult<T> = Result<T, ClassError>;

fn malformed<T>(what: impl Into<String>) -> ClassResult<T> {
    Err(ClassError(what.into()))
}

/// Reads the version without parsing anything else: bytes 4–5 minor, 6–7 major.
pub fn peek_version(bytes: &[u8]) -> ClassResult<(u16, u16)> {
    if bytes.len() < 8 || bytes[..4] != [0xCA, 0xFE, 0xBA, 0xBE] {
        return malformed("not a class file (no CAFEBABE header)");
    }
    Ok((
        u16::from_be_bytes([bytes[6], bytes[7]]),
        u16::from_be_bytes([bytes[4], bytes[5]]),
    ))
}

/// A big-endian cursor over a byte slice; every read is bounds-checked.
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }
    pub(crate) fn at(bytes: &'a [u8], pos: usize) -> Self {
        Reader { bytes, pos }
    }
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
    pub(crate) fn take(&mut self, n: usize) -> ClassResult<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        match end {
            Some(end) => {
                let slice = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(slice)
            }
            None => malformed(format!("truncated at byte {} (needed {n} more)", self.pos)),
        }
    }
    pub(crate) fn u8(&mut self) -> ClassResult<u8> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u16(&mut self) -> ClassResult<u16> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    pub(crate) fn u32(&mut self) -> ClassResult<u32> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn i32(&mut self) -> ClassResult<i32> {
        Ok(self.u32()? as i32)
    }
}

/// A constant as `ldc` pushes it, or as a static field's `ConstantValue`.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant<'a> {
    Int(i32),
    Float(f32),
    Long(i64),
    Double(f64),
    Str(Cow<'a, str>),
    Class(Cow<'a, str>),
    /// MethodType, MethodHandle, Dynamic: not interpreted.
    Other,
}

/// A Fieldref, Methodref or InterfaceMethodref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRef<'a> {
    pub kind: MemberKind,
    pub owner: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub descriptor: Cow<'a, str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemberKind {
    Field,
    Method,
    InterfaceMethod,
}

const TAG_UTF8: u8 = 1;
const TAG_INT: u8 = 3;
const TAG_FLOAT: u8 = 4;
const TAG_LONG: u8 = 5;
const TAG_DOUBLE: u8 = 6;
const TAG_CLASS: u8 = 7;
const TAG_STRING: u8 = 8;
const TAG_FIELD: u8 = 9;
const TAG_METHOD: u8 = 10;
const TAG_IMETHOD: u8 = 11;
const TAG_NAME_AND_TYPE: u8 = 12;
const TAG_INVOKE_DYNAMIC: u8 = 18;

/// Offsets of every constant-pool entry; entries are decoded when asked for.
pub struct ConstantPool<'a> {
    bytes: &'a [u8],
    /// `offsets[i]` is the offset of entry `i`'s tag; 0 marks the unusable slots (0, after long/double).
    offsets: Vec<u32>,
}

impl<'a> ConstantPool<'a> {
    fn parse(r: &mut Reader<'a>) -> ClassResult<Self> {
        let count = r.u16()? as usize;
        let mut offsets = vec![0u32; count.max(1)];
        let mut i = 1;
        while i < count {
            offsets[i] = r.pos() as u32;
            let tag = r.u8()?;
            let (len, slots) = match tag {
                TAG_UTF8 => (r.u16()? as usize, 1),
                TAG_INT | TAG_FLOAT | TAG_FIELD | TAG_METHOD | TAG_IMETHOD | TAG_NAME_AND_TYPE
                | 17 | TAG_INVOKE_DYNAMIC => (4, 1),
                TAG_LONG | TAG_DOUBLE => (8, 2),
                TAG_CLASS | TAG_STRING | 16 | 19 | 20 => (2, 1),
                15 => (3, 1),
                other => {
                    return malformed(format!("unknown constant-pool tag {other} at entry {i}"))
                }
            };
            r.take(len)?;
            i += slots;
        }
        Ok(ConstantPool {
            bytes: r.bytes,
            offsets,
        })
    }

    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.len() <= 1
    }

    fn entry(&self, index: u16, expected: u8) -> ClassResult<Reader<'a>> {
        let offset = self.offsets.get(index as usize).copied().unwrap_or(0) as usize;
        if offset == 0 {
            return malformed(format!("constant-pool index {index} is not a valid entry"));
        }
        let tag = self.bytes[offset];
        if tag != expected {
            return malformed(format!(
                "constant-pool entry {index} has tag {tag}, expected {expected}"
            ));
        }
        Ok(Reader::at(self.bytes, offset + 1))
    }

    fn tag(&self, index: u16) -> Option<u8> {
        let offset = *self.offsets.get(index as usize)? as usize;
        (offset != 0).then(|| self.bytes[offset])
    }

    pub fn utf8(&self, index: u16) -> ClassResult<Cow<'a, str>> {
        let mut r = self.entry(index, TAG_UTF8)?;
        let len = r.u16()? as usize;
        Ok(mutf8::decode(r.take(len)?))
    }

    pub fn class_name(&self, index: u16) -> ClassResult<Cow<'a, str>> {
        let name_index = self.entry(index, TAG_CLASS)?.u16()?;
        self.utf8(name_index)
    }

    pub fn name_and_type(&self, index: u16) -> ClassResult<(Cow<'a, str>, Cow<'a, str>)> {
        let mut r = self.entry(index, TAG_NAME_AND_TYPE)?;
        let (name, descriptor) = (r.u16()?, r.u16()?);
        Ok((self.utf8(name)?, self.utf8(descriptor)?))
    }

    pub fn member_ref(&self, index: u16) -> ClassResult<MemberRef<'a>> {
        let kind = match self.tag(index) {
            Some(TAG_FIELD) => MemberKind::Field,
            Some(TAG_METHOD) => MemberKind::Method,
            Some(TAG_IMETHOD) => MemberKind::InterfaceMethod,
            _ => {
                return malformed(format!(
                    "constant-pool entry {index} is not a member reference"
                ))
            }
        };
        let tag = self.tag(index).unwrap_or(0);
        let mut r = self.entry(index, tag)?;
        let (class, nat) = (r.u16()?, r.u16()?);
        let (name, descriptor) = self.name_and_type(nat)?;
        Ok(MemberRef {
            kind,
            owner: self.class_name(class)?,
            name,
            descriptor,
        })
    }

    /// The constant `ldc`/`ldc_w`/`ldc2_w` would push.
    pub fn constant(&self, index: u16) -> ClassResult<Constant<'a>> {
        let Some(tag) = self.tag(index) else {
            return malformed(format!("constant-pool index {index} is not a valid entry"));
        };
        let mut r = self.entry(index, tag)?;
        Ok(match tag {
            TAG_INT => Constant::Int(r.i32()?),
            TAG_FLOAT => Constant::Float(f32::from_bits(r.u32()?)),
            TAG_LONG => Constant::Long(((r.u32()? as u64) << 32 | r.u32()? as u64) as i64),
            TAG_DOUBLE => {
                Constant::Double(f64::from_bits((r.u32()? as u64) << 32 | r.u32()? as u64))
            }
            TAG_STRING => Constant::Str(self.utf8(r.u16()?)?),
            TAG_CLASS => Constant::Class(self.utf8(r.u16()?)?),
            _ => Constant::Other,
        })
    }

    /// The member reference a CONSTANT_MethodHandle entry points at (`None` for other entries).
    pub fn method_handle_target(&self, index: u16) -> Option<u16> {
        let mut r = self.entry(index, 15).ok()?;
        let _kind = r.u8().ok()?;
        r.u16().ok()
    }

    /// `(bootstrap method index, name, descriptor)` of an InvokeDynamic entry.
    pub fn invoke_dynamic(&self, index: u16) -> ClassResult<(u16, Cow<'a, str>, Cow<'a, str>)> {
        let mut r = self.entry(index, TAG_INVOKE_DYNAMIC)?;
        let (bootstrap, nat) = (r.u16()?, r.u16()?);
        let (name, descriptor) = self.name_and_type(nat)?;
        Ok((bootstrap, name, descriptor))
    }

    /// Every class the pool names (CONSTANT_Class), in pool order; array descriptors included.
    pub fn class_refs(&self) -> impl Iterator<Item = Cow<'a, str>> + '_ {
        (1..self.offsets.len() as u16)
            .filter(|&i| self.tag(i) == Some(TAG_CLASS))
            .filter_map(|i| self.class_name(i).ok())
    }

    /// Every field and method reference in the pool.
    pub fn member_refs(&self) -> impl Iterator<Item = MemberRef<'a>> + '_ {
        (1..self.offsets.len() as u16)
            .filter(|&i| matches!(self.tag(i), Some(TAG_FIELD | TAG_METHOD | TAG_IMETHOD)))
            .filter_map(|i| self.member_ref(i).ok())
    }

    /// Every string literal (CONSTANT_String).
    pub fn strings(&self) -> impl Iterator<Item = Cow<'a, str>> + '_ {
        (1..self.offsets.len() as u16)
            .filter(|&i| self.tag(i) == Some(TAG_STRING))
            .filter_map(|i| match self.constant(i) {
                Ok(Constant::Str(s)) => Some(s),
                _ => None,
            })
    }
}

/// A field or method: flags, name, descriptor and its raw attributes.
pub struct Member<'a> {
    pub access: u16,
    pub name: Cow<'a, str>,
    pub descriptor: Cow<'a, str>,
    attributes: Vec<(Cow<'a, str>, &'a [u8])>,
}

impl<'a> Member<'a> {
    pub fn attribute(&self, name: &str) -> Option<&'a [u8]> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| *bytes)
    }

    pub fn is_static(&self) -> bool {
        self.access & ACC_STATIC != 0
    }
}

/// The `Code` attribute of a method.
pub struct Code<'a> {
    pub max_locals: u16,
    pub bytecode: &'a [u8],
    /// The `handler_pc` of every exception-table entry.
    pub handlers: Vec<u16>,
}

pub struct ClassFile<'a> {
    pub minor: u16,
    pub major: u16,
    pub pool: ConstantPool<'a>,
    pub access: u16,
    pub name: Cow<'a, str>,
    /// `None` only for java/lang/Object and module-info.
    pub super_name: Option<Cow<'a, str>>,
    pub interfaces: Vec<Cow<'a, str>>,
    pub fields: Vec<Member<'a>>,
    pub methods: Vec<Member<'a>>,
    attributes: Vec<(Cow<'a, str>, &'a [u8])>,
}

impl<'a> ClassFile<'a> {
    pub fn parse(bytes: &'a [u8]) -> ClassResult<Self> {
        let (major, minor) = peek_version(bytes)?;
        let mut r = Reader::at(bytes, 8);
        let pool = ConstantPool::parse(&mut r)?;
        let access = r.u16()?;
        let name = pool.class_name(r.u16()?)?;
        let super_index = r.u16()?;
        let super_name = if super_index == 0 {
            None
        } else {
            Some(pool.class_name(super_index)?)
        };
        let interface_count = r.u16()?;
        let mut interfaces = Vec::with_capacity(interface_count as usize);
        for _ in 0..interface_count {
            interfaces.push(pool.class_name(r.u16()?)?);
        }
        let fields = parse_members(&mut r, &pool)?;
        let methods = parse_members(&mut r, &pool)?;
        let attributes = parse_attributes(&mut r, &pool)?;
        Ok(ClassFile {
            minor,
            major,
            pool,
            access,
            name,
            super_name,
            interfaces,
            fields,
            methods,
            attributes,
        })
    }

    pub fn is_interface(&self) -> bool {
        self.access & ACC_INTERFACE != 0
    }

    pub fn is_abstract(&self) -> bool {
        self.access & (ACC_ABSTRACT | ACC_INTERFACE) != 0
    }

    pub fn is_public(&self) -> bool {
        self.access & ACC_PUBLIC != 0
    }

    pub fn has_public_no_arg_constructor(&self) -> bool {
        self.methods
            .iter()
            .any(|m| m.name == "<init>" && m.descriptor == "()V" && m.access & ACC_PUBLIC != 0)
    }

    pub fn method(&self, name: &str, descriptor: &str) -> Option<&Member<'a>> {
        self.methods
            .iter()
            .find(|m| m.name == name && m.descriptor == descriptor)
    }

    pub fn field(&self, name: &str) -> Option<&Member<'a>> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&'a [u8]> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| *bytes)
    }

    pub fn code(&self, method: &Member<'a>) -> ClassResult<Option<Code<'a>>> {
        let Some(raw) = method.attribute("Code") else {
            return Ok(None);
        };
        let mut r = Reader::new(raw);
        let _max_stack = r.u16()?;
        let max_locals = r.u16()?;
        let len = r.u32()? as usize;
        let bytecode = r.take(len)?;
        let count = r.u16()?;
        let mut handlers = Vec::with_capacity(usize::from(count).min(256));
        for _ in 0..count {
            let _range = (r.u16()?, r.u16()?);
            handlers.push(r.u16()?);
            let _catch_type = r.u16()?;
        }
        Ok(Some(Code {
            max_locals,
            bytecode,
            handlers,
        }))
    }

    /// The value of a static final field initialised by a compile-time constant.
    pub fn constant_value(&self, field: &Member<'a>) -> Option<Constant<'a>> {
        let raw = field.attribute("ConstantValue")?;
        let index = Reader::new(raw).u16().ok()?;
        self.pool.constant(index).ok()
    }

    /// `(bootstrap method ref, static arguments)` of entry `index` of `BootstrapMethods`.
    pub fn bootstrap_method(
        &self,
        index: u16,
    ) -> ClassResult<(MemberRefOrHandle<'a>, Vec<Constant<'a>>)> {
        let Some(raw) = self.attribute("BootstrapMethods") else {
            return malformed("no BootstrapMethods attribute");
        };
        let mut r = Reader::new(raw);
        let count = r.u16()?;
        for i in 0..count {
            let handle = r.u16()?;
            let argc = r.u16()?;
            if i == index {
                let mut args = Vec::with_capacity(argc as usize);
                for _ in 0..argc {
                    args.push(self.pool.constant(r.u16()?)?);
                }
                return Ok((self.method_handle(handle)?, args));
            }
            r.take(argc as usize * 2)?;
        }
        malformed(format!("bootstrap method {index} out of range"))
    }

    fn method_handle(&self, index: u16) -> ClassResult<MemberRefOrHandle<'a>> {
        let mut r = self.pool.entry(index, 15)?;
        let _kind = r.u8()?;
        Ok(MemberRefOrHandle(self.pool.member_ref(r.u16()?)?))
    }
}

/// The method a bootstrap method handle points at.
pub struct MemberRefOrHandle<'a>(pub MemberRef<'a>);

fn parse_attributes<'a>(
    r: &mut Reader<'a>,
    pool: &ConstantPool<'a>,
) -> ClassResult<Vec<(Cow<'a, str>, &'a [u8])>> {
    let count = r.u16()?;
    let mut attributes = Vec::with_capacity(count.min(64) as usize);
    for _ in 0..count {
        let name = pool.utf8(r.u16()?)?;
        let len = r.u32()? as usize;
        attributes.push((name, r.take(len)?));
    }
    Ok(attributes)
}

fn parse_members<'a>(r: &mut Reader<'a>, pool: &ConstantPool<'a>) -> ClassResult<Vec<Member<'a>>> {
    let count = r.u16()?;
    let mut members = Vec::with_capacity(count.min(1024) as usize);
    for _ in 0..count {
        let access = r.u16()?;
        let name = pool.utf8(r.u16()?)?;
        let descriptor = pool.utf8(r.u16()?)?;
        let attributes = parse_attributes(r, pool)?;
        members.push(Member {
            access,
            name,
            descriptor,
            attributes,
        });
    }
    Ok(members)
}

/// Number of argument values a method descriptor takes, and whether it returns a value.
pub fn descriptor_arity(descriptor: &str) -> (usize, bool) {
    let bytes = descriptor.as_bytes();
    let mut i = 1; // skip '('
    let mut count = 0;
    while i < bytes.len() && bytes[i] != b')' {
        while i < bytes.len() && bytes[i] == b'[' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'L' {
            while i < bytes.len() && bytes[i] != b';' {
                i += 1;
            }
        }
        i += 1;
        count += 1;
    }
    let returns = bytes.get(i + 1).is_some_and(|&c| c != b'V');
    (count, returns)
}

/// Operand-stack words (1, or 2 for `J`/`D`) of each argument of a method descriptor, and of
/// its result (`None` for `V`). `None` for a malformed descriptor.
pub fn descriptor_words(descriptor: &str) -> Option<(Vec<u8>, Option<u8>)> {
    let bytes = descriptor.as_bytes();
    let mut i = 1;
    if bytes.first() != Some(&b'(') {
        return None;
    }
    let mut args = Vec::new();
    let one_type = |i: &mut usize| -> Option<u8> {
        let mut array = false;
        while bytes.get(*i) == Some(&b'[') {
            array = true;
            *i += 1;
        }
        let c = *bytes.get(*i)?;
        if c == b'L' {
            *i += bytes[*i..].iter().position(|&b| b == b';')?;
        } else if !b"BCDFIJSZ".contains(&c) {
            return None;
        }
        *i += 1;
        Some(if !array && (c == b'J' || c == b'D') {
            2
        } else {
            1
        })
    };
    while bytes.get(i) != Some(&b')') {
        args.push(one_type(&mut i)?);
    }
    i += 1;
    let result = if bytes.get(i) == Some(&b'V') {
        None
    } else {
        Some(one_type(&mut i)?)
    };
    Some((args, result))
}

/// `Ljava/lang/String;` → `java/lang/String`; arrays and primitives give `None`.
pub fn object_type(descriptor: &str) -> Option<&str> {
    descriptor.strip_prefix('L')?.strip_suffix(';')
}

/// The element class of a CONSTANT_Class name, which may be an array descriptor (`[Lcom/x/Y;`).
pub fn element_class(name: &str) -> Option<&str> {
    let stripped = name.trim_start_matches('[');
    if stripped.len() == name.len() {
        Some(name)
    } else {
        object_type(stripped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_count_arguments() {
        assert_eq!(descriptor_arity("()V"), (0, false));
        assert_eq!(
            descriptor_arity("(Ljava/lang/String;[[IJ)Ljava/util/Set;"),
            (3, true)
        );
        assert_eq!(descriptor_arity("(I"), (1, false));
        assert_eq!(
            descriptor_words("(J[DLjava/lang/String;I)D"),
            Some((vec![2, 1, 1, 1], Some(2)))
        );
        assert_eq!(descriptor_words("()V"), Some((vec![], None)));
        assert_eq!(descriptor_words("(Q)V"), None);
        assert_eq!(descriptor_words("(Lx"), None);
        assert_eq!(element_class("[[Lcom/x/Y;"), Some("com/x/Y"));
        assert_eq!(element_class("[I"), None);
        assert_eq!(element_class("com/x/Y"), Some("com/x/Y"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(ClassFile::parse(b"").is_err());
        assert!(ClassFile::parse(&[0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52]).is_err());
        let mut bytes = vec![0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52, 0, 2, 1, 0xFF, 0xFF];
        assert!(ClassFile::parse(&bytes).is_err());
        bytes.extend([0u8; 10]);
        assert!(ClassFile::parse(&bytes).is_err());
    }
}
