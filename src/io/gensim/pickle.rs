//! A Python pickle read as data: the opcodes build a tree of values in an arena; classes and
//! functions stay names (`module.name`) and calls stay records of what would have been
//! called with what. Nothing is imported, called or constructed.
use std::ops::Range;

/// An index into [`Pickle::values`].
pub type Id = usize;

/// One value of the pickle.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An integer too large for `i64` (kept as its little-endian two's complement bytes).
    BigInt,
    Float(f64),
    Str(String),
    /// Bytes of the pickle itself (`bytes` / `bytearray` payloads).
    Bytes(Range<usize>),
    List(Vec<Id>),
    Tuple(Vec<Id>),
    Dict(Vec<(Id, Id)>),
    Set(Vec<Id>),
    /// A class or function named by the pickle (`GLOBAL` / `STACK_GLOBAL`).
    Global(String, String),
    /// What `callable(*args)` (REDUCE) or `cls.__new__(cls, *args)` (NEWOBJ) would have made,
    /// with the state a later BUILD would have set.
    Object {
        callable: Id,
        args: Id,
        state: Option<Id>,
    },
}

/// A parsed pickle.
#[derive(Debug)]
pub struct Pickle {
    pub values: Vec<Value>,
    pub root: Id,
}

/// Where and why parsing stopped.
#[derive(Debug)]
pub struct PickleError {
    pub offset: usize,
    pub message: String,
}

type R<T> = std::result::Result<T, PickleError>;

struct Vm<'a> {
    b: &'a [u8],
    pos: usize,
    values: Vec<Value>,
    stack: Vec<Id>,
    marks: Vec<usize>,
    memo: hashbrown::HashMap<u64, Id>,
    /// Offset of the opcode being run.
    at: usize,
}

/// Parses `bytes` as a pickle of protocol 2 to 5.
pub fn parse(bytes: &[u8]) -> R<Pickle> {
    let mut vm = Vm {
        b: bytes,
        pos: 0,
        values: Vec::new(),
        stack: Vec::new(),
        marks: Vec::new(),
        memo: hashbrown::HashMap::new(),
        at: 0,
    };
    loop {
        vm.at = vm.pos;
        let op = vm.take(1)?[0];
        if op == b'.' {
            let root = vm.pop()?;
            return Ok(Pickle {
                values: vm.values,
                root,
            });
        }
        vm.step(op)?;
    }
}

impl<'a> Vm<'a> {
    fn err<T>(&self, message: impl Into<String>) -> R<T> {
        Err(PickleError {
            offset: self.at,
            message: message.into(),
        })
    }

    fn take(&mut self, n: usize) -> R<&'a [u8]> {
        let b: &'a [u8] = self.b;
        match b.get(self.pos..self.pos.saturating_add(n)) {
            Some(s) if self.pos.checked_add(n).is_some() => {
                self.pos += n;
                Ok(s)
            }
            _ => self.err(format!(
                "truncated pickle: {n} bytes needed at byte {}, the file has {}",
                self.pos,
                b.len()
            )),
        }
    }

    fn uint(&mut self, n: usize) -> R<u64> {
        let s = self.take(n)?;
        Ok(s.iter().rev().fold(0u64, |a, &x| (a << 8) | u64::from(x)))
    }

    fn len(&mut self, n: usize) -> R<usize> {
        let v = self.uint(n)?;
        let rest = self.b.len() - self.pos;
        match usize::try_from(v) {
            Ok(v) if v <= rest => Ok(v),
            _ => self.err(format!(
                "a length of {v} bytes, but only {rest} bytes remain"
            )),
        }
    }

    fn push(&mut self, v: Value) {
        self.values.push(v);
        self.stack.push(self.values.len() - 1);
    }

    fn pop(&mut self) -> R<Id> {
        match self.stack.pop() {
            Some(id) => Ok(id),
            None => self.err("the pickle pops from an empty stack"),
        }
    }

    fn top(&self) -> R<Id> {
        match self.stack.last() {
            Some(&id) => Ok(id),
            None => self.err("the pickle reads an empty stack"),
        }
    }

    /// The items pushed since the last MARK, removing them and the mark.
    fn pop_mark(&mut self) -> R<Vec<Id>> {
        let Some(m) = self.marks.pop() else {
            return self.err("the pickle has no MARK to pop to");
        };
        if m > self.stack.len() {
            return self.err("the pickle's stack is shorter than its MARK");
        }
        Ok(self.stack.split_off(m))
    }

    fn text(&mut self, n: usize) -> R<Value> {
        let s = self.take(n)?;
        match std::str::from_utf8(s) {
            Ok(s) => Ok(Value::Str(s.to_owned())),
            Err(_) => self.err("a string is not valid UTF-8"),
        }
    }

    fn bytes(&mut self, n: usize) -> R<Value> {
        let start = self.pos;
        self.take(n)?;
        Ok(Value::Bytes(start..start + n))
    }

    fn line(&mut self) -> R<String> {
        let rest = &self.b[self.pos..];
        let Some(end) = memchr::memchr(b'\n', rest) else {
            return self.err("a GLOBAL name has no line end");
        };
        let s = self.take(end + 1)?;
        match std::str::from_utf8(&s[..end]) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => self.err("a GLOBAL name is not valid UTF-8"),
        }
    }

    fn step(&mut self, op: u8) -> R<()> {
        match op {
            0x80 => {
                let proto = self.take(1)?[0];
                if !(2..=5).contains(&proto) {
                    return self.err(format!("pickle protocol {proto} (embx reads 2 to 5)"));
                }
            }
            0x95 => {
                self.uint(8)?; // FRAME: a size hint
            }
            b'(' => self.marks.push(self.stack.len()),
            b'N' => self.push(Value::None),
            0x88 => self.push(Value::Bool(true)),
            0x89 => self.push(Value::Bool(false)),
            b'J' => {
                let v = self.uint(4)? as u32 as i32;
                self.push(Value::Int(v.into()));
            }
            b'K' => {
                let v = self.uint(1)?;
                self.push(Value::Int(v as i64));
            }
            b'M' => {
                let v = self.uint(2)?;
                self.push(Value::Int(v as i64));
            }
            0x8a | 0x8b => {
                let n = if op == 0x8a {
                    self.len(1)?
                } else {
                    self.len(4)?
                };
                let v = self.long(n)?;
                self.push(v);
            }
            b'G' => {
                let s = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(s);
                self.push(Value::Float(f64::from_be_bytes(a)));
            }
            _ => return self.step_containers(op),
        }
        Ok(())
    }

    fn long(&mut self, n: usize) -> R<Value> {
        let s = self.take(n)?;
        if n == 0 {
            return Ok(Value::Int(0));
        }
        if n > 8 {
            return Ok(Value::BigInt);
        }
        let negative = s[n - 1] & 0x80 != 0;
        let mut a = [if negative { 0xff } else { 0 }; 8];
        a[..n].copy_from_slice(s);
        Ok(Value::Int(i64::from_le_bytes(a)))
    }

    fn step_containers(&mut self, op: u8) -> R<()> {
        match op {
            0x8c => {
                let n = self.len(1)?;
                let v = self.text(n)?;
                self.push(v);
            }
            b'X' => {
                let n = self.len(4)?;
                let v = self.text(n)?;
                self.push(v);
            }
            0x8d => {
                let n = self.len(8)?;
                let v = self.text(n)?;
                self.push(v);
            }
            b'C' | b'U' => {
                let n = self.len(1)?;
                let v = self.bytes(n)?;
                self.push(v);
            }
            b'B' | b'T' => {
                let n = self.len(4)?;
                let v = self.bytes(n)?;
                self.push(v);
            }
            0x8e | 0x96 => {
                let n = self.len(8)?;
                let v = self.bytes(n)?;
                self.push(v);
            }
            b']' => self.push(Value::List(Vec::new())),
            b'}' => self.push(Value::Dict(Vec::new())),
            b')' => self.push(Value::Tuple(Vec::new())),
            0x8f => self.push(Value::Set(Vec::new())),
            b't' => {
                let items = self.pop_mark()?;
                self.push(Value::Tuple(items));
            }
            b'l' => {
                let items = self.pop_mark()?;
                self.push(Value::List(items));
            }
            b'd' => {
                let items = self.pop_mark()?;
                let pairs = self.pairs(&items)?;
                self.push(Value::Dict(pairs));
            }
            0x91 => {
                let items = self.pop_mark()?;
                self.push(Value::Set(items));
            }
            0x85..=0x87 => {
                let n = usize::from(op - 0x84);
                if self.stack.len() < n {
                    return self.err("the pickle builds a tuple from an empty stack");
                }
                let items = self.stack.split_off(self.stack.len() - n);
                self.push(Value::Tuple(items));
            }
            _ => return self.step_mutations(op),
        }
        Ok(())
    }

    fn pairs(&self, items: &[Id]) -> R<Vec<(Id, Id)>> {
        if !items.len().is_multiple_of(2) {
            return self.err("a dictionary with an odd number of items");
        }
        Ok(items.chunks_exact(2).map(|p| (p[0], p[1])).collect())
    }
}

mod access;
mod ops;

#[cfg(test)]
mod tests;
