resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_queue" "support" {
  name         = local.support_nam
  description  = var.description
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolvd.id]
}

locals {
  support_name = "Support"
  a            = local.b
  b            = local.a
}

resource "genesyscloud_outbound_campaign" "c" {
  name     = local.a
  queue_id = data.genesyscloud_routing_queue.sales.id
}

module "codes" {
  source = "./codes"
}

resource "genesyscloud_routing_queue" "other" {
  name         = "Other"
  wrapup_codes = [module.codes.resolved]
}
