//! One output line: the contract's decision object ("Decision JSON" in product.md).
//!
//! [`write_line`] is the only place that knows the fields and their order; a new field (e.g. a
//! `screening` object) goes there, once, for valid and invalid rows alike.

use super::RunContext;
use super::findings::FindingCache;
use super::json;
use crate::rules::decision::Decision;
use crate::rules::{FindingContext, Screening};

/// What a row came to.
pub enum Outcome<'a> {
    /// The decision (its own `findings` are not read), its findings as indices into the
    /// cache's table, and the context its findings are read in (the order, its screening).
    Decided {
        decision: &'a Decision,
        findings: &'a [u32],
        ctx: FindingContext<'a>,
    },
    /// The row could not be read as an order; the message names the row and the fields.
    Invalid(&'a str),
}

/// One row to render. Text that goes into the line verbatim is already JSON-escaped.
pub struct Line<'a> {
    /// The row's id, escaped.
    pub id: &'a [u8],
    pub outcome: Outcome<'a>,
    /// Finding objects about the input rather than the rule (`DUPLICATE_ID`,
    /// `RULESET_DIFFERS`), rendered, appended after the engine's findings.
    pub extra_findings: &'a [&'a [u8]],
}

/// Appends the line's JSON object and a newline to `out`.
pub fn write_line(out: &mut Vec<u8>, run: &RunContext, cache: &mut FindingCache, line: &Line) {
    let engine = run.engine;
    let (decision, engine_findings, ctx) = match &line.outcome {
        Outcome::Decided {
            decision,
            findings,
            ctx,
        } => (Some(*decision), *findings, Some(ctx)),
        Outcome::Invalid(_) => (None, &[][..], None),
    };
    out.extend_from_slice(b"{\"id\":\"");
    out.extend_from_slice(line.id);
    out.extend_from_slice(b"\",\"tier\":");
    match decision {
        Some(d) => json::uint(out, u64::from(d.tier.number())),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"verdict\":");
    json::plain(out, decision.map_or("invalid", |d| d.verdict.as_str()));
    out.extend_from_slice(b",\"authority\":");
    json::plain(out, decision.map_or("none", |d| d.authority.as_str()));
    out.extend_from_slice(b",\"eccn\":");
    match decision.and_then(|d| d.eccn) {
        Some(e) => json::plain(out, e.as_str()),
        None => out.extend_from_slice(b"null"),
    }
    let tpp = decision.map_or(0, |d| d.tpp);
    out.extend_from_slice(b",\"tpp\":");
    json::uint(out, tpp);
    out.extend_from_slice(b",\"h100e\":");
    // Three decimals, as before: TPP ÷ 15,832 rounded for display.
    let h100e = decision.map_or(0.0, |_| {
        (engine.ruleset().h100e(tpp) * 1000.0).round() / 1000.0
    });
    json::float(out, h100e);
    out.extend_from_slice(b",\"counts_against_allocation\":");
    json::boolean(out, decision.is_some_and(|d| d.counts_against_allocation()));
    out.extend_from_slice(b",\"allocation_remaining_tpp\":");
    json::opt_uint(out, decision.and_then(|d| d.allocation_remaining_tpp));
    if let (Some(d), Some(ctx)) = (decision, ctx)
        && let Some(status) = d.screening
    {
        write_screening(out, status, ctx.screening);
    }
    out.extend_from_slice(b",\"findings\":[");
    if let Some(ctx) = ctx {
        let mut consignee = Vec::with_capacity(ctx.order.consignee.len());
        json::escape_into(&mut consignee, &ctx.order.consignee);
        for (i, &f) in engine_findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            cache.write(out, f, &consignee, ctx);
        }
    }
    for (i, f) in line.extra_findings.iter().enumerate() {
        if i > 0 || !engine_findings.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(f);
    }
    out.push(b']');
    if let Outcome::Invalid(message) = line.outcome {
        out.extend_from_slice(b",\"message\":");
        json::string(out, message);
    }
    if let Some(draw) = decision.and_then(|d| d.draw) {
        out.extend_from_slice(b",\"draw\":{\"ledger\":");
        json::plain(out, draw.ledger.as_str());
        out.extend_from_slice(b",\"limit_tpp\":");
        json::opt_uint(out, draw.limit);
        out.extend_from_slice(b",\"remaining_before_tpp\":");
        json::opt_uint(out, draw.remaining_before());
        out.extend_from_slice(b",\"amount_tpp\":");
        json::uint(out, draw.amount);
        out.extend_from_slice(b",\"remaining_after_tpp\":");
        json::opt_uint(out, draw.remaining_after());
        out.push(b'}');
    }
    out.extend_from_slice(b"}\n");
}

/// `"screening":{"status":…,"list_vintage":…,"matches":[{party, list, entry_name, entity_number,
/// score, why}]}` ("Decision JSON" in product.md), with each match's role and what a person
/// decided about it.
fn write_screening(
    out: &mut Vec<u8>,
    status: crate::rules::ScreeningStatus,
    screening: Option<&Screening>,
) {
    out.extend_from_slice(b",\"screening\":{\"status\":");
    json::plain(out, status.as_str());
    out.extend_from_slice(b",\"list_vintage\":");
    json::string(out, screening.map_or("", |s| s.list_vintage.as_str()));
    out.extend_from_slice(b",\"matches\":[");
    for (i, h) in screening
        .map_or(&[][..], |s| &s.hits[..])
        .iter()
        .enumerate()
    {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"party\":");
        json::string(out, &h.party);
        out.extend_from_slice(b",\"role\":");
        json::plain(out, h.role.as_str());
        out.extend_from_slice(b",\"list\":");
        json::string(out, &h.list.short);
        out.extend_from_slice(b",\"entry_name\":");
        json::string(out, &h.entry_name);
        out.extend_from_slice(b",\"entity_number\":");
        match &h.entity_number {
            Some(n) => json::string(out, n),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"score\":");
        json::float(out, (h.score * 1000.0).round() / 1000.0);
        out.extend_from_slice(b",\"why\":");
        json::string(out, &h.why);
        out.extend_from_slice(b",\"state\":");
        json::plain(
            out,
            match h.state {
                crate::rules::HitState::Open => "open",
                crate::rules::HitState::Cleared { .. } => "cleared",
                crate::rules::HitState::Confirmed { .. } => "confirmed",
            },
        );
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// A finding about the input rather than the rule: `{"code":…,"severity":"warning",…}`.
pub fn input_finding(code: &str, cite: &str, message: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + message.len());
    out.extend_from_slice(b"{\"code\":");
    json::plain(&mut out, code);
    out.extend_from_slice(b",\"severity\":\"warning\",\"cite\":");
    json::string(&mut out, cite);
    // These facts are read off the input itself, not from a reading of the rule.
    out.extend_from_slice(b",\"confidence\":\"PRIMARY\",\"message\":");
    json::string(&mut out, message);
    out.push(b'}');
    out
}

/// `DUPLICATE_ID`: the row's id was used by the `first` row ("row 3 (line 4)", "order 3").
pub fn duplicate_id_finding(first: &impl std::fmt::Display) -> Vec<u8> {
    input_finding(
        "DUPLICATE_ID",
        "input: id column",
        &format!(
            "Same id as {first}: ids should be unique; both are evaluated as separate orders."
        ),
    )
}
