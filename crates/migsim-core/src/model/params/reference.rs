//! The reference of every declared key, for `migsim params` and the README.

use crate::declare::ParamDoc;

/// Every parameter key a scenario can state, in the order of a scenario
/// file (`[uncertainty]`, read by the scenario layer, apart).
pub fn reference() -> Vec<ParamDoc> {
    use crate::declare::reference as of;
    use crate::params::*;
    let mut out = Vec::new();
    out.extend(of::<Meta>("scenario"));
    out.extend(of::<Time>("time"));
    out.extend(of::<Population>("population"));
    out.extend(of::<Region>("regions.*"));
    out.extend(of::<Destination>("destinations.*"));
    out.extend(of::<Mortality>("mortality"));
    out.extend(of::<Fertility>("fertility"));
    out.extend(of::<Education>("education"));
    out.extend(of::<Emigration>("emigration"));
    out.extend(of::<Returns>("returns"));
    out.extend(of::<Internal>("internal"));
    out.extend(of::<ImmigrantStream>("immigration.*"));
    out.extend(of::<ForeignWorkers>("foreign_workers"));
    out.extend(of::<Economy>("economy"));
    out.extend(of::<Remittances>("remittances"));
    out.extend(Lever::reference());
    out.extend(ShockEvent::reference());
    out.extend(of::<TargetSpec>("targets.*"));
    out.extend(of::<crate::model::levers::Counterfactual>("counterfactual"));
    out.extend(of::<Backtest>("backtest"));
    out
}
