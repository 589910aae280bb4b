//! The opcodes that change containers, name classes, record calls and use the memo.
use super::{Id, Value, Vm, R};

impl Vm<'_> {
    pub(super) fn step_mutations(&mut self, op: u8) -> R<()> {
        match op {
            b'a' => {
                let v = self.pop()?;
                let list = self.top()?;
                self.extend(list, vec![v])?;
            }
            b'e' | 0x90 => {
                let items = self.pop_mark()?;
                let target = self.top()?;
                self.extend(target, items)?;
            }
            b's' => {
                let v = self.pop()?;
                let k = self.pop()?;
                let dict = self.top()?;
                self.set_items(dict, vec![(k, v)])?;
            }
            b'u' => {
                let items = self.pop_mark()?;
                let pairs = self.pairs(&items)?;
                let dict = self.top()?;
                self.set_items(dict, pairs)?;
            }
            _ => return self.step_objects(op),
        }
        Ok(())
    }

    fn extend(&mut self, target: Id, items: Vec<Id>) -> R<()> {
        match &mut self.values[target] {
            Value::List(v) | Value::Set(v) => {
                v.extend(items);
                Ok(())
            }
            _ => self.err("the pickle appends to something that is not a list"),
        }
    }

    fn set_items(&mut self, target: Id, pairs: Vec<(Id, Id)>) -> R<()> {
        match &mut self.values[target] {
            Value::Dict(v) => {
                v.extend(pairs);
                Ok(())
            }
            _ => self.err("the pickle sets items on something that is not a dictionary"),
        }
    }

    fn step_objects(&mut self, op: u8) -> R<()> {
        match op {
            b'c' => {
                let module = self.line()?;
                let name = self.line()?;
                self.push(Value::Global(module, name));
            }
            0x93 => {
                let name = self.pop()?;
                let module = self.pop()?;
                match (&self.values[module], &self.values[name]) {
                    (Value::Str(m), Value::Str(n)) => {
                        let g = Value::Global(m.clone(), n.clone());
                        self.push(g);
                    }
                    _ => return self.err("STACK_GLOBAL needs two strings"),
                }
            }
            b'R' | 0x81 => {
                let args = self.pop()?;
                let callable = self.pop()?;
                self.push(Value::Object {
                    callable,
                    args,
                    state: None,
                });
            }
            0x92 => {
                let _kwargs = self.pop()?;
                let args = self.pop()?;
                let callable = self.pop()?;
                self.push(Value::Object {
                    callable,
                    args,
                    state: None,
                });
            }
            b'b' => {
                let state = self.pop()?;
                let obj = self.top()?;
                match &mut self.values[obj] {
                    Value::Object { state: s, .. } => *s = Some(state),
                    _ => return self.err("BUILD on something that is not an object"),
                }
            }
            _ => return self.step_memo(op),
        }
        Ok(())
    }

    fn step_memo(&mut self, op: u8) -> R<()> {
        match op {
            0x94 => {
                let id = self.top()?;
                let key = self.memo.len() as u64;
                self.memo.insert(key, id);
            }
            b'q' | b'r' => {
                let key = if op == b'q' {
                    self.uint(1)?
                } else {
                    self.uint(4)?
                };
                let id = self.top()?;
                self.memo.insert(key, id);
            }
            b'h' | b'j' => {
                let key = if op == b'h' {
                    self.uint(1)?
                } else {
                    self.uint(4)?
                };
                match self.memo.get(&key) {
                    Some(&id) => self.stack.push(id),
                    None => return self.err(format!("memo entry {key} is read before it is set")),
                }
            }
            b'0' => {
                self.pop()?;
            }
            b'1' => {
                self.pop_mark()?;
            }
            b'2' => {
                let id = self.top()?;
                self.stack.push(id);
            }
            0x97 => return self.err("out-of-band buffers (pickle protocol 5) are not supported"),
            _ => {
                return self.err(format!(
                    "pickle opcode 0x{op:02x} is not one that saved data uses"
                ))
            }
        }
        Ok(())
    }
}
