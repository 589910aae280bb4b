//! Queries over a space: neighbours, analogies, vector expressions. (Placeholder until the
//! engine lands; the CLI is written against this API.)
use crate::error::{Error, Result};
use crate::space::Space;
use serde::Serialize;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hit {
    pub index: u32,
    pub score: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Add,
    Mul,
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "add" => Ok(Method::Add),
            "mul" => Ok(Method::Mul),
            _ => Err(format!("unknown method {s:?}")),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub word: String,
    pub index: Option<u32>,
    pub subword: bool,
    pub weight: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub terms: Vec<Term>,
    pub hits: Vec<Hit>,
    pub excluded: Vec<u32>,
}

pub fn similar(_: &Space, _: &[&str], _: usize) -> Result<Answer> {
    Err(Error::Invalid("todo".into()))
}
pub fn analogy(
    _: &Space,
    _: &str,
    _: &str,
    _: &str,
    _: usize,
    _: Method,
    _: bool,
) -> Result<Answer> {
    Err(Error::Invalid("todo".into()))
}
pub fn expression(_: &Space, _: &str, _: usize, _: bool) -> Result<Answer> {
    Err(Error::Invalid("todo".into()))
}
