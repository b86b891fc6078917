resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

# Looked up by name: without org state this cannot be checked, and is not reported.
data "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_routing_queue" "support" {
  name = "Support"
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.resolved.id,
    data.genesyscloud_routing_wrapupcode.escalated.id,
    "8f3a1c52-0b7e-4d1a-9c3e-2f6b7a8d9e01",
  ]
}

# Each org's queues use that org's codes, directly or through a module given the alias.
provider "genesyscloud" {
  alias      = "emea"
  aws_region = "eu-central-1"
}

resource "genesyscloud_routing_wrapupcode" "resolved_emea" {
  provider = genesyscloud.emea
  name     = "Resolved"
}

resource "genesyscloud_routing_queue" "support_emea" {
  provider     = genesyscloud.emea
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved_emea.id]
}

module "emea" {
  source    = "./emea"
  providers = { genesyscloud = genesyscloud.emea }
  code_ids  = [genesyscloud_routing_wrapupcode.resolved_emea.id]
}

# Looked up by name in the second org: the first org's `Resolved` is not what it finds.
data "genesyscloud_routing_wrapupcode" "resolved_emea_lookup" {
  provider = genesyscloud.emea
  name     = "Resolved"
}

resource "genesyscloud_routing_queue" "billing_emea" {
  provider     = genesyscloud.emea
  name         = "Billing Escalations"
  wrapup_codes = [data.genesyscloud_routing_wrapupcode.resolved_emea_lookup.id]
}

# System wrap-up codes have their names as ids: an outbound rule set may name them.
resource "genesyscloud_outbound_ruleset" "machines" {
  name     = "Machines"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name     = "Answering machine"
    category = "DIALER_POSTCALL"
    conditions {
      type           = "wrapupCondition"
      codes          = ["ININ-OUTBOUND-MACHINE"]
      inverted       = false
    }
    actions {
      type                = "Action"
      action_type_name    = "DO_NOT_DIAL"
    }
  }
}
