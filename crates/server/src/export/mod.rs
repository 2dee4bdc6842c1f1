//! Pure writers for the formats we hand out. Each is a function from data to text, with golden
//! tests.

pub mod ics;
