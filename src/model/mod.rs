//! The typed org model: configuration and state merged into one set of org objects.
//!
//! Every object keeps where each of its facts came from: the configuration (a managed resource,
//! evaluated) and any number of state inputs. The configuration wins for the attributes it sets; an
//! attribute it leaves unset (notably a queue's `wrapup_codes`, DOMAIN.md section 1) comes from state.
//! Indexes by id, address and name are built once; rules borrow the model and never clone it.

pub mod api_use;
mod build;
pub mod flows;
pub mod keep;
pub mod matrix;
mod names;
mod refs;
pub mod resolve;
mod usage;

// Hashing dominates lookups by id, address and name on large configurations; none of these keys
// come from an adversary who could exploit a fast non-keyed hash (and the inputs are the user's).
use rustc_hash::FxHashMap;
use std::path::PathBuf;
use std::sync::Arc;

use smol_str::SmolStr;

pub use build::{BuildInput, Evaluated, build, evaluate, finish};
pub use refs::{IdRef, IdRefView};
pub use resolve::{Assignment, Missing, Ref, Target};
pub use usage::{Offer, UsageKind, WrapupUsage};

use crate::diagnostic::{Location, OrgObject};
use crate::load::StateKind;
use crate::source::Span;
use crate::value::{InstanceId, Val};

/// Index of an object in [`Model::objects`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjId(pub u32);

/// Terraform resource types cxlint understands.
pub mod types {
    pub const WRAPUP_CODE: &str = "genesyscloud_routing_wrapupcode";
    pub const QUEUE: &str = "genesyscloud_routing_queue";
    pub const OUTBOUND_RULESET: &str = "genesyscloud_outbound_ruleset";
    pub const OUTBOUND_CAMPAIGN: &str = "genesyscloud_outbound_campaign";
    pub const OUTBOUND_WRAPUP_MAPPINGS: &str = "genesyscloud_outbound_wrapupcodemappings";
    pub const RETENTION_POLICY: &str = "genesyscloud_recording_media_retention_policy";
    pub const TRIGGER: &str = "genesyscloud_processautomation_trigger";
    pub const FLOW: &str = "genesyscloud_flow";
    pub const DATA_ACTION: &str = "genesyscloud_integration_action";
    pub const INTEGRATION: &str = "genesyscloud_integration";
    pub const CREDENTIAL: &str = "genesyscloud_integration_credential";
    pub const OAUTH_CLIENT: &str = "genesyscloud_oauth_client";
    pub const ROLE: &str = "genesyscloud_auth_role";
    pub const DIVISION: &str = "genesyscloud_auth_division";
    pub const EMAIL_ROUTE: &str = "genesyscloud_routing_email_route";
    pub const WORKTYPE: &str = "genesyscloud_task_management_worktype";
    pub const IVR: &str = "genesyscloud_architect_ivr";
    pub const CONDITIONAL_GROUP_ROUTING: &str =
        "genesyscloud_routing_queue_conditional_group_routing";

    /// A short human name for a type, for messages (`queue`, `wrap-up code`).
    pub fn noun(rtype: &str) -> &str {
        match rtype {
            WRAPUP_CODE => "wrap-up code",
            QUEUE => "queue",
            OUTBOUND_RULESET => "outbound rule set",
            OUTBOUND_CAMPAIGN => "outbound campaign",
            OUTBOUND_WRAPUP_MAPPINGS => "outbound wrap-up code mappings",
            RETENTION_POLICY => "retention policy",
            TRIGGER => "trigger",
            FLOW => "flow",
            DATA_ACTION => "data action",
            INTEGRATION => "integration",
            CREDENTIAL => "integration credential",
            OAUTH_CLIENT => "OAuth client",
            ROLE => "role",
            DIVISION => "division",
            IVR => "IVR",
            "genesyscloud_architect_schedules" => "schedule",
            "genesyscloud_architect_schedulegroups" => "schedule group",
            other => other.strip_prefix("genesyscloud_").unwrap_or(other),
        }
    }

    /// A noun with its indefinite article: `a queue`, `an OAuth client`, `an IVR`.
    pub fn a(noun: &str) -> String {
        let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
        format!("{} {noun}", if vowel { "an" } else { "a" })
    }

    /// The kind name used for org objects in JSON output (`"object": {"kind": ...}`).
    pub fn kind(rtype: &str) -> &'static str {
        match rtype {
            WRAPUP_CODE => "wrapup-code",
            QUEUE => "queue",
            OUTBOUND_RULESET => "outbound-ruleset",
            OUTBOUND_CAMPAIGN => "outbound-campaign",
            RETENTION_POLICY => "retention-policy",
            TRIGGER => "trigger",
            FLOW => "flow",
            DATA_ACTION => "data-action",
            INTEGRATION => "integration",
            CREDENTIAL => "integration-credential",
            OAUTH_CLIENT => "oauth-client",
            ROLE => "role",
            DIVISION => "division",
            _ => "object",
        }
    }

    /// Types whose `name` is unique in an org, so objects can be matched across inputs by name.
    pub fn name_is_unique(rtype: &str) -> bool {
        matches!(
            rtype,
            WRAPUP_CODE
                | QUEUE
                | OAUTH_CLIENT
                | ROLE
                | DIVISION
                | OUTBOUND_RULESET
                | OUTBOUND_CAMPAIGN
        )
    }
}

/// The configuration's view of an object: a managed resource instance.
#[derive(Debug, Clone)]
pub struct ConfigPart {
    pub instance: InstanceId,
    /// The evaluated body: attributes and nested blocks (as lists of objects).
    pub attrs: Val,
    /// `resource "type" "name"`.
    pub header: Span,
    /// The whole block.
    pub block: Span,
    /// The root module directory this instance belongs to (relative paths resolve against it).
    pub root_dir: std::sync::Arc<std::path::Path>,
    /// The provider configuration it is managed with, as the root module names it
    /// (`genesyscloud.emea`), or `None` for the root's default one. With `root_dir`, which org
    /// it goes to: a root module can manage several orgs through provider aliases.
    pub provider: Option<crate::ir::Name>,
}

/// One state input's view of an object.
#[derive(Debug, Clone)]
pub struct StatePart {
    /// Index into [`Model::state_inputs`].
    pub input: usize,
    /// Shared with the object and [`Model::by_address`] when the state created the object.
    pub address: Arc<str>,
    pub attrs: Val,
    pub span: Option<Span>,
}

/// Where an attribute's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactSource {
    Config,
    State(usize),
}

/// An org object.
#[derive(Debug, Clone)]
pub struct Object {
    /// Interned ([`crate::ir::Name`]): 8 bytes where a `SmolStr` (which shared the
    /// declaration's) took 24, so an object is 192 bytes instead of 208 (17,000 objects at
    /// 10 MB, made during the evaluation and kept to the end of the run).
    pub rtype: crate::ir::Name,
    /// The Terraform address: the configuration's if managed there, else the state's. Shared
    /// with the evaluated instance and [`Model::by_address`].
    pub address: Arc<str>,
    /// Shared with the evaluated `name` string.
    pub name: Option<SmolStr>,
    /// The Genesys id, when a state input records it.
    pub id: Option<String>,
    pub config: Option<ConfigPart>,
    pub state: Vec<StatePart>,
}

/// Which org a configuration object or lookup goes to, as far as the configuration tells: its
/// root module directory and provider configuration. The same key, the same org; different keys
/// may still be the same org (two root modules applied to one).
pub type OrgKey<'a> = (&'a std::path::Path, Option<&'a str>);

impl ConfigPart {
    pub fn org_key(&self) -> OrgKey<'_> {
        (&self.root_dir, self.provider.as_deref())
    }
}

impl DataLookup {
    pub fn org_key(&self) -> OrgKey<'_> {
        (&self.root_dir, self.provider.as_deref())
    }
}

/// The provider a resource type belongs to by default: its name's first word
/// (`genesyscloud_routing_queue` -> `genesyscloud`).
pub fn default_provider(rtype: &str) -> &str {
    rtype.split('_').next().unwrap_or_default()
}

impl Object {
    /// An attribute: the configuration's when it sets it, else the first state input's.
    pub fn attr(&self, name: &str) -> Option<(&Val, FactSource)> {
        self.assert_kept(name);
        if let Some(v) = self.config.as_ref().and_then(|c| c.attrs.get_set(name)) {
            return Some((v, FactSource::Config));
        }
        self.state.iter().find_map(|s| {
            s.attrs
                .get_set(name)
                .map(|v| (v, FactSource::State(s.input)))
        })
    }

    /// Nested blocks (config first, else state), e.g. `rules`, `roles`, `permission_policies`.
    pub fn blocks(&self, name: &str) -> Vec<&Val> {
        self.assert_kept(name);
        if let Some(c) = &self.config {
            if c.attrs.get(name).is_some() {
                return c.attrs.blocks(name);
            }
        }
        self.state
            .iter()
            .map(|s| s.attrs.blocks(name))
            .find(|b| !b.is_empty())
            .unwrap_or_default()
    }

    /// Every reader of an attribute must find it kept (see [`keep`]): in debug builds, and so in
    /// every test, reading one the model drops fails at once instead of finding nothing.
    fn assert_kept(&self, name: &str) {
        debug_assert!(
            keep::is_read(&self.rtype, name),
            "`{name}` of `{}` is read, but the model does not keep it: list it in model/keep.rs",
            self.rtype
        );
    }

    pub fn str_attr(&self, name: &str) -> Option<&str> {
        self.attr(name).and_then(|(v, _)| v.as_str())
    }

    /// Is this object managed by the configuration being checked?
    pub fn is_managed(&self) -> bool {
        self.config.is_some()
    }

    /// What `.cxlint.toml` may name the object by: its Terraform address, name and id.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        [
            Some(&*self.address),
            self.name.as_deref(),
            self.id.as_deref(),
        ]
        .into_iter()
        .flatten()
    }

    /// Display name: `name` if known, else the address.
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.address)
    }

    /// The best place to point at for this object as a whole.
    pub fn location(&self) -> Location {
        if let Some(c) = &self.config {
            return Location::Source(c.header);
        }
        if let Some(span) = self.state.iter().find_map(|s| s.span) {
            return Location::Source(span);
        }
        Location::Org(OrgObject {
            kind: types::kind(&self.rtype).into(),
            id: self.id.clone().unwrap_or_default(),
            name: self.name.as_ref().map(SmolStr::to_string),
        })
    }

    /// The span of an attribute's value, if it has one.
    pub fn attr_span(&self, name: &str) -> Option<Span> {
        self.attr(name).and_then(|(v, _)| v.span)
    }
}

/// One state input as loaded.
#[derive(Debug, Clone)]
pub struct StateInput {
    pub kind: StateKind,
    pub path: PathBuf,
    /// Which `--state` path (in the order given) it was read from: the configuration and the
    /// `terraform.tfstate` of one export directory are two inputs from one path, one org as
    /// one export saw it.
    pub given: usize,
    /// Resource types this input lists completely (so an absent name is really absent).
    pub types: Vec<String>,
    /// Resource types this input lists with their ids (so an absent id is really absent). An
    /// export's configuration without its state knows names but no ids.
    pub id_types: Vec<String>,
    pub incomplete_types: Vec<String>,
}

/// How a data source lookup resolved.
#[derive(Debug, Clone)]
pub enum Lookup {
    Found(ObjId),
    /// No object of that type and name in configuration or any state that lists the type.
    NotFound,
    /// Cannot tell: no state lists that type, or the name is not known statically.
    Unknown(String),
}

/// A `data "genesyscloud_..." "x" { name = "..." }` instance.
#[derive(Debug, Clone)]
pub struct DataLookup {
    pub instance: InstanceId,
    pub rtype: String,
    pub address: String,
    pub name: Option<String>,
    /// The `name` attribute's value (or the block header).
    pub span: Span,
    pub lookup: Lookup,
    /// The root module directory and provider configuration it looks up with ([`OrgKey`]): a
    /// lookup in one org does not find what another org's configuration manages.
    pub root_dir: std::sync::Arc<std::path::Path>,
    pub provider: Option<crate::ir::Name>,
}

/// The whole org as the inputs describe it.
#[derive(Debug, Default)]
pub struct Model {
    pub objects: Vec<Object>,
    pub state_inputs: Vec<StateInput>,
    pub data: Vec<DataLookup>,
    /// Managed resource instance -> object.
    pub by_instance: FxHashMap<InstanceId, ObjId>,
    /// Data-source instance -> index in `data`.
    pub data_by_instance: FxHashMap<InstanceId, usize>,
    pub by_id: FxHashMap<String, ObjId>,
    pub by_address: FxHashMap<Arc<str>, ObjId>,
    /// (type, name ignoring case) -> objects.
    pub by_name: names::NameIndex,
    pub by_type: FxHashMap<SmolStr, Vec<ObjId>>,
    /// Every place automation uses a wrap-up code for work on a queue.
    pub usages: Vec<WrapupUsage>,
    /// Flow resources and what their files say.
    pub flows: Vec<flows::FlowInfo>,
    /// Platform API calls and SDK calls found in automation scripts beside the configuration.
    pub script_calls: Vec<crate::load::scripts::ScriptCall>,
    /// By-name references (from flows), resolved.
    pub name_refs: Vec<IdRef>,
    /// The ids retention policies and triggers name, each once (their usages pair them).
    pub usage_refs: Vec<IdRef>,
    /// Problems found while evaluating (cycles, huge counts), as messages with spans.
    pub eval_problems: Vec<crate::eval::EvalProblem>,
    /// Declarations with no known instances (`count` / `for_each` not known).
    pub unexpanded: Vec<crate::eval::Unexpanded>,
    /// Files the configuration itself writes when it is applied.
    pub written_at_apply: Vec<WrittenFile>,
    /// JSON text with parts not known before apply, by the span of its unknown value (see
    /// `crate::eval::Evaluator::json_skeletons`).
    pub json_skeletons: FxHashMap<Span, Box<str>>,
    /// The Terraform state files (`terraform.tfstate`, plans) loaded: every id in them was read
    /// from the org by a refresh, so an id they hold existed then, listed or not.
    pub refreshed_files: Vec<crate::source::FileId>,
    /// Objects a loaded plan destroys, with the index of its state input: a name or id of one
    /// that is used still is missing after apply, even where no input lists the whole type.
    pub deleted: Vec<(usize, crate::load::Deleted)>,
    /// Derived facts several rules read, computed once on first use.
    pub(crate) cache: Cache,
}

/// A file that a resource of the configuration writes at apply: a `local_file` or
/// `local_sensitive_file` (the `hashicorp/local` provider), often a flow made from a template.
/// Before the first apply it does not exist, and a flow naming it is not missing.
#[derive(Debug, Clone)]
pub struct WrittenFile {
    /// The `filename` argument, relative to `root_dir` unless absolute.
    pub filename: String,
    /// The directory Terraform runs in for the resource (its root module's).
    pub root_dir: Arc<std::path::Path>,
    /// The resource instance that writes it.
    pub address: Arc<str>,
}

/// Facts derived from the model that several rules need; each is computed once, on first use.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    api_calls: std::sync::OnceLock<Vec<api_use::ApiCall>>,
    id_refs: std::sync::OnceLock<refs::ConfigRefs>,
    assignments: std::sync::OnceLock<Vec<(ObjId, Assignment)>>,
    offers: std::sync::OnceLock<usage::Offers>,
    /// "Did you mean" indexes of object names, by type, built on first use.
    suggesters: crate::suggest::SuggesterCache<String>,
}

impl Model {
    pub fn obj(&self, id: ObjId) -> &Object {
        &self.objects[id.0 as usize]
    }

    /// The text of a JSON-valued attribute such as a data action's `request_template`, and
    /// whether it is the text itself (`true`) or, the value not being known before apply, the
    /// JSON's skeleton with a stand-in for each unknown part (`false`; offsets in it are not
    /// the source's: see `crate::eval::Evaluator::json_skeletons`).
    pub fn json_text<'a>(&'a self, v: &'a Val) -> Option<(&'a str, bool)> {
        match (v.as_str(), v.span) {
            (Some(text), _) => Some((text, true)),
            (None, Some(span)) if v.is_unknown() => {
                self.json_skeletons.get(&span).map(|s| (&**s, false))
            }
            _ => None,
        }
    }

    pub fn of_type<'a>(&'a self, rtype: &str) -> impl Iterator<Item = (ObjId, &'a Object)> + 'a {
        self.by_type
            .get(rtype)
            .into_iter()
            .flatten()
            .map(|&id| (id, self.obj(id)))
    }

    /// Objects of `rtype` named `name` (case-insensitive, as Genesys matches names).
    pub fn named(&self, rtype: &str, name: &str) -> &[ObjId] {
        self.by_name.get(&self.objects, rtype, name)
    }

    /// True when some state input lists `rtype` completely, so absence there is meaningful.
    pub fn state_covers(&self, rtype: &str) -> bool {
        self.state_inputs.iter().any(|s| {
            s.types.iter().any(|t| t == rtype) && !s.incomplete_types.iter().any(|t| t == rtype)
        })
    }

    /// The object of `rtype` a loaded plan destroys that has this name or (`by_id`) this id.
    /// By name only for types whose names are unique in an org: another object may hold the
    /// name of one destroyed otherwise.
    pub fn deleted_by_plan(
        &self,
        rtype: &str,
        key: &str,
        by_id: bool,
    ) -> Option<&(usize, crate::load::Deleted)> {
        if !by_id && !types::name_is_unique(rtype) {
            return None;
        }
        self.deleted.iter().find(|(_, d)| {
            d.rtype == rtype
                && if by_id {
                    d.id.as_deref()
                } else {
                    d.name.as_deref()
                } == Some(key)
        })
    }

    /// True when some state input lists `rtype` with ids, so an unknown id is really unknown.
    pub fn state_covers_ids(&self, rtype: &str) -> bool {
        self.state_inputs.iter().any(|s| {
            s.id_types.iter().any(|t| t == rtype) && !s.incomplete_types.iter().any(|t| t == rtype)
        })
    }

    /// Compute the derived facts most rules read, all at once on every core. Left lazy, the
    /// first rule to ask computes one while a rule on the other core that needs it too waits on
    /// the lock instead of helping. None depends on flows: this may run before `add_flows`.
    pub fn warm_caches(&self) {
        rayon::join(
            || self.config_id_refs(),
            || rayon::join(|| self.assignments(), || self.api_calls()),
        );
    }

    /// Names of all objects of a type, for "did you mean".
    /// The closest name of an object of `rtype` to `name` (see [`crate::suggest`]); the index
    /// of each type is built once, however many findings ask.
    pub fn suggest_name(&self, rtype: &str, name: &str) -> Option<String> {
        self.cache.suggesters.suggest(
            rtype.to_owned(),
            || self.of_type(rtype).filter_map(|(_, o)| o.name.as_deref()),
            name,
        )
    }
}

pub use crate::suggest::did_you_mean;
