//! The facts of CloudTrail itself, each declared once: the envelopes events arrive in
//! (`envelope`), the calls that issue credentials (`kind`), IAM's remediation facts (`iam`), the writes that persist and the calls that touch data (`persistence`), what marks a console session
//! (`console`), and what identifiers say by
//! their shape (`ids`). Below the loader, the index and the lineage: all of them read these.

pub mod console;
pub mod envelope;
pub mod iam;
pub mod ids;
pub mod kind;
pub mod persistence;
