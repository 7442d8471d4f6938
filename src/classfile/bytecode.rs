//! Decodes a method's bytecode into instructions (opcode, operand bytes). Only the operand
//! layout is known here; [`super::interp`] gives meaning to the few opcodes the audit follows.

use super::{malformed, ClassResult, Reader};

pub mod op {
    pub const ACONST_NULL: u8 = 0x01;
    pub const ICONST_M1: u8 = 0x02;
    pub const ICONST_5: u8 = 0x08;
    pub const LCONST_0: u8 = 0x09;
    pub const LCONST_1: u8 = 0x0a;
    pub const FCONST_0: u8 = 0x0b;
    pub const DCONST_1: u8 = 0x0f;
    pub const BIPUSH: u8 = 0x10;
    pub const SIPUSH: u8 = 0x11;
    pub const LDC: u8 = 0x12;
    pub const LDC_W: u8 = 0x13;
    pub const LDC2_W: u8 = 0x14;
    pub const ALOAD: u8 = 0x19;
    pub const ALOAD_0: u8 = 0x2a;
    pub const ALOAD_3: u8 = 0x2d;
    pub const ASTORE: u8 = 0x3a;
    pub const ASTORE_0: u8 = 0x4b;
    pub const ASTORE_3: u8 = 0x4e;
    pub const AASTORE: u8 = 0x53;
    pub const POP: u8 = 0x57;
    pub const POP2: u8 = 0x58;
    pub const DUP: u8 = 0x59;
    pub const ARETURN: u8 = 0xb0;
    pub const RETURN: u8 = 0xb1;
    pub const GETSTATIC: u8 = 0xb2;
    pub const PUTSTATIC: u8 = 0xb3;
    pub const GETFIELD: u8 = 0xb4;
    pub const PUTFIELD: u8 = 0xb5;
    pub const INVOKEVIRTUAL: u8 = 0xb6;
    pub const INVOKESPECIAL: u8 = 0xb7;
    pub const INVOKESTATIC: u8 = 0xb8;
    pub const INVOKEINTERFACE: u8 = 0xb9;
    pub const INVOKEDYNAMIC: u8 = 0xba;
    pub const NEW: u8 = 0xbb;
    pub const NEWARRAY: u8 = 0xbc;
    pub const ANEWARRAY: u8 = 0xbd;
    pub const CHECKCAST: u8 = 0xc0;
    pub const INSTANCEOF: u8 = 0xc1;
    pub const WIDE: u8 = 0xc4;
    pub const MULTIANEWARRAY: u8 = 0xc5;
    pub const TABLESWITCH: u8 = 0xaa;
    pub const LOOKUPSWITCH: u8 = 0xab;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instruction<'a> {
    pub pc: usize,
    pub opcode: u8,
    /// Operand bytes after the opcode (after the modified opcode for `wide`).
    pub operands: &'a [u8],
    /// For `wide`, the opcode it widens.
    pub widened: Option<u8>,
}

impl Instruction<'_> {
    /// The big-endian u16 operand of a constant-pool instruction (`ldc` has a u8 index).
    pub fn pool_index(&self) -> u16 {
        match (self.opcode, self.operands) {
            (op::LDC, [i, ..]) => u16::from(*i),
            (_, [a, b, ..]) => u16::from_be_bytes([*a, *b]),
            _ => 0,
        }
    }

    /// The local variable an `aload`/`astore` (plain, `_0`…`_3`, or `wide`) addresses.
    pub fn local_slot(&self) -> u16 {
        match self.opcode {
            op::ALOAD_0..=op::ALOAD_3 => u16::from(self.opcode - op::ALOAD_0),
            op::ASTORE_0..=op::ASTORE_3 => u16::from(self.opcode - op::ASTORE_0),
            _ => self.local_index(),
        }
    }

    /// The local-variable index of a load/store (`wide` gives a u16).
    pub fn local_index(&self) -> u16 {
        match (self.widened, self.operands) {
            (Some(_), [a, b, ..]) => u16::from_be_bytes([*a, *b]),
            (None, [i, ..]) => u16::from(*i),
            _ => 0,
        }
    }
}

impl Instruction<'_> {
    /// Where a branch or switch may jump (absolute pcs); empty for every other instruction.
    pub fn branch_targets(&self) -> Vec<usize> {
        let at = |offset: i64| usize::try_from(self.pc as i64 + offset).ok();
        let be32 = |b: &[u8]| i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        match (self.opcode, self.operands) {
            (0x99..=0xa8 | 0xc6 | 0xc7, [a, b, ..]) => at(i64::from(i16::from_be_bytes([*a, *b])))
                .into_iter()
                .collect(),
            (0xc8 | 0xc9, [a, b, c, d, ..]) => at(be32(&[*a, *b, *c, *d])).into_iter().collect(),
            (op::TABLESWITCH | op::LOOKUPSWITCH, operands) => {
                let padding = (4 - ((self.pc + 1) % 4)) % 4;
                let words: Vec<i64> = operands
                    .get(padding..)
                    .unwrap_or(&[])
                    .chunks_exact(4)
                    .map(be32)
                    .collect();
                let offsets: Vec<i64> = if self.opcode == op::TABLESWITCH {
                    // default, low, high, offsets…
                    words
                        .iter()
                        .take(1)
                        .chain(words.iter().skip(3))
                        .copied()
                        .collect()
                } else {
                    // default, npairs, (match, offset)…
                    words
                        .iter()
                        .take(1)
                        .chain(words.iter().skip(2).skip(1).step_by(2))
                        .copied()
                        .collect()
                };
                offsets.into_iter().filter_map(at).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether execution never falls through to the next instruction.
    pub fn ends_block(&self) -> bool {
        matches!(
            self.opcode,
            0xa7 | 0xa9 | 0xc8 | op::TABLESWITCH | op::LOOKUPSWITCH | 0xac..=op::RETURN | 0xbf
        )
    }
}

/// Operand length of fixed-size opcodes; `None` for unassigned opcodes and the variable-size ones.
fn operand_len(opcode: u8) -> Option<usize> {
    Some(match opcode {
        0x00..=0x0f => 0,
        0x10 => 1,
        0x11 => 2,
        0x12 => 1,
        0x13 | 0x14 => 2,
        0x15..=0x19 => 1,
        0x1a..=0x35 => 0,
        0x36..=0x3a => 1,
        0x3b..=0x83 => 0,
        0x84 => 2,
        0x85..=0x98 => 0,
        0x99..=0xa8 => 2,
        0xa9 => 1,
        0xac..=0xb1 => 0,
        0xb2..=0xb8 => 2,
        0xb9 | 0xba => 4,
        0xbb => 2,
        0xbc => 1,
        0xbd => 2,
        0xbe | 0xbf => 0,
        0xc0 | 0xc1 => 2,
        0xc2 | 0xc3 => 0,
        0xc5 => 3,
        0xc6 | 0xc7 => 2,
        0xc8 | 0xc9 => 4,
        _ => return None,
    })
}

/// Iterates over the instructions of one method body; stops with an error at the first
/// malformed instruction.
pub struct Instructions<'a> {
    code: &'a [u8],
    reader: Reader<'a>,
    failed: bool,
}

pub fn instructions(code: &[u8]) -> Instructions<'_> {
    Instructions {
        code,
        reader: Reader::new(code),
        failed: false,
    }
}

impl<'a> Instructions<'a> {
    fn decode(&mut self) -> ClassResult<Instruction<'a>> {
        let pc = self.reader.pos();
        let opcode = self.reader.u8()?;
        let (operands, widened) = match opcode {
            op::TABLESWITCH | op::LOOKUPSWITCH => {
                let start = self.reader.pos();
                let padding = (4 - (start % 4)) % 4;
                self.reader.take(padding)?;
                let _default = self.reader.i32()?;
                let count = if opcode == op::TABLESWITCH {
                    let low = self.reader.i32()? as i64;
                    let high = self.reader.i32()? as i64;
                    if high < low {
                        return malformed(format!("tableswitch at {pc} has high < low"));
                    }
                    (high - low + 1) as usize
                } else {
                    self.reader.i32()?.max(0) as usize * 2
                };
                self.reader.take(count.saturating_mul(4))?;
                (&self.code[start..self.reader.pos()], None)
            }
            op::WIDE => {
                let widened = self.reader.u8()?;
                let len = if widened == 0x84 { 4 } else { 2 };
                (self.reader.take(len)?, Some(widened))
            }
            other => match operand_len(other) {
                Some(len) => (self.reader.take(len)?, None),
                None => return malformed(format!("invalid opcode 0x{other:02x} at {pc}")),
            },
        };
        Ok(Instruction {
            pc,
            opcode,
            operands,
            widened,
        })
    }
}

impl<'a> Iterator for Instructions<'a> {
    type Item = ClassResult<Instruction<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.reader.pos() >= self.code.len() {
            return None;
        }
        let result = self.decode();
        self.failed = result.is_err();
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_fixed_switch_and_wide_instructions() {
        // ldc 3; tableswitch (pc 2, padded to 4) default 0 low 0 high 1 + 2 offsets; wide aload 300; areturn
        let mut code = vec![
            0x12, 3, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        code.extend([0xc4, 0x19, 0x01, 0x2c, 0xb0]);
        let decoded: Vec<_> = instructions(&code).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            decoded.iter().map(|i| i.opcode).collect::<Vec<_>>(),
            vec![0x12, 0xaa, 0xc4, 0xb0]
        );
        assert_eq!(decoded[0].pool_index(), 3);
        // tableswitch at pc 2: default +0, targets +0 and +0 → pc 2
        assert_eq!(decoded[1].branch_targets(), vec![2, 2, 2]);
        let goto_back: Vec<_> = instructions(&[0x00, 0xa7, 0xff, 0xff])
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(goto_back[1].branch_targets(), vec![0]);
        assert!(goto_back[1].ends_block());
        assert_eq!(decoded[2].local_index(), 300);
    }

    #[test]
    fn stops_at_invalid_or_truncated_code() {
        let results: Vec<_> = instructions(&[0x00, 0xfe, 0x00]).collect();
        assert_eq!(results.len(), 2);
        assert!(results[1].is_err());
        assert!(instructions(&[0xb2, 0x00]).next().unwrap().is_err());
        assert!(
            instructions(&[0xaa, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])
                .next()
                .unwrap()
                .is_err()
        );
    }
}
