locals {
  service_codes = [for c in genesyscloud_routing_wrapupcode.standard : c.id]
}

resource "genesyscloud_routing_queue" "support" {
  name              = "Support"
  description       = "Inbound customer support"
  acw_wrapup_prompt = "MANDATORY_TIMEOUT"
  acw_timeout_ms    = var.acw_timeout_ms
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.standard["Resolved"].id,
    genesyscloud_routing_wrapupcode.standard["No Answer"].id,
  ]
}

resource "genesyscloud_routing_queue" "claims" {
  name              = "Claims"
  acw_wrapup_prompt = "MANDATORY"
  wrapup_codes      = local.service_codes
}

# Outbound sales queue, built by the shared queue module.
module "sales_queue" {
  source         = "./modules/queue"
  name           = "Sales Outbound"
  acw_timeout_ms = var.acw_timeout_ms
  wrapup_code_ids = [
    genesyscloud_routing_wrapupcode.sale.id,
    genesyscloud_routing_wrapupcode.not_interested.id,
    genesyscloud_routing_wrapupcode.standard["No Answer"].id,
  ]
}

# Billing was split off last quarter; its codes have not been decided yet.
resource "genesyscloud_routing_queue" "billing" {
  name              = "Billing"
  acw_wrapup_prompt = "MANDATORY"
  wrapup_codes      = []
}
