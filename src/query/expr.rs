pub fn expression(_s: &crate::space::Space, _e: &str, _k: usize, _i: bool) -> crate::error::Result<super::Answer> { todo!() }
