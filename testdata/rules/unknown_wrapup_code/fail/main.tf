resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_queue" "sales" {
  name = "Sales"
}

# A queue id where a wrap-up code id belongs.
resource "genesyscloud_routing_queue" "support" {
  name = "Support"
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.resolved.id,
    genesyscloud_routing_queue.sales.id,
  ]
}

# A second org, through a provider alias: its queues cannot use the first org's codes.
provider "genesyscloud" {
  alias      = "emea"
  aws_region = "eu-central-1"
}

resource "genesyscloud_routing_queue" "support_emea" {
  provider     = genesyscloud.emea
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

# The same, through a module given the alias as its default provider.
module "emea" {
  source    = "./emea"
  providers = { genesyscloud = genesyscloud.emea }
  code_ids  = [genesyscloud_routing_wrapupcode.resolved.id]
}

# A code's name where its id goes.
resource "genesyscloud_routing_queue" "billing" {
  name         = "Billing"
  wrapup_codes = ["Resolved"]
}
