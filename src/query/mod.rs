//! Queries over a space: neighbours, analogies, vector expressions.
