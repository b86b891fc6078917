# Override files (`override.tf`, `*_override.tf`, and their `.tf.json` forms) change the blocks
# declared here instead of declaring them again.
locals {
  queue_name = "Base"
}

resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

# Mandatory wrap-up without codes here; the override assigns one.
resource "genesyscloud_routing_queue" "support" {
  name              = local.queue_name
  acw_wrapup_prompt = "MANDATORY"
  wrapup_codes      = []
}

# The override moves this rule set's condition to a code the queue does not offer.
resource "genesyscloud_outbound_ruleset" "rs" {
  name     = "RS"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.resolved.id]
    }
  }
}

# Repeated by the override's `for_each`, whose `each.key` the base's name uses.
resource "genesyscloud_routing_wrapupcode" "team" {
  name = "Team ${each.key}"
}

# Its default is the override's: a scope that does not exist.
variable "scope" {
  type    = string
  default = "routing"
}

resource "genesyscloud_oauth_client" "c" {
  name                  = "C"
  authorized_grant_type = "CODE"
  scopes                = [var.scope]
}
