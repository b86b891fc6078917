variable "codes" {
  default = ["Resolved", "Escalated", "No Answer"]
}

resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = toset(var.codes)
  name     = each.value
}

module "support" {
  source   = "./modules/queue"
  name     = "Support"
  code_ids = [for c in genesyscloud_routing_wrapupcode.all : c.id if c.name != "Escalated"]
}

resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry"
  queue_id = module.support.queue_id
  rules {
    name     = "escalated"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.all["Escalated"].id]
    }
  }
}
