//! Looking things up in a parsed pickle.
use super::{Id, Pickle, Value};

impl Pickle {
    /// The value `id`.
    pub fn get(&self, id: Id) -> &Value {
        &self.values[id]
    }

    /// The string `id` holds, if it is one.
    pub fn str(&self, id: Id) -> Option<&str> {
        match self.get(id) {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// `dict[key]` for a dictionary with string keys.
    pub fn item(&self, dict: Id, key: &str) -> Option<Id> {
        match self.get(dict) {
            Value::Dict(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| self.str(*k) == Some(key))
                .map(|&(_, v)| v),
            _ => None,
        }
    }

    /// The `module.name` of an object's class or callable.
    pub fn class_of(&self, obj: Id) -> Option<String> {
        match self.get(obj) {
            Value::Object { callable, .. } => match self.get(*callable) {
                Value::Global(m, n) => Some(format!("{m}.{n}")),
                _ => None,
            },
            _ => None,
        }
    }

    /// The state dictionary an object was built with.
    pub fn state(&self, obj: Id) -> Option<Id> {
        match self.get(obj) {
            Value::Object { state: Some(s), .. } => Some(*s),
            _ => None,
        }
    }

    /// The items of a list or tuple.
    pub fn items(&self, id: Id) -> Option<&[Id]> {
        match self.get(id) {
            Value::List(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }

    /// The integer `id` holds.
    pub fn int(&self, id: Id) -> Option<i64> {
        match self.get(id) {
            Value::Int(v) => Some(*v),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }
}
